use privacy::Privacy;

#[derive(Privacy)]
#[privacy(telemetry)]
struct CrashReport {
    #[safe]
    code: u32,
    #[pii(ip)]
    client_ip: String,
    #[oii(org_name)]
    org: String,
    #[pii(phone, redact = skip)]
    phone: String,
}

fn main() {}
