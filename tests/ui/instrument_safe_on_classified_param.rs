//! `#[safe]` on a parameter whose type classifies itself would record it, and let `fields(...)`
//! read it, as if it held nothing personal.

use privacy::Pii;

#[privacy::instrument(fields(n = nickname.expose().len()))]
fn greet(#[safe] nickname: Pii<String>, #[safe] count: u32) {
    let _ = (nickname, count);
}

#[privacy::instrument]
fn generic<T: privacy::Classified + std::fmt::Debug>(#[safe] value: T) {
    let _ = value;
}

fn main() {
    greet(Pii::new(String::new()), 1);
}
