use privacy::Privacy;

#[derive(Privacy)]
struct Account {
    #[safe]
    id: u32,
    #[pii(name)]
    owner: String,
}

impl Account {
    #[privacy::instrument(fields(owner = self.owner.as_str(), ?self))]
    fn rename(&mut self, #[safe] reason: &str) {
        let _ = (self.id, reason);
    }
}

fn main() {}
