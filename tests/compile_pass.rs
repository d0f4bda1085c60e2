//! Valid generic types that std's `derive(Debug)` accepts, and so `#[derive(Privacy)]` too: each
//! case in `tests/ui_pass/` compiles, and its `main` checks what the derive writes.

#[test]
fn ui_pass() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui_pass/*.rs");
}
