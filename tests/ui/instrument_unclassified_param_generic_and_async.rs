use std::fmt::Debug;

#[privacy::instrument]
fn remember<T: Debug>(note: T) {
    let _ = note;
}

#[privacy::instrument]
async fn lookup(email: String) {
    let _ = email;
}

fn main() {}
