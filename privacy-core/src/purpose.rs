//! Purposes: why a value may be revealed.
//!
//! A field's `purposes(...)` lists the purposes for which consent may ever reveal it. The
//! built-in purposes live here; declare your own with [`purpose!`](crate::purpose!):
//!
//! ```
//! privacy::purpose! {
//!     /// Fraud investigation by the trust and safety team.
//!     pub struct FraudReview {
//!         name: "fraud_review",
//!         description: "Investigating reported fraud on the account",
//!     }
//! }
//!
//! #[derive(privacy::Privacy)]
//! struct Payment {
//!     #[pii(payment_card, redact = last(4), purposes(FraudReview))]
//!     card: String,
//! }
//! ```
//!
//! # Names are identities
//!
//! A consent store finds a subject's consent by the purpose's [`NAME`](Purpose::NAME) alone, in
//! this process and in every later one that opens the same store. Two purposes with one name
//! would share their consents, so no two can both be used:
//!
//! - A name is a stable identifier: non-empty `snake_case` (lowercase ASCII letters and digits,
//!   words joined by single underscores, starting with a letter). Store it, never change it.
//! - The names of the built-in purposes ([`BUILT_IN`]) are theirs: a purpose of your own with
//!   one does not compile.
//!
//!   ```compile_fail
//!   use privacy::consent::{ConsentStore, MemoryConsentStore};
//!
//!   struct MySupport;
//!
//!   impl privacy::Purpose for MySupport {
//!       const NAME: &'static str = "support"; // error: reserved for `privacy::purpose::Support`
//!       const DESCRIPTION: &'static str = "Helping you";
//!   }
//!
//!   let _ = MemoryConsentStore::new().consent::<MySupport>(&"7".into());
//!   ```
//!
//!   Both rules are checked by the compiler wherever a purpose is declared with `purpose!`,
//!   named in `purposes(...)`, or used with a consent store.
//! - Two purpose types of your own with one name are refused at run time, with
//!   [`ConsentError::PurposeNameTaken`](crate::consent::ConsentError::PurposeNameTaken), before
//!   anything is recorded or handed out: by every grant, withdrawal and consent lookup, and by
//!   [`claim`]. The purposes declared with `purpose!` are known to the process from its start,
//!   so two of them with one name are both refused from their first use, whichever comes first,
//!   and no other type can take a name one of them declares. A purpose that implements
//!   [`Purpose`] by hand is known from its first use: the first type to use a name holds it,
//!   and the other is refused. Declare purposes with `purpose!`, so that what is refused does
//!   not depend on which code runs first, and so that a purpose named only in `purposes(...)`
//!   keeps its name too. (Registration relies on the linker keeping the declaring code, as the
//!   [data inventory](crate::inventory) does: a purpose declared in a library is known once the
//!   program links that library's code.)
//!
//! ```
//! use privacy::consent::{ConsentError, ConsentStore, Evidence, MemoryConsentStore};
//!
//! privacy::purpose! {
//!     /// Investigating reported fraud.
//!     pub struct FraudReview {
//!         name: "fraud_review",
//!         description: "Investigating reported fraud on the account",
//!     }
//! }
//!
//! /// Another team's purpose, written by hand, that picked the same name.
//! struct Chargebacks;
//!
//! impl privacy::Purpose for Chargebacks {
//!     const NAME: &'static str = "fraud_review";
//!     const DESCRIPTION: &'static str = "Disputing card payments";
//! }
//!
//! let store = MemoryConsentStore::new();
//! let alice = "7".into();
//! store.grant(&alice, FraudReview, Evidence::new("fraud report form v1"))?;
//! let Err(ConsentError::PurposeNameTaken(taken)) = store.consent::<Chargebacks>(&alice) else {
//!     panic!("`Chargebacks` must not receive `FraudReview`'s consent");
//! };
//! assert_eq!(taken.name, "fraud_review");
//! # Ok::<(), ConsentError>(())
//! ```

mod name;
pub(crate) mod registry;

use core::any::TypeId;
use core::marker::PhantomData;

pub use registry::NameTaken;

/// A reason for which a person may consent to their data being revealed.
///
/// Declare one with [`purpose!`](crate::purpose!), which checks its name where it is declared
/// and registers it, so that the whole process knows its name from the start. Implementing the
/// trait by hand is allowed; the name is then checked where the purpose is used. See [the
/// module](self) for the rules a name follows.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a purpose",
    label = "`purposes(...)` names types that implement `privacy::Purpose`",
    note = "the built-in purposes are Diagnostics, Support, ProductImprovement, Personalization \
            and Analytics; declare your own with `privacy::purpose! {{ pub struct YourPurpose \
            {{ name: \"your_purpose\", description: \"...\" }} }}`"
)]
pub trait Purpose: 'static {
    /// The purpose's identity, stored with every consent record: a stable, non-empty
    /// `snake_case` name that no other purpose has, and not the name of a built-in purpose.
    const NAME: &'static str;
    /// A sentence a person can read when asked for consent.
    const DESCRIPTION: &'static str;
    /// Whether this is a built-in purpose: only those may have a built-in name. Not public
    /// API, and only this crate can give it a value other than `None`.
    #[doc(hidden)]
    const __BUILT_IN: Option<BuiltIn<Self>> = None;
}

/// Proof that a purpose is a built-in one. Only this crate can make one, and it is generic
/// over the purpose, so a purpose of your own cannot borrow a built-in one's.
#[doc(hidden)]
pub struct BuiltIn<P: ?Sized>(PhantomData<fn(&P)>);

impl<P: ?Sized> BuiltIn<P> {
    const fn proof() -> Self {
        BuiltIn(PhantomData)
    }
}

/// A purpose's name, once the compiler has checked it. Every function that takes a
/// `P: Purpose` reads `P::CHECKED_NAME` in its own body, so that a purpose whose name breaks
/// a rule fails to compile with a note that points at the call that uses it.
pub(crate) trait CheckedName: Purpose {
    const CHECKED_NAME: &'static str;
}

impl<P: Purpose + ?Sized> CheckedName for P {
    const CHECKED_NAME: &'static str = {
        if let Err(rule) = name::syntax(P::NAME) {
            panic!("{}", rule);
        }
        if P::__BUILT_IN.is_none() {
            if let Some(rule) = reserved(P::NAME) {
                panic!("{}", rule);
            }
        }
        P::NAME
    };
}

/// Claims `P`'s name for `P` in this process, as every grant, withdrawal and consent lookup
/// does first: `Ok` when `P` holds it, `Err` when another purpose type holds it or also
/// declares it. Call it at start-up for every purpose a program uses, to fail early.
///
/// Once `P` holds its name, it holds it for the life of the process, and asking again costs a
/// few nanoseconds.
///
/// ```
/// use privacy::purpose::{self, Support};
///
/// purpose::claim::<Support>().expect("a built-in purpose holds its name");
/// ```
pub fn claim<P: Purpose>() -> Result<(), NameTaken> {
    registry::claim(
        P::CHECKED_NAME,
        TypeId::of::<P>(),
        core::any::type_name::<P>(),
    )
}

/// Declares purposes: for each, a unit struct that implements [`Purpose`] (and derives `Clone`,
/// `Copy`, `Debug`, `Default`, `PartialEq`, `Eq` and `Hash`, like the built-in purposes), whose
/// name the compiler checks here, and which the process knows from its start (see [the
/// module](mod@crate::purpose) for why that matters).
///
/// ```
/// use privacy::Purpose;
///
/// privacy::purpose! {
///     /// Investigating reported fraud.
///     pub struct FraudReview {
///         name: "fraud_review",
///         description: "Investigating reported fraud on the account",
///     }
///
///     /// Reminding people of what they left in their basket.
///     pub(crate) struct Reminders {
///         name: "basket_reminders",
///         description: "Reminding you of what you left in your basket",
///     }
/// }
///
/// assert_eq!(FraudReview::NAME, "fraud_review");
/// assert_eq!(Reminders::DESCRIPTION, "Reminding you of what you left in your basket");
/// ```
///
/// A name that is not `snake_case`, or that is a built-in purpose's, does not compile:
///
/// ```compile_fail
/// privacy::purpose! {
///     pub struct FraudReview {
///         name: "Fraud review", // error: not snake_case
///         description: "Investigating reported fraud on the account",
///     }
/// }
/// ```
#[macro_export]
macro_rules! purpose {
    ($(
        $(#[$attr:meta])*
        $vis:vis struct $purpose:ident {
            name: $name:literal,
            description: $description:literal $(,)?
        }
    )*) => {$(
        $(#[$attr])*
        #[derive(
            ::core::clone::Clone,
            ::core::marker::Copy,
            ::core::fmt::Debug,
            ::core::default::Default,
            ::core::cmp::PartialEq,
            ::core::cmp::Eq,
            ::core::hash::Hash,
        )]
        $vis struct $purpose;

        impl $crate::Purpose for $purpose {
            const NAME: &'static str = $name;
            const DESCRIPTION: &'static str = $description;
        }

        $crate::__private::inventory::submit! {
            $crate::__private::DeclaredPurpose::new(
                $crate::__private::purpose_name::<$purpose>(),
                ::core::any::TypeId::of::<$purpose>,
                ::core::any::type_name::<$purpose>,
            )
        }
    )*};
}

macro_rules! purposes {
    ($($(#[$meta:meta])* $name:ident = $stable:literal, $description:literal;)*) => {
        $(
            $(#[$meta])*
            #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
            pub struct $name;

            impl Purpose for $name {
                const NAME: &'static str = $stable;
                const DESCRIPTION: &'static str = $description;
                const __BUILT_IN: Option<BuiltIn<Self>> = Some(BuiltIn::proof());
            }

            ::inventory::submit! {
                registry::Declared::new(
                    <$name as CheckedName>::CHECKED_NAME,
                    TypeId::of::<$name>,
                    core::any::type_name::<$name>,
                )
            }
        )*

        /// The stable names of the built-in purposes.
        pub const BUILT_IN: &[&str] = &[$($stable),*];

        /// Each built-in name, with the rule a purpose of your own that takes it breaks.
        const RESERVED: &[(&str, &str)] = &[$((
            $stable,
            concat!(
                "the purpose name `", $stable, "` is the name of the built-in purpose \
                 `privacy::purpose::", stringify!($name), "`: a purpose of your own needs a \
                 name of its own, such as \"fraud_review\"",
            ),
        )),*];
    };
}

purposes! {
    /// Finding and fixing faults: crash reports, error logs, diagnostics uploads.
    Diagnostics = "diagnostics", "Finding and fixing faults in the product";
    /// Helping the person when they ask for help.
    Support = "support", "Helping you when you contact support";
    /// Improving the product from how it is used.
    ProductImprovement = "product_improvement", "Improving the product from how it is used";
    /// Tailoring the product to the person.
    Personalization = "personalization", "Tailoring the product to you";
    /// Measuring use in aggregate.
    Analytics = "analytics", "Measuring how the product is used, in aggregate";
}

/// Why a purpose that is not built in may not be named `name`, if it may not.
const fn reserved(name: &str) -> Option<&'static str> {
    let mut i = 0;
    while i < RESERVED.len() {
        let (built_in, rule) = RESERVED[i];
        if name::eq(name, built_in) {
            return Some(rule);
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{reserved, BUILT_IN};

    #[test]
    fn the_built_in_names_are_reserved_and_no_other() {
        for name in BUILT_IN {
            let rule = reserved(name).expect(name);
            assert!(rule.contains(&format!("`{name}`")), "{rule}");
        }
        for name in ["support_team", "supports", "suppor", "diagnostic"] {
            assert_eq!(reserved(name), None, "{name}");
        }
    }
}
