//! The first example of the README, as a program: `cargo run --example quickstart`.

// The fields are read only by the redacted `Debug` here; real code reads them too.
#![allow(dead_code)]

use privacy::{Pii, Privacy};

#[derive(Privacy)]
struct Member {
    #[safe]
    #[privacy(subject)]
    id: u64,
    #[pii(name)]
    display_name: String,
    #[pii(phone, redact = last(4))]
    phone: String,
    #[pii(email, redact = email)]
    email: String,
    #[oii(org_name)]
    org: String,
    #[pii(ip, redact = ip_prefix)]
    last_ip: std::net::IpAddr,
    nickname: Option<Pii<String>>, // a wrapper classifies itself: no attribute needed
}

fn main() {
    let member = Member {
        id: 7,
        display_name: "Alice Example".into(),
        phone: "+44 20 7946 0958".into(),
        email: "alice@example.com".into(),
        org: "Contoso Health".into(),
        last_ip: "203.0.113.7".parse().unwrap(),
        nickname: Some(Pii::new("Ali".into())),
    };

    println!("{member:?}");
    println!("{member:#?}");

    assert_eq!(
        format!("{member:?}"),
        r#"Member { id: 7, display_name: <pii:name>, phone: <pii:phone …"0958">, email: <pii:email …@"example.com">, org: <oii:org_name>, last_ip: <pii:ip 203.0.113.0/24>, nickname: Some(<pii>) }"#,
    );
}
