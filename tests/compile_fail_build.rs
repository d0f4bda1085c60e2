//! The compile errors that rustc reports only when it generates code (`cargo build`, not
//! `cargo check`): a constant that a generic function evaluates for the type it is called with.
//! trybuild builds, rather than checks, the cases of a run that has a case that must pass, so
//! these cases, in `tests/ui/build/`, run apart from those of `compile_fail.rs`, with one that
//! shows the same calls compile with purposes whose names are sound.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/build/*_compiles.rs");
    t.compile_fail("tests/ui/build/*_fails.rs");
}
