//! How a purpose's name is written, as `const fn`s: the compiler applies them to every purpose
//! a program declares or uses (see `CheckedName` in the parent module).

/// Why `name` is not a stable identifier, if it is not one: non-empty `snake_case`, that is,
/// words of lowercase ASCII letters and digits joined by single underscores, starting with a
/// letter.
pub(crate) const fn syntax(name: &str) -> Result<(), &'static str> {
    let bytes = name.as_bytes();
    let Some(&first) = bytes.first() else {
        return Err(
            "a purpose's `NAME` is empty: give it a stable snake_case name, \
             such as \"fraud_review\"",
        );
    };
    if !first.is_ascii_lowercase() {
        return Err(
            "a purpose's `NAME` must start with a lowercase ASCII letter: give it a \
             stable snake_case name, such as \"fraud_review\"",
        );
    }
    let mut i = 1;
    while i < bytes.len() {
        let byte = bytes[i];
        if byte == b'_' {
            if bytes[i - 1] == b'_' || i + 1 == bytes.len() {
                return Err(
                    "a purpose's `NAME` joins its words with single underscores and \
                     does not end with one: give it a stable snake_case name, such as \
                     \"fraud_review\"",
                );
            }
        } else if !byte.is_ascii_lowercase() && !byte.is_ascii_digit() {
            return Err(
                "a purpose's `NAME` may hold only lowercase ASCII letters, digits and \
                 underscores: give it a stable snake_case name, such as \
                 \"fraud_review\"",
            );
        }
        i += 1;
    }
    Ok(())
}

/// `a == b`, which `str` does not offer in `const` yet.
pub(crate) const fn eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::{eq, syntax};

    #[test]
    fn snake_case_names_pass() {
        for name in ["a", "fraud_review", "v2", "notice_v2_1", "x9_y"] {
            assert_eq!(syntax(name), Ok(()), "{name}");
        }
    }

    #[test]
    fn every_other_name_is_refused_with_the_rule_it_breaks() {
        for (name, rule) in [
            ("", "is empty"),
            ("Fraud", "must start with a lowercase"),
            ("_fraud", "must start with a lowercase"),
            ("2fa", "must start with a lowercase"),
            ("fraud__review", "single underscores"),
            ("fraud_", "single underscores"),
            ("fraud review", "may hold only"),
            ("fraud-review", "may hold only"),
            ("fraudReview", "may hold only"),
            ("fraud.review", "may hold only"),
            ("caf\u{e9}", "may hold only"),
        ] {
            let refused = syntax(name).expect_err(name);
            assert!(refused.contains(rule), "{name:?}: {refused}");
        }
    }

    #[test]
    fn eq_compares_every_byte() {
        assert!(eq("support", "support"));
        assert!(!eq("support", "supporT"));
        assert!(!eq("support", "suppor"));
        assert!(eq("", ""));
    }
}
