use privacy::Privacy;

#[derive(Privacy)]
struct Device {
    #[safe]
    os: String,
}

#[derive(Privacy)]
#[privacy(telemetry)]
struct CrashReport {
    #[safe]
    code: u32,
    device: Device,
}

fn main() {}
