//! A subject id is read from the raw value through `SubjectKey`, never through `Display`: a
//! subject field of a type without it does not compile, and the message names the field.

use privacy::Privacy;

struct Handle(String);

impl std::fmt::Display for Handle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Privacy)]
struct Member {
    #[pii(account_id)]
    #[privacy(subject)]
    handle: Handle,
}

#[derive(Privacy)]
struct Owned<K> {
    #[pii(account_id)]
    #[privacy(subject)]
    owner: K,
}

fn main() {
    let _ = privacy::Classified::subject(&Owned { owner: 1.5_f64 });
}
