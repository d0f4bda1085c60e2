use privacy::Privacy;

#[derive(Privacy)]
struct Member {
    #[safe]
    id: u64,
    #[pii(phone)]
    phone: String,
}

// `member.id` is safe, but the attribute cannot see the classification of a field of
// another type: every read of a part of `member` is refused.
#[privacy::instrument(fields(phone = member.phone.clone(), ?member.phone, id = member.id))]
fn register(member: Member) {
    let _ = member;
}

fn main() {}
