//! Red team: valid generic types that `#[derive(Privacy)]` should accept (std's `derive(Debug)`
//! accepts each; the instances used classify themselves), but rejects with errors about its own
//! generated code. Each case is a file in `tests/ui_pass/`.

#[test]
fn ui_pass() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui_pass/*.rs");
}
