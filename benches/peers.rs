//! The same `Member` redacted by the crates that solve neighbouring problems, in the same groups
//! as std's and serde's derives on the plain twin and as `#[derive(Privacy)]`:
//!
//! - veil 0.3: `#[derive(Redact)]` with `#[redact]` on the five classified fields;
//! - redactable 0.10: its derived `Debug`, its logging helper (`redacted_output()`, which redacts
//!   a clone and formats it) and its redacted JSON (`redacted_json()`, written by `serde_json`);
//! - `data_privacy` 0.13: `#[derive(RedactedDebug)]` over classified newtypes, through a
//!   `RedactionEngine` that erases every class, and through one with an xxH3 redactor per class;
//! - secrecy 0.10: `SecretString` fields under std's `#[derive(Debug)]`.
//!
//! `cargo bench --bench peers`

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};

#[path = "common/measure.rs"]
mod measure;
#[macro_use]
#[path = "common/member.rs"]
mod member;

use measure::{bench_format, bench_json, debug, to_json};
use member::{hidden, partial, plain};

mod veil_member {
    use veil::Redact;

    #[derive(Redact)]
    pub struct Member {
        pub id: u64,
        pub joined_days: u32,
        #[redact]
        pub display_name: String,
        #[redact]
        pub phone: String,
        #[redact]
        pub email: String,
        #[redact]
        pub org: String,
        #[redact]
        pub last_ip: String,
    }

    pub fn member() -> Member {
        member!(Member)
    }
}

mod redactable_member {
    use redactable::{Email, IpAddress, PhoneNumber, Pii, Secret, Sensitive};

    #[derive(Clone, Sensitive, serde::Serialize)]
    pub struct Member {
        pub id: u64,
        pub joined_days: u32,
        #[sensitive(Pii)]
        pub display_name: String,
        #[sensitive(PhoneNumber)]
        pub phone: String,
        #[sensitive(Email)]
        pub email: String,
        #[sensitive(Secret)]
        pub org: String,
        #[sensitive(IpAddress)]
        pub last_ip: String,
    }

    pub fn member() -> Member {
        member!(Member)
    }
}

mod data_privacy_member {
    use data_privacy::simple_redactor::{SimpleRedactor, SimpleRedactorMode};
    use data_privacy::xxh3_redactor::xxH3Redactor;
    use data_privacy::{classified, taxonomy, RedactedDebug, RedactionEngine};

    #[taxonomy(bench)]
    pub enum Taxonomy {
        Name,
        Phone,
        Email,
        OrgName,
        Ip,
    }

    #[classified(Taxonomy::Name)]
    pub struct Name(pub String);
    #[classified(Taxonomy::Phone)]
    pub struct Phone(pub String);
    #[classified(Taxonomy::Email)]
    pub struct Email(pub String);
    #[classified(Taxonomy::OrgName)]
    pub struct OrgName(pub String);
    #[classified(Taxonomy::Ip)]
    pub struct Ip(pub String);

    #[derive(RedactedDebug)]
    pub struct Member {
        #[unredacted]
        pub id: u64,
        #[unredacted]
        pub joined_days: u32,
        pub display_name: Name,
        pub phone: Phone,
        pub email: Email,
        pub org: OrgName,
        pub last_ip: Ip,
    }

    pub fn member() -> Member {
        Member {
            id: super::member::ID,
            joined_days: super::member::JOINED_DAYS,
            display_name: Name(super::member::DISPLAY_NAME.into()),
            phone: Phone(super::member::PHONE.into()),
            email: Email(super::member::EMAIL.into()),
            org: OrgName(super::member::ORG.into()),
            last_ip: Ip(super::member::IP.into()),
        }
    }

    /// An engine that erases every class.
    pub fn erasing() -> RedactionEngine {
        RedactionEngine::builder()
            .set_fallback_redactor(SimpleRedactor::with_mode(SimpleRedactorMode::Erase))
            .build()
    }

    /// An engine with an xxH3 redactor (192-byte secret, the recommended length) per class.
    pub fn xxh3() -> RedactionEngine {
        let classes = [
            Taxonomy::Name,
            Taxonomy::Phone,
            Taxonomy::Email,
            Taxonomy::OrgName,
            Taxonomy::Ip,
        ];
        classes
            .into_iter()
            .fold(RedactionEngine::builder(), |builder, class| {
                builder
                    .add_class_redactor(class.data_class(), xxH3Redactor::with_secret([7u8; 192]))
            })
            .build()
    }
}

mod secrecy_member {
    use secrecy::SecretString;

    // std's derived `Debug` does not count as reading a field.
    #[allow(dead_code)]
    #[derive(Debug)]
    pub struct Member {
        pub id: u64,
        pub joined_days: u32,
        pub display_name: SecretString,
        pub phone: SecretString,
        pub email: SecretString,
        pub org: SecretString,
        pub last_ip: SecretString,
    }

    pub fn member() -> Member {
        member!(Member)
    }
}

fn debug_peers(c: &mut Criterion) {
    use redactable::{RedactedOutput, RedactedOutputExt, ToRedactedOutput};

    let mut group = c.benchmark_group("peers/debug");
    bench_format(
        &mut group,
        "std derive (plain twin)",
        &plain::member(),
        debug,
    );
    bench_format(&mut group, "privacy hide", &hidden::member(), debug);
    bench_format(&mut group, "privacy partial", &partial::member(), debug);
    bench_format(&mut group, "veil", &veil_member::member(), debug);
    bench_format(
        &mut group,
        "redactable derived Debug",
        &redactable_member::member(),
        debug,
    );
    bench_format(
        &mut group,
        "redactable redacted_output()",
        &redactable_member::member(),
        |out, member| {
            let RedactedOutput::Text(text) = member.redacted_output().to_redacted_output() else {
                unreachable!("redacted_output() is text")
            };
            out.push_str(&text);
            Ok(())
        },
    );
    let erasing = data_privacy_member::erasing();
    bench_format(
        &mut group,
        "data_privacy erase",
        &data_privacy_member::member(),
        |out, member| erasing.redacted_debug(member, out),
    );
    let xxh3 = data_privacy_member::xxh3();
    bench_format(
        &mut group,
        "data_privacy xxh3 per class",
        &data_privacy_member::member(),
        |out, member| xxh3.redacted_debug(member, out),
    );
    bench_format(&mut group, "secrecy", &secrecy_member::member(), debug);
    group.finish();
}

fn json_peers(c: &mut Criterion) {
    use redactable::{RedactedJsonExt, RedactedOutput, ToRedactedOutput};

    let mut group = c.benchmark_group("peers/json");
    bench_json(
        &mut group,
        "serde derive (plain twin)",
        &plain::member(),
        to_json,
    );
    bench_json(&mut group, "privacy hide", &hidden::member(), to_json);
    bench_json(&mut group, "privacy partial", &partial::member(), to_json);
    bench_json(
        &mut group,
        "redactable redacted_json()",
        &redactable_member::member(),
        |out, member| {
            let RedactedOutput::Json(json) = member.redacted_json().to_redacted_output() else {
                unreachable!("redacted_json() is JSON")
            };
            serde_json::to_writer(out, &json)
        },
    );
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));
    targets = debug_peers, json_peers
}
criterion_main!(benches);
