use privacy::purpose::Diagnostics;
use privacy::{Consent, SubjectId};

fn main() {
    let _forged: Consent<Diagnostics> = Consent {
        subject: SubjectId::from("7"),
    };
}
