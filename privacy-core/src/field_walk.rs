//! What `privacy::field!` expands to: a walk through the named types' schemas, evaluated at
//! compile time, one level per type. Each level is a `const` that reads the next names against
//! the schema of the type at hand; between levels, the type of the field just named is found
//! through [`FieldType`] and [`Element`]. A name that does not fit panics in the `const`,
//! which rustc reports as a compile error with the message below.

use core::fmt;

use crate::field_path::{FieldPath, Step};
use crate::{Class, Classified, Schema, Shape, Strategy};

/// The type of field `P` of variant `V`: the derive implements it for every field without an
/// attribute, so that a path can go on into the field's type. Any type has it at `P = MAX`,
/// where the walk has already ended.
pub trait FieldType<const V: usize, const P: usize> {
    /// The field's type as declared.
    type Type: ?Sized;
}

impl<T: ?Sized, const V: usize> FieldType<V, { usize::MAX }> for T {
    type Type = Ended;
}

/// The type a path goes on into, through containers: `Member` for a `Vec<Member>` field, the
/// value type of a map, the wrapper itself for a `Pii<T>`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not derive `Privacy`: a field path starts at a type that does",
    label = "not a type that derives `Privacy`"
)]
pub trait Element {
    /// The type inside.
    type Element: Classified + ?Sized;
    /// Whether a path may start at this type: only at a type that derives `Privacy`, not at a
    /// container of one (`Vec<Member>.phone` would name `Member.phone` anywhere).
    const ROOT: bool = false;
}

/// What a walk goes on with once it has ended: no fields, never read.
pub enum Ended {}

const ENDED: &Schema = &Schema {
    type_name: "",
    shape: Shape::Struct(&[]),
    carries_pii: false,
    carries_oii: false,
    identity: None,
};

impl Classified for Ended {
    const SCHEMA: &'static Schema = ENDED;
}

impl Element for Ended {
    type Element = Ended;
}

macro_rules! through {
    ($([$($generics:tt)*] $ty:ty => $inner:ty;)*) => {$(
        impl<$($generics)*> Element for $ty {
            type Element = <$inner as Element>::Element;
        }
    )*};
}

through! {
    ['a, T: Element + ?Sized] &'a T => T;
    ['a, T: Element + ?Sized] &'a mut T => T;
    [T: Element + ?Sized] Box<T> => T;
    [T: Element + ?Sized] std::rc::Rc<T> => T;
    [T: Element + ?Sized] std::sync::Arc<T> => T;
    ['a, T: Element + ToOwned + ?Sized] std::borrow::Cow<'a, T> => T;
    [T: Element] Option<T> => T;
    [T: Element] Vec<T> => T;
    [T: Element] std::collections::VecDeque<T> => T;
    [T: Element] [T] => T;
    [T: Element, const N: usize] [T; N] => T;
    [T: Element, S] std::collections::HashSet<T, S> => T;
    [T: Element] std::collections::BTreeSet<T> => T;
    [K, V: Element, S] std::collections::HashMap<K, V, S> => V;
    [K, V: Element] std::collections::BTreeMap<K, V> => V;
}

impl<T> Element for crate::Pii<T> {
    type Element = Self;
}

impl<T> Element for crate::Oii<T> {
    type Element = Self;
}

/// Where a walk is.
#[derive(Clone, Copy)]
enum State {
    /// Reading names: the next is `names[next]`.
    Reading,
    /// The last name was a field without an attribute: the type found next must be shown as
    /// one value (a wrapper), not have fields of its own.
    LeafPending,
    Ended,
}

/// A walk along the names of one `privacy::field!`, with room for `N` steps.
#[derive(Clone, Copy)]
pub struct Walk<const N: usize> {
    /// The type as the macro's input writes it, for messages.
    root: &'static str,
    names: &'static [&'static str],
    next: usize,
    state: State,
    steps: [Step; N],
    len: usize,
    /// The field `FieldType` finds the next type at: `MAX` once there is none.
    at: (usize, usize),
}

impl<const N: usize> Walk<N> {
    /// A walk of `names` from the type written `root`.
    #[must_use]
    pub const fn new(root: &'static str, names: &'static [&'static str]) -> Self {
        Walk {
            root,
            names,
            next: 0,
            state: State::Reading,
            steps: [Step::new(ENDED, usize::MAX, usize::MAX); N],
            len: 0,
            at: (usize::MAX, usize::MAX),
        }
    }

    /// The walk, once it is known whether its first type may start a path.
    #[must_use]
    pub const fn root(self, root: bool) -> Self {
        if !root {
            fail(
                &Message::new()
                    .text("`")
                    .text(self.root)
                    .text("` is a container or a wrapper: a field path starts at the type that derives `Privacy`, \
                           which it names wherever the type is (write the type inside the container)"),
            );
        }
        self
    }

    /// The variant of the field whose type the walk goes on into.
    #[must_use]
    pub const fn variant(&self) -> usize {
        self.at.0
    }

    /// The position of that field.
    #[must_use]
    pub const fn position(&self) -> usize {
        self.at.1
    }

    /// The path walked; only once the walk has ended.
    #[must_use]
    pub const fn path(&'static self) -> FieldPath {
        if !matches!(self.state, State::Ended) {
            fail(
                &Message::new()
                    .text("`privacy::field!` needs a field after the type, like `Member.phone`"),
            );
        }
        FieldPath::new(self.steps.split_at(self.len).0)
    }

    /// The walk after reading the names that belong to the type of schema `schema`.
    #[must_use]
    pub const fn enter(mut self, schema: &'static Schema) -> Self {
        match self.state {
            State::Ended => {}
            State::LeafPending => {
                if !matches!(schema.shape, Shape::Value { .. }) {
                    fail(
                        &self
                            .message()
                            .text(" names a field of type `")
                            .text(schema.type_name)
                            .text(
                                "`, whose own fields are classified one by one: name one of them",
                            ),
                    );
                }
                self.state = State::Ended;
            }
            State::Reading => return self.read(schema),
        }
        self.at = (usize::MAX, usize::MAX);
        self
    }

    /// Reads the next name (in an enum, the variant's name and then the field's) against
    /// `schema`.
    const fn read(mut self, schema: &'static Schema) -> Self {
        if self.next >= self.names.len() {
            fail(
                &Message::new()
                    .text("`privacy::field!` needs a field after the type, like `Member.phone`"),
            );
        }
        let (variant, fields) = match schema.shape {
            Shape::Struct(fields) => (0, fields),
            Shape::Enum(variants) => {
                let index = self.read_variant(schema, variants);
                (index, variants[index].fields)
            }
            Shape::Value { .. } | Shape::Tuple(_) | Shape::Map { .. } => fail(
                &self
                    .message_upto(self.next)
                    .text(": `")
                    .text(schema.type_name)
                    .text("` has no named fields to go on into"),
            ),
        };
        let position = self.find_field(schema, fields);
        let field = &fields[position];
        self.next += 1;
        self.steps[self.len] = Step::new(schema, variant, position);
        self.len += 1;
        let last = self.next == self.names.len();
        if field.nested.is_some() {
            self.at = (variant, position);
            self.state = if last {
                State::LeafPending
            } else {
                State::Reading
            };
            return self;
        }
        if !last {
            fail(
                &self
                    .message_upto(self.next)
                    .text(": field `")
                    .text(field.name)
                    .text("` is classified by its attribute, and has no fields to go on into"),
            );
        }
        self.check_shown(field);
        self.state = State::Ended;
        self.at = (usize::MAX, usize::MAX);
        self
    }

    /// The index of the variant the next name names, which is then read.
    const fn read_variant(&mut self, schema: &Schema, variants: &[crate::Variant]) -> usize {
        let name = self.names[self.next];
        let mut index = 0;
        while index < variants.len() && !eq(variants[index].name, name) {
            index += 1;
        }
        if index == variants.len() {
            fail(
                &self
                    .message_upto(self.next)
                    .text(": enum `")
                    .text(schema.type_name)
                    .text("` has no variant `")
                    .text(name)
                    .text("`; name a variant, then one of its fields"),
            );
        }
        self.next += 1;
        if self.next == self.names.len() {
            fail(
                &self
                    .message()
                    .text(" names a variant: name one of its fields, like `")
                    .text(self.root)
                    .text(".")
                    .text(name)
                    .text(".field`"),
            );
        }
        index
    }

    /// The position among `fields` of the field the next name names.
    const fn find_field(&self, schema: &Schema, fields: &'static [crate::Field]) -> usize {
        let name = self.names[self.next];
        let mut position = 0;
        while position < fields.len() && !eq(fields[position].name, name) {
            position += 1;
        }
        if position == fields.len() {
            let mut message = self
                .message_upto(self.next)
                .text(": `")
                .text(schema.type_name)
                .text("` has no field `")
                .text(name)
                .text("`");
            if let Some(near) = nearest(name, fields) {
                message = message.text("; did you mean `").text(near).text("`?");
            }
            fail(&message);
        }
        position
    }

    /// A path ends at a field that some output shows redacted: not a safe one, not a skipped
    /// one.
    const fn check_shown(&self, field: &crate::Field) {
        if matches!(field.class, Class::Safe) {
            fail(&self.message().text(
                " names a `#[safe]` field, which is always shown: there is nothing to reveal",
            ));
        }
        if matches!(field.strategy, Some(Strategy::Skip)) {
            fail(&self.message().text(
                " names a `redact = skip` field, which no output shows: there is nothing to reveal",
            ));
        }
    }

    /// "`Type.a.b`", the whole path as written.
    const fn message(&self) -> Message {
        self.message_upto(self.names.len() - 1)
    }

    /// "`Type.a`", the path up to name `last`.
    const fn message_upto(&self, last: usize) -> Message {
        let mut message = Message::new().text("`").text(self.root);
        let mut index = 0;
        while index <= last && index < self.names.len() {
            message = message.text(".").text(self.names[index]);
            index += 1;
        }
        message.text("`")
    }
}

const fn eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut index = 0;
    while index < a.len() {
        if a[index] != b[index] {
            return false;
        }
        index += 1;
    }
    true
}

/// The field whose name is closest to `name`, if one is close: differs by at most two edits
/// (a typo), for the message.
const fn nearest(name: &str, fields: &'static [crate::Field]) -> Option<&'static str> {
    let mut best: Option<&'static str> = None;
    let mut best_distance = 3;
    let mut index = 0;
    while index < fields.len() {
        let distance = distance(name.as_bytes(), fields[index].name.as_bytes());
        if distance < best_distance {
            best = Some(fields[index].name);
            best_distance = distance;
        }
        index += 1;
    }
    best
}

/// The edit distance of two short names, capped: names longer than 32 bytes count as far.
const fn distance(a: &[u8], b: &[u8]) -> usize {
    const MAX: usize = 32;
    if a.len() > MAX || b.len() > MAX {
        return usize::MAX;
    }
    let mut previous = [0usize; MAX + 1];
    let mut current = [0usize; MAX + 1];
    let mut j = 0;
    while j <= b.len() {
        previous[j] = j;
        j += 1;
    }
    let mut i = 1;
    while i <= a.len() {
        current[0] = i;
        let mut j = 1;
        while j <= b.len() {
            let substitute = previous[j - 1] + if a[i - 1] == b[j - 1] { 0 } else { 1 };
            let delete = previous[j] + 1;
            let insert = current[j - 1] + 1;
            let mut best = substitute;
            if delete < best {
                best = delete;
            }
            if insert < best {
                best = insert;
            }
            current[j] = best;
            j += 1;
        }
        previous = current;
        i += 1;
    }
    previous[b.len()]
}

/// A message built at compile time, for `panic!`.
struct Message {
    bytes: [u8; 512],
    len: usize,
}

impl Message {
    const fn new() -> Self {
        Message {
            bytes: [0; 512],
            len: 0,
        }
    }

    const fn text(mut self, text: &str) -> Self {
        let text = text.as_bytes();
        let mut index = 0;
        while index < text.len() && self.len < self.bytes.len() {
            self.bytes[self.len] = text[index];
            self.len += 1;
            index += 1;
        }
        self
    }
}

impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(core::str::from_utf8(&self.bytes[..self.len]).unwrap_or(""))
    }
}

/// Ends the compile-time walk with `message`: rustc reports it as the error.
const fn fail(message: &Message) -> ! {
    // A long message may be cut inside a character: what is left up to it is still shown.
    let (mut head, _) = message.bytes.split_at(message.len);
    loop {
        match core::str::from_utf8(head) {
            Ok(text) => panic!("{}", text),
            Err(error) => head = head.split_at(error.valid_up_to()).0,
        }
    }
}
