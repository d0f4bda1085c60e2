//! Purposes: why a value may be revealed.
//!
//! A field's `purposes(...)` lists the purposes for which consent may ever reveal it. The
//! built-in purposes live here; declare your own by implementing [`Purpose`] on a unit struct:
//!
//! ```
//! use privacy::Purpose;
//!
//! /// Fraud investigation by the trust and safety team.
//! pub struct FraudReview;
//!
//! impl Purpose for FraudReview {
//!     const NAME: &'static str = "fraud_review";
//!     const DESCRIPTION: &'static str = "Investigating reported fraud on the account";
//! }
//!
//! #[derive(privacy::Privacy)]
//! struct Payment {
//!     #[pii(payment_card, redact = last(4), purposes(FraudReview))]
//!     card: String,
//! }
//! ```

/// A reason for which a person may consent to their data being revealed.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a purpose",
    label = "`purposes(...)` names types that implement `privacy::Purpose`",
    note = "the built-in purposes are Diagnostics, Support, ProductImprovement, Personalization \
            and Analytics; declare your own with `impl privacy::Purpose for YourPurpose`"
)]
pub trait Purpose: 'static {
    /// A stable, machine-readable name (`snake_case`), stored with every consent record.
    const NAME: &'static str;
    /// A sentence a person can read when asked for consent.
    const DESCRIPTION: &'static str;
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
            }
        )*

        /// The stable names of the built-in purposes.
        pub const BUILT_IN: &[&str] = &[$($stable),*];
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
