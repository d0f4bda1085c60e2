#[privacy::instrument]
fn register(
    #[pii = "phone"] phone: String,
    #[pii(phon, redact = last(4))] mobile: String,
    #[pii(email)]
    #[safe]
    email: String,
    #[oii(org_name, purposes(Support))] org: String,
    #[safe]
    #[privacy(subject)]
    id: u64,
) {
    let _ = (phone, mobile, email, org, id);
}

fn main() {}
