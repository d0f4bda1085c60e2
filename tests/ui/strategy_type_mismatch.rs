use privacy::Privacy;

struct Badge {
    number: u32,
}

#[derive(Privacy)]
struct Member {
    #[pii(ip, redact = ip_prefix)]
    ip: u32,
    #[pii(custom = "badge", redact = last(4))]
    badge: Badge,
    #[pii(email, redact = email)]
    email: Badge,
    #[pii(account_id, redact = hash)]
    account: Badge,
    #[pii(name, redact = first(2))]
    name: Badge,
}

fn main() {}
