//! Purposes fail closed: a consent for `P` reveals only values whose purposes include `P`, and a
//! value for which no purpose was named, on the field or on any field that holds it, is never
//! revealed by a consent. And a view writes a raw value only once its record was accepted.

use std::sync::Arc;

use privacy::consent::{ConsentStore, Evidence, MemoryConsentStore};
use privacy::purpose::{Diagnostics, Support};
use privacy::{Consent, Disclosure, Kind, Pii, Privacy, Purpose, Reveal, SubjectId};

const NAME: &str = "QZNAMEX8C4D1";
const NICK: &str = "QZNICKX2F7G3";
const PHONE: &str = "QZPHONEX5H9J6";
const ALIAS: &str = "QZALIASX3K8L2";
const STREET: &str = "QZSTREETX6M1N4";
const CITY: &str = "QZCITYX9P2Q7";
const ALL: [&str; 6] = [NAME, NICK, PHONE, ALIAS, STREET, CITY];

#[derive(Privacy)]
struct Member {
    #[safe]
    #[privacy(subject)]
    id: u64,
    #[pii(name)]
    name: String,
    nick: Pii<String>,
    #[pii(phone, purposes(Support))]
    phone: String,
    #[privacy(purposes(Support))]
    aliases: Vec<Pii<String>>,
    #[privacy(purposes(Support))]
    address: Address,
}

/// Names purposes of its own for one field: a consent must be for a purpose that both the
/// field and the field holding the address include.
#[derive(Privacy)]
struct Address {
    #[pii(address, purposes(Diagnostics))]
    street: String,
    #[pii(location)]
    city: String,
}

fn member() -> Member {
    Member {
        id: 7,
        name: NAME.into(),
        nick: Pii::new(NICK.into()),
        phone: PHONE.into(),
        aliases: vec![Pii::new(ALIAS.into())],
        address: Address {
            street: STREET.into(),
            city: CITY.into(),
        },
    }
}

fn consent<P: Purpose + Default>() -> Consent<P> {
    let store = MemoryConsentStore::new();
    let alice = SubjectId::from(7_u64);
    store
        .grant(&alice, P::default(), Evidence::new("support chat"))
        .unwrap();
    store.consent::<P>(&alice).unwrap()
}

fn audited<R>(f: impl FnOnce() -> R) -> R {
    privacy::audit::with_sink(Arc::new(privacy::audit::MemorySink::new()), f)
}

fn shown(output: &str) -> Vec<&'static str> {
    ALL.into_iter().filter(|m| output.contains(m)).collect()
}

#[test]
fn a_consent_reveals_only_what_names_its_purpose() {
    audited(|| {
        let member = member();
        let support = consent::<Support>();
        let debug = format!("{:?}", member.reveal(&support));
        let json = serde_json::to_string(&member.reveal(&support)).unwrap();
        // phone names Support; the aliases' field names it for the wrappers it holds; the city
        // is held by a field that names it and names none itself; the street names only
        // Diagnostics, which the address's field does not include.
        for output in [&debug, &json] {
            assert_eq!(shown(output), [PHONE, ALIAS, CITY], "{output}");
        }
    });
}

#[test]
fn every_list_of_purposes_on_the_way_must_include_the_consents() {
    audited(|| {
        let diagnostics = consent::<Diagnostics>();
        let debug = format!("{:?}", member().reveal(&diagnostics));
        // The street names Diagnostics, but the field that holds the address does not.
        assert_eq!(shown(&debug), Vec::<&str>::new(), "{debug}");
    });
}

#[test]
fn a_field_that_names_no_purpose_is_revealed_by_a_disclosure() {
    audited(|| {
        let rule = Disclosure::of([Kind::Name]).because("the member's own profile");
        let debug = format!("{:?}", member().reveal(&rule));
        assert_eq!(shown(&debug), [NAME], "{debug}");
    });
}

#[test]
fn with_no_audit_sink_a_view_writes_the_redacted_text() {
    // No subscriber and no sink: nobody records `privacy::audit`.
    let shown_text = format!("{:?}", member().reveal(&consent::<Support>()));
    assert_eq!(shown(&shown_text), Vec::<&str>::new(), "{shown_text}");
    assert_eq!(shown_text, format!("{:?}", member()));
}

#[test]
fn the_schema_records_the_purposes_of_a_field_that_holds_classified_values() {
    use privacy::Classified;
    let purposes = |name: &str| {
        (0..)
            .map_while(|position| Member::SCHEMA.field(0, position))
            .find(|field| field.name == name)
            .unwrap()
            .purposes
    };
    assert_eq!(purposes("aliases"), ["support"]);
    assert_eq!(purposes("address"), ["support"]);
    assert!(purposes("nick").is_empty());
}
