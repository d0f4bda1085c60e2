use privacy::purpose::Support;
use privacy::Purpose;

/// A purpose of one's own that tries to pass for the built-in `Support`.
struct MySupport;

impl Purpose for MySupport {
    const NAME: &'static str = "support";
    const DESCRIPTION: &'static str = "Helping you when you contact us";
    const __BUILT_IN: Option<privacy::purpose::BuiltIn<Self>> = <Support as Purpose>::__BUILT_IN;
}

fn main() {}
