use privacy::Privacy;

#[derive(Privacy)]
union Address {
    v4: u32,
    v6: u128,
}

fn main() {}
