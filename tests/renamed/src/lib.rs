//! `#[privacy(crate = "...")]` and `#[instrument(crate = "...")]` with the facade renamed in
//! `Cargo.toml`: there is no `::privacy` here, so the macros compile only if they follow the
//! attribute.

#![deny(warnings)]

use renamed_privacy::{Classified, Pii, Privacy};

/// A type deriving through the renamed crate.
#[derive(Privacy)]
#[privacy(crate = "renamed_privacy")]
pub struct Member {
    /// Safe.
    #[safe]
    pub id: u64,
    /// Partially shown.
    #[pii(phone, redact = last(4), purposes(Support))]
    pub phone: String,
    /// Nested.
    pub nick: Option<Pii<String>>,
}

/// An enum, to cover the enum expansion too.
#[derive(Privacy)]
#[privacy(crate = "::renamed_privacy")]
pub enum Contact {
    /// A phone number.
    Phone(#[pii(phone)] String),
}

/// Renders both types.
#[must_use]
pub fn render() -> String {
    let member = Member {
        id: 3,
        phone: "+1 555 0134 7788".into(),
        nick: None,
    };
    format!(
        "{member:?} {:?} {}",
        Contact::Phone("1".into()),
        Member::SCHEMA.type_name
    )
}

/// An instrumented function through the renamed crate.
#[renamed_privacy::instrument(crate = "renamed_privacy", ret)]
#[must_use]
pub fn register(
    #[safe] id: u64,
    #[pii(phone, redact = last(4))] phone: &str,
    nick: Option<Pii<String>>,
) -> Member {
    Member {
        id,
        phone: phone.into(),
        nick,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn derive_follows_the_crate_attribute() {
        assert_eq!(
            super::render(),
            r#"Member { id: 3, phone: <pii:phone …"7788">, nick: None } Phone(<pii:phone>) Member"#
        );
    }

    #[test]
    fn instrument_follows_the_crate_attribute() {
        let member = super::register(3, "+1 555 0134 7788", None);
        assert_eq!(
            format!("{member:?}"),
            r#"Member { id: 3, phone: <pii:phone …"7788">, nick: None }"#
        );
    }
}
