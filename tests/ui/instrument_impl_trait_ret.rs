use std::fmt::Debug;

#[privacy::instrument(ret)]
fn describe(#[safe] id: u64) -> impl Debug {
    id
}

fn main() {}
