//! `privacy::field!` names one classified field, checked at compile time.

use privacy::{Pii, Privacy};

#[derive(Privacy)]
struct Member {
    #[safe]
    id: u64,
    #[pii(phone)]
    phone: String,
    #[pii(redact = skip)]
    password: String,
    avatar: Avatar,
    nick: Option<Pii<String>>,
}

#[derive(Privacy)]
struct Avatar {
    #[pii(custom = "photo_url")]
    url: String,
}

#[derive(Privacy)]
enum Event {
    Renamed {
        #[pii(name)]
        to: String,
    },
}

struct Plain {
    phone: String,
}

fn main() {
    let _ = privacy::field!(Member.phnoe);
    let _ = privacy::field!(Member.id);
    let _ = privacy::field!(Member.password);
    let _ = privacy::field!(Member.avatar);
    let _ = privacy::field!(Member.phone.number);
    let _ = privacy::field!(Member.nick.inner);
    let _ = privacy::field!(Event.Moved.to);
    let _ = privacy::field!(Event.Renamed);
    let _ = privacy::field!(Member);
    let _ = privacy::field!(Plain.phone);
    let _ = privacy::field!(Missing.phone);
    let _ = Plain { phone: String::new() }.phone;
}
