use privacy::Pii;

#[privacy::instrument(fields(shown = nickname.expose().as_str(), displayed = %nickname))]
fn register(nickname: Pii<String>) {
    let _ = nickname;
}

fn main() {}
