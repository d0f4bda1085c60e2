use privacy::Privacy;

#[derive(Privacy)]
struct Member {
    #[pii(phone)]
    phone: String,
}

fn main() {
    privacy::telemetry::emit(&Member { phone: "+44 20 7946 0958".into() });
}
