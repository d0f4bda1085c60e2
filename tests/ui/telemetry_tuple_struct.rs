use privacy::Privacy;

#[derive(Privacy)]
#[privacy(telemetry)]
struct Ping(#[safe] u32);

fn main() {}
