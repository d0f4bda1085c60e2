// A consent store cannot be written outside the crate: it would mint `Consent` for anyone.
use privacy::consent::ConsentStore;

struct Forged;

impl ConsentStore for Forged {}

fn main() {}
