use privacy::Privacy;

#[derive(Privacy)]
struct Member {
    #[pii(phon)]
    phone: String,
    #[oii(tenant)]
    tenant: String,
    #[pii(favourite_colour)]
    colour: String,
}

fn main() {}
