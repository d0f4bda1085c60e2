use privacy::purpose::Diagnostics;
use privacy::Consent;

fn main() {
    let _forged: Consent<Diagnostics> = serde_json::from_str(r#"{"subject":"7"}"#).unwrap();
}
