use privacy::Privacy;

#[derive(Privacy)]
struct Device {
    #[safe]
    #[privacy(subject = "Device ID")]
    id: u64,
}

#[derive(Privacy)]
struct Tenant {
    #[safe]
    #[privacy(subject = "")]
    id: u64,
}

fn main() {}
