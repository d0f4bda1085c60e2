//! Every mistake a user can make with `#[derive(Privacy)]` or `#[privacy::instrument]` is a
//! compile error that says what to write instead. Each case is a file in `tests/ui/` with the
//! expected output next to it.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
