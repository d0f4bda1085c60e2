use privacy::Pii;

#[privacy::instrument]
fn register(#[safe] group: u32, nickname: Pii<String>, phone: String) {
    let _ = (group, nickname, phone);
}

struct Directory;

impl Directory {
    #[privacy::instrument]
    fn call(&self, phone: &str, r#type: Vec<u8>) {
        let _ = (phone, r#type);
    }
}

fn main() {}
