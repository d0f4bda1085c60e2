//! Who a value is about: subject ids read from the raw value of the `#[privacy(subject)]` field
//! (wrapped, typed, optional, empty), kept apart by namespace, and never inherited by a value
//! that names a subject field of its own.

#[path = "fixture/capture.rs"]
mod capture;

use std::borrow::Cow;

use capture::{captured, Format};
use privacy::audience::Known;
use privacy::consent::{ConsentStore, Evidence, MemoryConsentStore};
use privacy::purpose::Support;
use privacy::{
    Classified, Consent, Disclosure, Kind, Oii, Pii, Privacy, Reveal, SubjectId, SubjectKey,
};

/// Runs `f` with its views audited in memory: a view shows raw values only once a sink has
/// accepted the record of them.
fn audited<R>(f: impl FnOnce() -> R) -> R {
    privacy::audit::with_sink(std::sync::Arc::new(privacy::audit::MemorySink::new()), f)
}

const PHONE_1: &str = "QZPHONEONEX4K8";
const PHONE_2: &str = "QZPHONETWOX7M2";
const SERIAL: &str = "QZSERIALX3J9";
const OWNER_NOTE: &str = "QZOWNERX5T1";

fn consent(store: &MemoryConsentStore, subject: &SubjectId) -> Consent<Support> {
    store
        .grant(subject, Support, Evidence::new("support chat"))
        .unwrap();
    store.consent::<Support>(subject).unwrap()
}

/// A subject id in a wrapper: the id is the wrapped value, not the placeholder the wrapper's
/// `Display` writes.
#[derive(Privacy)]
struct Member {
    #[privacy(subject)]
    id: Pii<u64>,
    #[pii(phone, purposes(Support))]
    phone: String,
}

fn roster() -> Vec<Member> {
    vec![
        Member {
            id: Pii::new(1),
            phone: PHONE_1.into(),
        },
        Member {
            id: Pii::new(2),
            phone: PHONE_2.into(),
        },
    ]
}

#[test]
fn a_wrapped_subject_is_read_from_its_value() {
    audited(|| {
        let roster = roster();
        assert_eq!(roster[0].subject(), Some(SubjectId::from(1_u64)));
        assert_eq!(roster[1].subject(), Some(SubjectId::from(2_u64)));

        let store = MemoryConsentStore::new();
        let first = consent(&store, &SubjectId::from(1_u64));
        let shown = format!("{:?}", roster.reveal(&first));
        assert!(shown.contains(PHONE_1), "{shown}");
        assert!(!shown.contains(PHONE_2), "{shown}");

        // What every value would have been read as through `Display`.
        let placeholder = consent(&store, &SubjectId::from("<pii>"));
        let shown = format!("{:?}", roster.reveal(&placeholder));
        assert!(
            !shown.contains(PHONE_1) && !shown.contains(PHONE_2),
            "{shown}"
        );
    });
}

#[test]
fn an_audience_admits_each_wrapped_subject_alone() {
    audited(|| {
        let roster = roster();
        let known = Known::among(&roster, |member| *member.id.expose() == 1);
        assert_eq!(known.len(), 1);
        let permit = Disclosure::of([Kind::Phone])
            .to(SubjectId::from(9_u64), known)
            .because("the viewer has member 1 in their phone book");
        let shown = format!("{:?}", roster.reveal(&permit));
        assert!(shown.contains(PHONE_1), "{shown}");
        assert!(!shown.contains(PHONE_2), "{shown}");
    });
}

/// A device, in a namespace of its own: device 7 is not member 7.
#[derive(Privacy)]
struct Device {
    #[safe]
    #[privacy(subject = "device")]
    device_id: u64,
    #[pii(device_id, purposes(Support))]
    serial: String,
}

#[test]
fn a_namespace_keeps_equal_ids_apart() {
    audited(|| {
        let device = Device {
            device_id: 7,
            serial: SERIAL.into(),
        };
        assert_eq!(device.subject(), Some(SubjectId::new("device", "7")));

        let store = MemoryConsentStore::new();
        let member_7 = consent(&store, &SubjectId::from(7_u64));
        let shown = format!("{:?}", device.reveal(&member_7));
        assert!(!shown.contains(SERIAL), "{shown}");
        let json = serde_json::to_string(&device.reveal(&member_7)).unwrap();
        assert!(!json.contains(SERIAL), "{json}");

        let device_7 = consent(&store, &SubjectId::new("device", "7"));
        let shown = format!("{:?}", device.reveal(&device_7));
        assert!(shown.contains(SERIAL), "{shown}");
    });
}

#[test]
fn audit_pseudonyms_of_namespaces_differ() {
    let store = MemoryConsentStore::new();
    let device = Device {
        device_id: 7,
        serial: SERIAL.into(),
    };
    let permit = consent(&store, &SubjectId::new("device", "7"));
    let audit = captured(Format::Json, || {
        let _ = format!("{:?}", device.reveal(&permit));
    });
    let pseudonym = SubjectId::new("device", "7").pseudonym().to_string();
    assert!(audit.contains(&pseudonym), "{audit}");
    assert!(
        !audit.contains(&SubjectId::from("7").pseudonym().to_string()),
        "{audit}"
    );
}

/// A member whose id may be unset: a missing id names nobody.
#[derive(Privacy)]
struct Invitee {
    #[safe]
    #[privacy(subject)]
    id: Option<u64>,
    #[pii(phone, purposes(Support))]
    phone: String,
}

/// A group whose owner is its subject, holding invitees who name their own.
#[derive(Privacy)]
struct Group {
    #[safe]
    #[privacy(subject)]
    owner: u64,
    #[pii(message, purposes(Support))]
    note: String,
    invitees: Vec<Invitee>,
}

#[test]
fn a_value_with_a_subject_field_never_inherits_its_parents_subject() {
    audited(|| {
        let group = Group {
            owner: 1,
            note: OWNER_NOTE.into(),
            invitees: vec![Invitee {
                id: None,
                phone: PHONE_2.into(),
            }],
        };
        assert_eq!(group.invitees[0].subject(), None);

        let store = MemoryConsentStore::new();
        let owner = consent(&store, &SubjectId::from(1_u64));
        for shown in [
            format!("{:?}", group.reveal(&owner)),
            serde_json::to_string(&group.reveal(&owner)).unwrap(),
        ] {
            assert!(shown.contains(OWNER_NOTE), "{shown}");
            assert!(!shown.contains(PHONE_2), "{shown}");
        }
        // Nor is anyone's empty id a subject that a consent could be granted for.
        assert_eq!(SubjectId::of(""), None);
    });
}

/// An id type of the user's, with its own `SubjectKey`.
#[derive(Clone, Copy, Debug, serde::Serialize)]
struct AccountId(u32);

impl SubjectKey for AccountId {
    fn subject_key(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Owned(format!("acct-{}", self.0)))
    }
}

/// Subjects in some variants, optional, and in an `Oii` wrapper.
#[derive(Privacy)]
enum Event {
    Login {
        #[safe]
        #[privacy(subject)]
        account: AccountId,
        #[pii(phone, purposes(Support))]
        phone: String,
    },
    Invite {
        #[privacy(subject)]
        invitee: Option<Pii<u64>>,
    },
    Tenant(#[privacy(subject = "tenant")] Oii<String>),
    System,
}

#[test]
fn every_subject_type_and_shape_reads_the_raw_id() {
    audited(|| {
        let login = Event::Login {
            account: AccountId(5),
            phone: PHONE_1.into(),
        };
        assert_eq!(login.subject(), Some(SubjectId::from("acct-5")));
        assert_eq!(
            Event::Invite {
                invitee: Some(Pii::new(3))
            }
            .subject(),
            Some(SubjectId::from(3_u64))
        );
        assert_eq!(Event::Invite { invitee: None }.subject(), None);
        assert_eq!(
            Event::Tenant(Oii::new("acme".into())).subject(),
            Some(SubjectId::new("tenant", "acme"))
        );
        assert_eq!(Event::System.subject(), None);

        let store = MemoryConsentStore::new();
        let account = consent(&store, &SubjectId::from("acct-5"));
        assert!(format!("{:?}", login.reveal(&account)).contains(PHONE_1));
        let other = consent(&store, &SubjectId::from("5"));
        assert!(!format!("{:?}", login.reveal(&other)).contains(PHONE_1));
    });
}

/// A telemetry event whose subject is a classified field left out of the event: a consent of
/// another subject adds nothing.
#[derive(Privacy)]
#[privacy(telemetry)]
struct Crash {
    #[pii(account_id, redact = skip)]
    #[privacy(subject)]
    member: u64,
    #[pii(phone, purposes(Support))]
    phone: String,
}

#[test]
fn telemetry_reads_the_subject_of_a_classified_field() {
    audited(|| {
        let store = MemoryConsentStore::new();
        let crash = Crash {
            member: 2,
            phone: PHONE_2.into(),
        };
        let first = consent(&store, &SubjectId::from(1_u64));
        let second = consent(&store, &SubjectId::from(2_u64));
        let sent = captured(Format::Json, || {
            privacy::telemetry::emit_with(&crash, &first);
        });
        assert!(!sent.contains(PHONE_2), "{sent}");
        let sent = captured(Format::Json, || {
            privacy::telemetry::emit_with(&crash, &second);
        });
        assert!(sent.contains(PHONE_2), "{sent}");
    });
}

const GUEST: &str = "QZGUESTX5N2W7";
const HOST: &str = "QZHOSTX8K3M1";

#[derive(Privacy)]
enum Author {
    Member {
        #[safe]
        #[privacy(subject)]
        id: u64,
        #[pii(name, purposes(Support))]
        name: String,
    },
    Guest {
        #[pii(name, purposes(Support))]
        name: String,
    },
}

#[derive(Privacy)]
struct Post {
    #[safe]
    #[privacy(subject)]
    owner: u64,
    author: Author,
}

/// A value of a type with a subject field is about that subject alone, in every variant: a
/// variant without one is about nobody, as `Classified::subject` says, never the parent.
#[test]
fn an_enum_variant_without_a_subject_field_is_about_nobody() {
    audited(|| {
        let guest = Post {
            owner: 7,
            author: Author::Guest { name: GUEST.into() },
        };
        let member = Post {
            owner: 7,
            author: Author::Member {
                id: 7,
                name: HOST.into(),
            },
        };
        assert_eq!(guest.author.subject(), None);
        let store = MemoryConsentStore::new();
        let owner = consent(&store, &SubjectId::from(7_u64));
        for shown in [
            format!("{:?}", guest.reveal(&owner)),
            serde_json::to_string(&guest.reveal(&owner)).unwrap(),
        ] {
            assert!(!shown.contains(GUEST), "{shown}");
        }
        assert!(format!("{:?}", member.reveal(&owner)).contains(HOST));
    });
}
