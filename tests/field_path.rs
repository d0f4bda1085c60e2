//! `privacy::field!` names exactly one field of one type: module path, generic instance,
//! enum variant and the path from the enclosing value all count. Misuse is a compile error
//! (`tests/ui/field_path_errors.rs`).

use privacy::{Disclosure, Pii, Privacy, Reveal, Target};

/// Runs `f` with its views audited in memory: a view shows raw values only once a sink has
/// accepted the record of them.
fn audited<R>(f: impl FnOnce() -> R) -> R {
    privacy::audit::with_sink(std::sync::Arc::new(privacy::audit::MemorySink::new()), f)
}

const CHAT_PHONE: &str = "QZCHATPHONEX1";
const BILLING_PHONE: &str = "QZBILLPHONEX2";
const ADMIN_PHONE: &str = "QZADMINPHONEX3";
const TEXT: &str = "QZTEXTX4";
const NUMBER: &str = "QZNUMBERX5";
const OLD: &str = "QZOLDNAMEX6";
const NEW: &str = "QZNEWNAMEX7";

mod chat {
    use privacy::Privacy;

    #[derive(Privacy)]
    pub struct Member {
        #[pii(phone)]
        pub phone: String,
    }
}

mod billing {
    use privacy::Privacy;

    #[derive(Privacy)]
    pub struct Member {
        #[pii(phone)]
        pub phone: String,
    }
}

/// What a view through `rule` shows of `value`.
macro_rules! show {
    ($value:expr, $rule:expr) => {
        privacy::audit::with_sink(
            std::sync::Arc::new(privacy::audit::MemorySink::new()),
            || format!("{:?}", $value.reveal($rule)),
        )
    };
}

#[test]
fn two_types_of_one_name_are_two_types() {
    audited(|| {
        let rule = Disclosure::of([privacy::field!(chat::Member.phone)]).because("test");
        let chat = chat::Member {
            phone: CHAT_PHONE.into(),
        };
        let billing = billing::Member {
            phone: BILLING_PHONE.into(),
        };
        assert!(show!(&chat, &rule).contains(CHAT_PHONE));
        assert!(!show!(&billing, &rule).contains(BILLING_PHONE));
        assert!(!serde_json::to_string(&billing.reveal(&rule))
            .unwrap()
            .contains(BILLING_PHONE));
    });
}

#[derive(Privacy)]
struct Envelope<T> {
    #[safe]
    id: u32,
    inner: T,
}

#[test]
fn a_generic_type_is_named_by_its_instance() {
    audited(|| {
        let rule = Disclosure::of([privacy::field!(Envelope<Pii<String>>.inner)]).because("test");
        let text = Envelope {
            id: 1,
            inner: Pii::new(String::from(TEXT)),
        };
        let number = Envelope {
            id: 2,
            inner: Pii::new(NUMBER.to_owned().into_boxed_str()),
        };
        assert!(
            show!(&text, &rule).contains(TEXT),
            "{}",
            show!(&text, &rule)
        );
        assert!(!show!(&number, &rule).contains(NUMBER));
    });
}

#[derive(Privacy)]
struct Team {
    members: Vec<chat::Member>,
    admins: Vec<chat::Member>,
}

#[test]
fn a_path_names_the_field_only_where_it_leads() {
    audited(|| {
        let team = Team {
            members: vec![chat::Member {
                phone: CHAT_PHONE.into(),
            }],
            admins: vec![chat::Member {
                phone: ADMIN_PHONE.into(),
            }],
        };
        let members = Disclosure::of([privacy::field!(Team.members.phone)]).because("test");
        let shown = show!(&team, &members);
        assert!(shown.contains(CHAT_PHONE), "{shown}");
        assert!(!shown.contains(ADMIN_PHONE), "{shown}");
        let alone = chat::Member {
            phone: CHAT_PHONE.into(),
        };
        assert!(!show!(&alone, &members).contains(CHAT_PHONE));
        // The field of the type, wherever the type is.
        let anywhere = Disclosure::of([privacy::field!(chat::Member.phone)]).because("test");
        let shown = show!(&team, &anywhere);
        assert!(
            shown.contains(CHAT_PHONE) && shown.contains(ADMIN_PHONE),
            "{shown}"
        );
        // A vector of teams keeps the path: containers are not steps.
        let shown = show!(&vec![team], &members);
        assert!(
            shown.contains(CHAT_PHONE) && !shown.contains(ADMIN_PHONE),
            "{shown}"
        );
    });
}

#[derive(Privacy)]
enum Event {
    Renamed {
        #[pii(name)]
        from: String,
        #[pii(name)]
        to: String,
    },
    Joined {
        #[pii(name)]
        to: String,
    },
}

#[test]
fn an_enum_field_is_named_with_its_variant() {
    audited(|| {
        let rule = Disclosure::of([privacy::field!(Event.Renamed.to)]).because("test");
        let renamed = Event::Renamed {
            from: OLD.into(),
            to: NEW.into(),
        };
        let shown = show!(&renamed, &rule);
        assert!(shown.contains(NEW) && !shown.contains(OLD), "{shown}");
        let joined = Event::Joined { to: NEW.into() };
        assert!(!show!(&joined, &rule).contains(NEW));
    });
}

#[test]
fn a_field_path_reads_as_written_and_compares_by_identity() {
    audited(|| {
        assert_eq!(
            privacy::field!(Team.members.phone).to_string(),
            "Team.members.phone"
        );
        assert_eq!(
            privacy::field!(Event.Renamed.to).to_string(),
            "Event.Renamed.to"
        );
        assert_eq!(
            privacy::field!(chat::Member.phone),
            privacy::field!(chat::Member.phone)
        );
        assert_ne!(
            privacy::field!(chat::Member.phone),
            privacy::field!(billing::Member.phone)
        );
        assert_ne!(
            Target::from(privacy::field!(Envelope<Pii<String>>.inner)),
            Target::from(privacy::field!(Envelope<Pii<u64>>.inner))
        );
    });
}

#[derive(Privacy)]
struct Tagged<M> {
    #[pii(phone)]
    phone: String,
    #[safe]
    tag: std::marker::PhantomData<M>,
}

/// Two types that print one name (two `Tag`s in sibling blocks; equally two versions of one
/// crate) are two types: a path of one instance names nothing of the other.
#[test]
fn instances_whose_arguments_print_alike_are_told_apart() {
    audited(|| {
        struct Own;
        let first_path = {
            struct Tag;
            privacy::field!(Tagged<Tag>.phone)
        };
        let first_rule = Disclosure::of([first_path]).because("only the first Tag's phone");
        let second = {
            struct Tag;
            Tagged::<Tag> {
                phone: BILLING_PHONE.into(),
                tag: std::marker::PhantomData,
            }
        };
        assert!(!show!(&second, &first_rule).contains(BILLING_PHONE));
        let json = serde_json::to_string(&second.reveal(&first_rule)).unwrap();
        assert!(!json.contains(BILLING_PHONE), "{json}");
        // And the first instance is revealed by its own path.
        let own = Tagged::<Own> {
            phone: CHAT_PHONE.into(),
            tag: std::marker::PhantomData,
        };
        let own_rule = Disclosure::of([privacy::field!(Tagged<Own>.phone)]).because("test");
        assert!(show!(&own, &own_rule).contains(CHAT_PHONE));
    });
}
