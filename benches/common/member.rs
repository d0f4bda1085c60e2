//! The `Member` every benchmark formats: two safe fields and five classified strings, once as a
//! plain twin with std's and serde's derives, and once per redaction the benchmarks compare.
//! Every variant is named `Member`, so that each output spells the same type name.

// Each benchmark uses some of these variants; like std's derive, the redacted `Debug` does not
// count as reading a field.
#![allow(dead_code)]

pub const ID: u64 = 7;
pub const JOINED_DAYS: u32 = 412;
pub const DISPLAY_NAME: &str = "Alice Example";
pub const PHONE: &str = "+44 20 7946 0958";
/// 15 bytes: the length the HMAC floor of `redact = hash` is measured on.
pub const EMAIL: &str = "ann@example.com";
pub const ORG: &str = "Contoso Health";
pub const IP: &str = "203.0.113.7";

/// Fills a variant from the same values (in a benchmark that declares this module `member`).
macro_rules! member {
    ($ty:ident) => {
        $ty {
            id: $crate::member::ID,
            joined_days: $crate::member::JOINED_DAYS,
            display_name: $crate::member::DISPLAY_NAME.into(),
            phone: $crate::member::PHONE.into(),
            email: $crate::member::EMAIL.into(),
            org: $crate::member::ORG.into(),
            last_ip: $crate::member::IP.into(),
        }
    };
}

/// The plain twin: what a type without any classification derives.
pub mod plain {
    #[derive(Debug, serde::Serialize)]
    pub struct Member {
        pub id: u64,
        pub joined_days: u32,
        pub display_name: String,
        pub phone: String,
        pub email: String,
        pub org: String,
        pub last_ip: String,
    }

    #[must_use]
    pub fn member() -> Member {
        member!(Member)
    }
}

/// Every classified field hidden (the default strategy).
pub mod hidden {
    use privacy::Privacy;

    #[derive(Privacy)]
    pub struct Member {
        #[safe]
        #[privacy(subject)]
        pub id: u64,
        #[safe]
        pub joined_days: u32,
        #[pii(name, purposes(Diagnostics))]
        pub display_name: String,
        #[pii(phone, purposes(Diagnostics))]
        pub phone: String,
        #[pii(email, purposes(Diagnostics))]
        pub email: String,
        #[oii(org_name, purposes(Diagnostics))]
        pub org: String,
        #[pii(ip, purposes(Diagnostics))]
        pub last_ip: String,
    }

    #[must_use]
    pub fn member() -> Member {
        member!(Member)
    }
}

/// The partial strategies: the phone's last four characters, the email's domain.
pub mod partial {
    use privacy::Privacy;

    #[derive(Privacy)]
    pub struct Member {
        #[safe]
        #[privacy(subject)]
        pub id: u64,
        #[safe]
        pub joined_days: u32,
        #[pii(name)]
        pub display_name: String,
        #[pii(phone, redact = last(4))]
        pub phone: String,
        #[pii(email, redact = email)]
        pub email: String,
        #[oii(org_name)]
        pub org: String,
        #[pii(ip)]
        pub last_ip: String,
    }

    #[must_use]
    pub fn member() -> Member {
        member!(Member)
    }
}

/// A keyed pseudonym of the email, every other classified field hidden.
pub mod hashed {
    use privacy::Privacy;

    #[derive(Privacy)]
    pub struct Member {
        #[safe]
        #[privacy(subject)]
        pub id: u64,
        #[safe]
        pub joined_days: u32,
        #[pii(name)]
        pub display_name: String,
        #[pii(phone)]
        pub phone: String,
        #[pii(email, redact = hash)]
        pub email: String,
        #[oii(org_name)]
        pub org: String,
        #[pii(ip)]
        pub last_ip: String,
    }

    #[must_use]
    pub fn member() -> Member {
        member!(Member)
    }
}
