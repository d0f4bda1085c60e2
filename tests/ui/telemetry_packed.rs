use privacy::Privacy;

#[derive(Privacy)]
#[privacy(telemetry)]
#[repr(packed)]
struct Crash {
    #[safe]
    code: u32,
}

fn main() {}
