use privacy::purpose::Diagnostics;
use privacy::Consent;

fn main() {
    let _forged: Consent<Diagnostics> = Default::default();
}
