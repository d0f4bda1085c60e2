//! Every shape std's `derive(Debug)` accepts derives `Privacy` too, and redacts: packed structs
//! (whose fields are copied out, as std's derive does), empty enums in every serde
//! representation, and unsized last fields. Each classified field holds a marker that no output
//! may contain.

use privacy::{Classified, Disclosure, Kind, Pii, Privacy, Reveal, Shape};

const CODE: u64 = 8_472_913_605;
const NAME: &str = "QZNAMEX7K2P9W4";
const NICK: u16 = 40_961;
const ITEM: u8 = 173;
const BODY: &[u8] = &[201, 187, 229];

fn assert_hidden(output: &str, markers: &[&str]) {
    for marker in markers {
        assert!(!output.contains(marker), "{marker} in {output}");
    }
}

/// A reference to a field of a packed struct may be unaligned: every field the derive reads is
/// copied out first, so each is `Copy`.
#[derive(Privacy)]
#[repr(C, packed)]
struct Packed {
    #[safe]
    #[privacy(subject)]
    id: u32,
    #[pii(phone, redact = last(2))]
    code: u64,
    #[pii(name)]
    name: &'static str,
    nick: Pii<u16>,
    #[pii(redact = skip)]
    skipped: u8,
}

#[derive(Privacy)]
#[repr(C, packed(2))]
struct PackedTuple(#[safe] u8, #[pii(phone, redact = first(1))] u64, Pii<u16>);

// The bare form, whose layout is Rust's.
#[allow(clippy::repr_packed_without_abi)]
#[derive(Privacy)]
#[repr(packed)]
struct PackedGeneric<T: Copy> {
    #[safe]
    flag: u8,
    inner: T,
}

fn packed() -> Packed {
    Packed {
        id: 7,
        code: CODE,
        name: NAME,
        nick: Pii::new(NICK),
        skipped: 3,
    }
}

#[test]
fn packed_struct_copies_its_fields_out_and_redacts_them() {
    let markers = [&CODE.to_string(), NAME, &NICK.to_string()];
    let debug = format!("{:?}", packed());
    assert_eq!(
        debug,
        r#"Packed { id: 7, code: <pii:phone …"05">, name: <pii:name>, nick: <pii>, .. }"#
    );
    assert_hidden(&format!("{:#?}", packed()), &markers);
    let json = serde_json::to_string(&packed()).unwrap();
    assert_eq!(
        json,
        r#"{"id":7,"code":"<pii:phone …\"05\">","name":"<pii:name>","nick":"<pii>"}"#
    );
    let tuple = PackedTuple(1, CODE, Pii::new(NICK));
    assert_eq!(
        format!("{tuple:?}"),
        r#"PackedTuple(1, <pii:phone "8"…>, <pii>)"#
    );
    assert_hidden(&serde_json::to_string(&tuple).unwrap(), &markers);
    let generic = PackedGeneric {
        flag: 2,
        inner: Pii::new(NICK),
    };
    assert_eq!(
        format!("{generic:?}"),
        "PackedGeneric { flag: 2, inner: <pii> }"
    );
    assert_eq!(
        serde_json::to_string(&generic).unwrap(),
        r#"{"flag":2,"inner":"<pii>"}"#
    );
}

#[test]
fn packed_struct_reveals_what_the_permit_allows() {
    audited(|| {
        let member = packed();
        assert_eq!(
            Classified::subject(&member),
            Some(privacy::SubjectId::from("7"))
        );
        let rule = Disclosure::of([Kind::Phone]).because("the shapes test reads the code");
        let shown = format!("{:?}", member.reveal(&rule));
        assert!(shown.contains(&format!("code: {CODE}")), "{shown}");
        assert_hidden(&shown, &[NAME, &NICK.to_string()]);
        let json = serde_json::to_string(&member.reveal(&rule)).unwrap();
        assert!(json.contains(&format!(r#""code":{CODE}"#)), "{json}");
        assert_hidden(&json, &[NAME, &NICK.to_string()]);
    });
}

/// An empty enum has no value to write, in any serde representation.
#[derive(Privacy)]
enum Never {}

#[derive(Privacy)]
#[serde(tag = "t", content = "c")]
enum NeverAdjacent {}

#[derive(Privacy)]
#[serde(tag = "t")]
enum NeverInternal {}

#[derive(Privacy)]
#[serde(untagged)]
enum NeverUntagged {}

#[derive(Privacy)]
#[serde(
    rename = "Nothing",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
enum NeverRenamed {}

fn writes_every_output<T>() -> &'static privacy::Schema
where
    T: ?Sized + Classified + std::fmt::Debug + serde::Serialize,
    for<'a> privacy::Revealed<'a, T, Disclosure>: std::fmt::Debug + serde::Serialize,
{
    T::SCHEMA
}

#[test]
fn empty_enums_of_every_representation_have_every_output() {
    for schema in [
        writes_every_output::<Never>(),
        writes_every_output::<NeverAdjacent>(),
        writes_every_output::<NeverInternal>(),
        writes_every_output::<NeverUntagged>(),
        writes_every_output::<NeverRenamed>(),
    ] {
        assert!(
            matches!(schema.shape, Shape::Enum([])),
            "{}",
            schema.type_name
        );
        assert!(!schema.carries_pii && !schema.carries_oii);
    }
}

/// Only a struct's last field can be unsized. No value of these two can be made without
/// `unsafe`; their outputs must compile all the same.
#[derive(Privacy)]
#[privacy(telemetry)]
struct Text {
    #[safe]
    id: u8,
    #[pii(phone, redact = last(4), purposes(Support))]
    phone: str,
}

#[derive(Privacy)]
struct Items {
    #[safe]
    id: u8,
    items: [Pii<u8>],
}

/// Unsized through its last field's type.
#[derive(Privacy)]
struct Outer {
    #[safe]
    id: u8,
    text: Text,
}

/// What an unsized last field of each kind becomes through unsizing: `Tail<[T; N]>` to
/// `Tail<[T]>`.
#[derive(Privacy)]
struct Tail<T: ?Sized> {
    #[safe]
    #[privacy(subject)]
    id: u64,
    items: T,
}

/// A view writes a generic classified field raw only where the impl knows that it can.
#[derive(Privacy)]
struct Note<T: ?Sized + std::fmt::Debug + serde::Serialize> {
    #[safe]
    #[privacy(subject)]
    id: u64,
    #[pii(message, purposes(Support))]
    body: T,
}

#[derive(Privacy)]
struct Shown<T: ?Sized> {
    #[safe]
    id: u8,
    #[safe]
    rest: T,
}

#[derive(Privacy)]
struct Partial<T: ?Sized> {
    #[safe]
    id: u8,
    #[pii(phone, redact = last(2))]
    phone: T,
}

#[test]
fn unsized_last_fields_of_every_kind_have_every_output() {
    writes_every_output::<Text>();
    writes_every_output::<Items>();
    writes_every_output::<Partial<str>>();
    writes_every_output::<Outer>();
    let schema = Text::SCHEMA;
    let Shape::Struct([_, phone]) = schema.shape else {
        panic!("{schema:?}");
    };
    assert_eq!(phone.strategy, Some(privacy::Strategy::Last(4)));
    assert!(Items::SCHEMA.carries_pii);
}

#[test]
fn unsized_last_fields_redact_and_reveal() {
    audited(|| {
        let tail: &Tail<[Pii<u8>]> = &Tail {
            id: 4,
            items: [Pii::new(ITEM), Pii::new(ITEM)],
        };
        assert_eq!(format!("{tail:?}"), "Tail { id: 4, items: [<pii>, <pii>] }");
        assert_eq!(
            serde_json::to_string(tail).unwrap(),
            r#"{"id":4,"items":["<pii>","<pii>"]}"#
        );
        let note: &Note<[u8]> = &Note {
            id: 4,
            body: [BODY[0], BODY[1], BODY[2]],
        };
        assert_eq!(format!("{note:?}"), "Note { id: 4, body: <pii:message> }");
        assert_eq!(
            serde_json::to_string(note).unwrap(),
            r#"{"id":4,"body":"<pii:message>"}"#
        );
        let everything = [ITEM.to_string(), format!("{BODY:?}"), "201,187".to_owned()];
        let everything: Vec<&str> = everything.iter().map(String::as_str).collect();
        assert_hidden(&format!("{tail:#?} {note:#?}"), &everything);

        let rule = Disclosure::of([Kind::Message]).because("the shapes test reads the note");
        assert_eq!(
            format!("{:?}", note.reveal(&rule)),
            format!("Note {{ id: 4, body: {BODY:?} }}")
        );
        assert_eq!(
            serde_json::to_string(&note.reveal(&rule)).unwrap(),
            r#"{"id":4,"body":[201,187,229]}"#
        );
        let shown = format!("{:?}", tail.reveal(&rule));
        assert_eq!(shown, "Tail { id: 4, items: [<pii>, <pii>] }");

        let rest: &Shown<[u8]> = &Shown {
            id: 1,
            rest: [2, 3],
        };
        assert_eq!(format!("{rest:?}"), "Shown { id: 1, rest: [2, 3] }");
        assert_eq!(
            serde_json::to_string(rest).unwrap(),
            r#"{"id":1,"rest":[2,3]}"#
        );
    });
}

/// The rest of what std's derive accepts: empty braces and parentheses, discriminants, a
/// `repr`, a type written by a macro, bounds on `Self` and lifetimes, defaults of parameters.
#[derive(Privacy)]
struct Braces {}

#[derive(Privacy)]
struct Parens();

macro_rules! byte {
    () => {
        u8
    };
}

#[derive(Privacy)]
#[repr(u8)]
enum Shapes<'a, 'b: 'a, T: 'a = u8, const N: usize = 2>
where
    Self: Sized,
{
    Braces {} = 1,
    Parens() = 2,
    Unit = 3,
    Macro(#[safe] byte!(), #[pii(phone, redact = last(2))] &'b str) = 4,
    Array(#[safe] [u8; N], &'a Pii<T>) = 5,
}

/// Implemented for the type alone: a helper type of the expansion that copied the bound
/// would not satisfy it.
trait Marked {}

impl Marked for Tagged {}

#[derive(Privacy)]
#[serde(tag = "t", content = "c")]
enum Tagged
where
    Self: Marked,
{
    Call(#[pii(phone, redact = last(2))] &'static str),
}

#[derive(Privacy)]
struct Dynamic {
    #[safe]
    id: u8,
    #[pii(message)]
    inner: Box<dyn std::fmt::Debug + Send>,
}

#[test]
fn the_rest_of_std_s_shapes_redact() {
    assert_eq!(format!("{:?} {:?}", Braces {}, Parens()), "Braces Parens");
    assert_eq!(serde_json::to_string(&Braces {}).unwrap(), "{}");
    assert_eq!(serde_json::to_string(&Parens()).unwrap(), "[]");
    let nick = Pii::new(NICK);
    let shapes: [Shapes<'_, '_, u16>; 5] = [
        Shapes::Braces {},
        Shapes::Parens(),
        Shapes::Unit,
        Shapes::Macro(1, NAME),
        Shapes::Array([2, 3], &nick),
    ];
    let debug = format!("{shapes:?}");
    assert_eq!(
        debug,
        r#"[Braces, Parens, Unit, Macro(1, <pii:phone …"W4">), Array([2, 3], <pii>)]"#
    );
    let json = serde_json::to_string(&shapes).unwrap();
    assert_eq!(
        json,
        r#"[{"Braces":{}},{"Parens":[]},"Unit",{"Macro":[1,"<pii:phone …\"W4\">"]},{"Array":[[2,3],"<pii>"]}]"#
    );
    assert_hidden(&format!("{debug} {json}"), &[NAME, &NICK.to_string()]);
    let dynamic = Dynamic {
        id: 1,
        inner: Box::new(NAME),
    };
    assert_eq!(
        format!("{dynamic:?}"),
        "Dynamic { id: 1, inner: <pii:message> }"
    );
    assert_eq!(
        serde_json::to_string(&Tagged::Call(NAME)).unwrap(),
        r#"{"t":"Call","c":"<pii:phone …\"W4\">"}"#
    );
}

/// Runs `f` with its views audited in memory: a view shows raw values only once a sink has
/// accepted the record of them.
fn audited<R>(f: impl FnOnce() -> R) -> R {
    privacy::audit::with_sink(std::sync::Arc::new(privacy::audit::MemorySink::new()), f)
}
