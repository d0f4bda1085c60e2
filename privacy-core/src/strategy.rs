//! How a classified field is shown in output.

use core::fmt;
use std::net::IpAddr;

/// How a classified field is redacted, as written in `redact = ...`.
///
/// Every strategy writes a placeholder naming the class and kind; the partial ones add a part of
/// the value that is never the whole of it.
///
/// | attribute | output for `+44 20 7946 0958` / `alice@example.com` / `203.0.113.7` |
/// |---|---|
/// | `hide` (default) | `<pii:phone>` |
/// | `last(4)` | `<pii:phone …"0958">` |
/// | `first(3)` | `<pii:phone "+44"…>` |
/// | `email` | `<pii:email …@"example.com">` |
/// | `ip_prefix` | `<pii:ip 203.0.113.0/24>` |
/// | `hash` | `<pii:email #k1:4f2a9c01d3b7e655>` |
/// | `with = path` | `<pii:phone ` + what the function writes + `>` |
/// | `skip` | the field is left out, and the type's output ends in `..` |
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Strategy {
    /// A placeholder only: no length, no shape, not even whether an `Option` holds a value.
    Hide,
    /// The last `N` characters, and never more than half of the value.
    Last(usize),
    /// The first `N` characters, and never more than half of the value.
    First(usize),
    /// The domain of an e-mail address.
    Email,
    /// The network of an IP address: `/24` for IPv4, `/48` for IPv6.
    IpPrefix,
    /// A keyed HMAC-SHA256 pseudonym: equal values give equal output under one key.
    Hash,
    /// A user function, named by its path.
    With(&'static str),
    /// Left out of every output.
    Skip,
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Strategy::Hide => f.pad("hide"),
            Strategy::Last(n) => f.pad(&format!("last({n})")),
            Strategy::First(n) => f.pad(&format!("first({n})")),
            Strategy::Email => f.pad("email"),
            Strategy::IpPrefix => f.pad("ip_prefix"),
            Strategy::Hash => f.pad("hash"),
            Strategy::With(path) => f.pad(&format!("with = {path}")),
            Strategy::Skip => f.pad("skip"),
        }
    }
}

/// A value whose text the partial strategies (`last`, `first`, `email`) and `hash` can read.
///
/// Implemented for the string types, `char`, the integer types, the IP address types, the
/// wrappers, and references, boxes and `Option`s of those (`None` has no text and is shown as
/// the plain placeholder). Implement it for your own type to use those strategies on it:
///
/// ```
/// use std::fmt;
/// use privacy::{strategy::Text, Privacy};
///
/// struct Iban(String);
///
/// impl Text for Iban {
///     fn with_text<R>(&self, f: impl FnOnce(&dyn fmt::Display) -> R) -> Option<R> {
///         Some(f(&self.0))
///     }
/// }
///
/// #[derive(Privacy)]
/// struct Payout {
///     #[pii(custom = "iban", redact = last(4))]
///     account: Iban,
/// }
///
/// let payout = Payout { account: Iban("GB33BUKB20201555555555".into()) };
/// assert_eq!(format!("{payout:?}"), r#"Payout { account: <pii:iban …"5555"> }"#);
/// ```
pub trait Text {
    /// Calls `f` with the value's text, or returns `None` when there is no value.
    fn with_text<R>(&self, f: impl FnOnce(&dyn fmt::Display) -> R) -> Option<R>;

    /// The text as a `str`, when the value holds one, so that the strategies can read it directly
    /// instead of formatting it twice. [`StrText::NotStr`] (the default) when the text exists
    /// only through [`Text::with_text`].
    #[doc(hidden)]
    fn as_str(&self) -> StrText<'_> {
        StrText::NotStr
    }
}

/// What [`Text::as_str`] finds.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub enum StrText<'a> {
    /// The value's text.
    Str(&'a str),
    /// No value (a `None`): nothing to show.
    Absent,
    /// The text is not held as a `str`; read it with [`Text::with_text`].
    NotStr,
}

macro_rules! text_via_display {
    ($($ty:ty),* $(,)?) => {$(
        impl Text for $ty {
            fn with_text<R>(&self, f: impl FnOnce(&dyn fmt::Display) -> R) -> Option<R> {
                Some(f(&self))
            }
        }
    )*};
}

macro_rules! text_str {
    ($($ty:ty),* $(,)?) => {$(
        impl Text for $ty {
            fn with_text<R>(&self, f: impl FnOnce(&dyn fmt::Display) -> R) -> Option<R> {
                Some(f(&self))
            }

            fn as_str(&self) -> StrText<'_> {
                StrText::Str(self)
            }
        }
    )*};
}

text_str! { str, String, std::borrow::Cow<'_, str> }

text_via_display! {
    char,
    u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize,
    IpAddr, std::net::Ipv4Addr, std::net::Ipv6Addr,
    std::net::SocketAddr, std::net::SocketAddrV4, std::net::SocketAddrV6,
}

macro_rules! text_via_deref {
    ($([$($generics:tt)*] $ty:ty;)*) => {$(
        impl<$($generics)*> Text for $ty {
            fn with_text<R>(&self, f: impl FnOnce(&dyn fmt::Display) -> R) -> Option<R> {
                (**self).with_text(f)
            }

            fn as_str(&self) -> StrText<'_> {
                (**self).as_str()
            }
        }
    )*};
}

text_via_deref! {
    ['a, T: Text + ?Sized] &'a T;
    ['a, T: Text + ?Sized] &'a mut T;
    [T: Text + ?Sized] Box<T>;
    [T: Text + ?Sized] std::rc::Rc<T>;
    [T: Text + ?Sized] std::sync::Arc<T>;
}

impl<T: Text> Text for Option<T> {
    fn with_text<R>(&self, f: impl FnOnce(&dyn fmt::Display) -> R) -> Option<R> {
        self.as_ref()?.with_text(f)
    }

    fn as_str(&self) -> StrText<'_> {
        match self {
            Some(value) => value.as_str(),
            None => StrText::Absent,
        }
    }
}

impl<T: Text + ?Sized> Text for crate::Pii<T> {
    fn with_text<R>(&self, f: impl FnOnce(&dyn fmt::Display) -> R) -> Option<R> {
        self.expose().with_text(f)
    }

    fn as_str(&self) -> StrText<'_> {
        self.expose().as_str()
    }
}

impl<T: Text + ?Sized> Text for crate::Oii<T> {
    fn with_text<R>(&self, f: impl FnOnce(&dyn fmt::Display) -> R) -> Option<R> {
        self.expose().with_text(f)
    }

    fn as_str(&self) -> StrText<'_> {
        self.expose().as_str()
    }
}

macro_rules! text_strategy {
    ($($(#[$meta:meta])* $name:ident;)*) => {$(
        $(#[$meta])*
        pub trait $name: Text {}
        // Errors name the strategy, not `Text`, the trait behind it.
        #[diagnostic::do_not_recommend]
        impl<T: Text + ?Sized> $name for T {}
    )*};
}

text_strategy! {
    /// The types `redact = last(N)` accepts: every [`Text`].
    #[diagnostic::on_unimplemented(
        message = "`redact = last(N)` cannot read the text of `{Self}`",
        label = "`last(N)` needs a string, a number, or a type that implements `privacy::strategy::Text`",
        note = "use `redact = hide` for this field, or implement `privacy::strategy::Text` for `{Self}`"
    )]
    LastStrategy;
    /// The types `redact = first(N)` accepts: every [`Text`].
    #[diagnostic::on_unimplemented(
        message = "`redact = first(N)` cannot read the text of `{Self}`",
        label = "`first(N)` needs a string, a number, or a type that implements `privacy::strategy::Text`",
        note = "use `redact = hide` for this field, or implement `privacy::strategy::Text` for `{Self}`"
    )]
    FirstStrategy;
    /// The types `redact = email` accepts: every [`Text`].
    #[diagnostic::on_unimplemented(
        message = "`redact = email` cannot read the text of `{Self}`",
        label = "`email` needs a string or a type that implements `privacy::strategy::Text`",
        note = "use `redact = hide` for this field, or implement `privacy::strategy::Text` for `{Self}`"
    )]
    EmailStrategy;
    /// The types `redact = hash` accepts: every [`Text`].
    #[diagnostic::on_unimplemented(
        message = "`redact = hash` cannot read the text of `{Self}`",
        label = "`hash` needs a string, a number, or a type that implements `privacy::strategy::Text`",
        note = "use `redact = hide` for this field, or implement `privacy::strategy::Text` for `{Self}`"
    )]
    HashStrategy;
}

/// The types `redact = ip_prefix` accepts: IP and socket addresses, strings that hold one (a
/// string that does not parse is shown as the plain placeholder), and references, boxes,
/// `Option`s and wrappers of those.
#[diagnostic::on_unimplemented(
    message = "`redact = ip_prefix` needs an IP address, and `{Self}` is not one",
    label = "`ip_prefix` cannot redact a `{Self}`",
    note = "`ip_prefix` works on `IpAddr`, `Ipv4Addr`, `Ipv6Addr`, `SocketAddr` and strings that hold an address; \
            use `redact = hide` for other types"
)]
pub trait IpPrefixStrategy {
    /// The address, or `None` when there is none (a `None`, or a string that is not one).
    fn ip_addr(&self) -> Option<IpAddr>;
}

impl IpPrefixStrategy for IpAddr {
    fn ip_addr(&self) -> Option<IpAddr> {
        Some(*self)
    }
}

impl IpPrefixStrategy for std::net::Ipv4Addr {
    fn ip_addr(&self) -> Option<IpAddr> {
        Some(IpAddr::V4(*self))
    }
}

impl IpPrefixStrategy for std::net::Ipv6Addr {
    fn ip_addr(&self) -> Option<IpAddr> {
        Some(IpAddr::V6(*self))
    }
}

impl IpPrefixStrategy for std::net::SocketAddr {
    fn ip_addr(&self) -> Option<IpAddr> {
        Some(self.ip())
    }
}

impl IpPrefixStrategy for std::net::SocketAddrV4 {
    fn ip_addr(&self) -> Option<IpAddr> {
        Some(IpAddr::V4(*self.ip()))
    }
}

impl IpPrefixStrategy for std::net::SocketAddrV6 {
    fn ip_addr(&self) -> Option<IpAddr> {
        Some(IpAddr::V6(*self.ip()))
    }
}

impl IpPrefixStrategy for str {
    fn ip_addr(&self) -> Option<IpAddr> {
        let text = self.trim();
        text.parse::<IpAddr>().ok().or_else(|| {
            text.parse::<std::net::SocketAddr>()
                .ok()
                .map(|addr| addr.ip())
        })
    }
}

macro_rules! ip_via_deref {
    ($([$($generics:tt)*] $ty:ty;)*) => {$(
        impl<$($generics)*> IpPrefixStrategy for $ty {
            fn ip_addr(&self) -> Option<IpAddr> {
                (**self).ip_addr()
            }
        }
    )*};
}

ip_via_deref! {
    [] String;
    ['a] std::borrow::Cow<'a, str>;
    ['a, T: IpPrefixStrategy + ?Sized] &'a T;
    ['a, T: IpPrefixStrategy + ?Sized] &'a mut T;
    [T: IpPrefixStrategy + ?Sized] Box<T>;
    [T: IpPrefixStrategy + ?Sized] std::rc::Rc<T>;
    [T: IpPrefixStrategy + ?Sized] std::sync::Arc<T>;
}

impl<T: IpPrefixStrategy> IpPrefixStrategy for Option<T> {
    fn ip_addr(&self) -> Option<IpAddr> {
        self.as_ref()?.ip_addr()
    }
}

impl<T: IpPrefixStrategy + ?Sized> IpPrefixStrategy for crate::Pii<T> {
    fn ip_addr(&self) -> Option<IpAddr> {
        self.expose().ip_addr()
    }
}

impl<T: IpPrefixStrategy + ?Sized> IpPrefixStrategy for crate::Oii<T> {
    fn ip_addr(&self) -> Option<IpAddr> {
        self.expose().ip_addr()
    }
}
