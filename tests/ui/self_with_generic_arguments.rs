use privacy::Privacy;

#[derive(Privacy)]
struct Thread<T> {
    #[safe]
    id: T,
    parent: Option<Box<Self<u64>>>,
}

#[derive(Privacy)]
struct Buffer<T> {
    #[safe]
    id: T,
    #[safe]
    bytes: [u8; Self::LEN],
}

impl<T> Buffer<T> {
    const LEN: usize = 4;
}

fn main() {}
