//! Purpose names are identities: a consent store refuses, with `ConsentError::PurposeNameTaken`,
//! every grant, withdrawal and consent of a purpose whose name another purpose type holds, before
//! it records or hands out anything. (A name of a built-in purpose, or one that is not
//! `snake_case`, does not compile: see `tests/ui/purpose_*.rs` and `tests/ui/build/`.)
//!
//! The registry of names is process-wide and every test runs in the same process, so each test
//! has purposes, and names, of its own.

use std::sync::Barrier;
use std::thread;

use privacy::consent::{ConsentError, ConsentStore, Evidence, MemoryConsentStore};
use privacy::purpose::{self, NameTaken, Support};
use privacy::{Purpose, SubjectId};

/// A purpose written by hand, as the trait allows.
macro_rules! hand_written {
    ($($purpose:ident = $name:literal;)*) => {
        $(
            struct $purpose;

            impl Purpose for $purpose {
                const NAME: &'static str = $name;
                const DESCRIPTION: &'static str = "A purpose of these tests";
            }
        )*
    };
}

fn evidence() -> Evidence {
    Evidence::new("tests/purpose.rs")
}

/// The error of `result`, which must be a refusal of `P`'s name because `Holder` holds it.
#[track_caller]
fn assert_taken<T: std::fmt::Debug, P: Purpose, Holder: Purpose>(result: Result<T, ConsentError>) {
    match result {
        Err(ConsentError::PurposeNameTaken(taken)) => {
            assert_eq!(taken.name, P::NAME);
            assert_eq!(taken.purpose, std::any::type_name::<P>());
            assert_eq!(taken.claimed_by, std::any::type_name::<Holder>());
        }
        other => panic!(
            "expected the name of `{}` to be taken, got {other:?}",
            P::NAME
        ),
    }
}

hand_written! {
    Review = "review";
    ReviewToo = "review";
}

#[test]
fn a_second_type_with_a_name_in_use_is_refused_and_nothing_is_recorded() {
    let store = MemoryConsentStore::new();
    let alice = SubjectId::from("alice");
    store
        .grant(&alice, Review, evidence())
        .expect("the first type takes the name");

    assert_taken::<_, ReviewToo, Review>(store.consent::<ReviewToo>(&alice));
    assert_taken::<_, ReviewToo, Review>(store.grant(&alice, ReviewToo, evidence()));
    assert_taken::<_, ReviewToo, Review>(store.withdraw(&alice, ReviewToo));

    let history = store.history(&alice).expect("history");
    assert_eq!(
        history.len(),
        1,
        "only the first type's grant is recorded: {history:?}"
    );
    store
        .consent::<Review>(&alice)
        .expect("the first type keeps its consent");
}

hand_written! {
    Archive = "archive";
    ArchiveToo = "archive";
}

#[cfg(feature = "sqlite")]
#[test]
fn the_sqlite_store_refuses_the_second_type_too_and_writes_nothing() {
    use privacy::consent::SqliteConsentStore;

    let store = SqliteConsentStore::in_memory().expect("open");
    let alice = SubjectId::from("alice");
    store.grant(&alice, Archive, evidence()).expect("grant");
    assert_taken::<_, ArchiveToo, Archive>(store.grant(&alice, ArchiveToo, evidence()));
    assert_taken::<_, ArchiveToo, Archive>(store.withdraw(&alice, ArchiveToo));
    assert_taken::<_, ArchiveToo, Archive>(store.consent::<ArchiveToo>(&alice));
    assert_eq!(store.history(&alice).expect("history").len(), 1);
    store
        .consent::<Archive>(&alice)
        .expect("the first type keeps its consent");
}

hand_written! {
    Refund = "refund";
    RefundToo = "refund";
}

#[test]
fn a_refused_type_is_refused_on_every_thread_and_the_holder_works_on_every_thread() {
    let store = MemoryConsentStore::new();
    let bob = SubjectId::from("bob");
    store.grant(&bob, Refund, evidence()).expect("grant");
    assert_taken::<_, RefundToo, Refund>(store.consent::<RefundToo>(&bob));

    thread::scope(|scope| {
        scope.spawn(|| {
            assert_taken::<_, RefundToo, Refund>(store.consent::<RefundToo>(&bob));
            store
                .consent::<Refund>(&bob)
                .expect("the holder, on another thread");
        });
    });
}

hand_written! {
    Race = "race";
    RaceToo = "race";
}

#[test]
fn of_two_types_racing_for_one_name_on_many_threads_exactly_one_gets_it() {
    const THREADS: usize = 8;
    let store = MemoryConsentStore::new();
    let start = Barrier::new(THREADS);
    let outcomes: Vec<(bool, bool)> = thread::scope(|scope| {
        let threads: Vec<_> = (0..THREADS)
            .map(|i| {
                let (store, start) = (&store, &start);
                scope.spawn(move || {
                    let subject = SubjectId::from(i);
                    start.wait();
                    let first = i % 2 == 0;
                    let granted = if first {
                        store.grant(&subject, Race, evidence()).is_ok()
                    } else {
                        store.grant(&subject, RaceToo, evidence()).is_ok()
                    };
                    (first, granted)
                })
            })
            .collect();
        threads
            .into_iter()
            .map(|t| t.join().expect("thread"))
            .collect()
    });

    let winners: Vec<bool> = outcomes
        .iter()
        .filter(|(_, granted)| *granted)
        .map(|(first, _)| *first)
        .collect();
    assert_eq!(
        winners.len(),
        THREADS / 2,
        "one type's grants, all of them: {outcomes:?}"
    );
    assert!(
        winners.iter().all(|&first| first == winners[0]),
        "both types were granted consent under one name: {outcomes:?}"
    );
}

hand_written! {
    Billing = "billing";
    Shipping = "shipping";
    Returns = "returns";
    Warranty = "warranty";
}

/// Grants and looks up consent for `P` on `store`, for a subject of its own.
fn grant_and_consent<P: Purpose>(store: &MemoryConsentStore, purpose: P, subject: &str) {
    let subject = SubjectId::from(subject);
    store.grant(&subject, purpose, evidence()).expect("grant");
    store.consent::<P>(&subject).expect("consent");
}

#[test]
fn distinct_names_each_have_consent_of_their_own_on_every_thread() {
    let store = MemoryConsentStore::new();
    thread::scope(|scope| {
        for round in 0..4 {
            let store = &store;
            scope.spawn(move || grant_and_consent(store, Billing, &format!("billing-{round}")));
            scope.spawn(move || grant_and_consent(store, Shipping, &format!("shipping-{round}")));
            scope.spawn(move || grant_and_consent(store, Returns, &format!("returns-{round}")));
            scope.spawn(move || grant_and_consent(store, Warranty, &format!("warranty-{round}")));
        }
    });

    let carol = SubjectId::from("carol");
    store.grant(&carol, Billing, evidence()).expect("grant");
    assert!(matches!(
        store.consent::<Shipping>(&carol),
        Err(ConsentError::NotGranted { .. })
    ));
    assert!(matches!(
        store.consent::<Support>(&carol),
        Err(ConsentError::NotGranted { .. })
    ));
}

privacy::purpose! {
    /// A declared purpose that two types declare.
    struct Ledger {
        name: "ledger",
        description: "Keeping the ledger",
    }
    /// The other one.
    struct LedgerToo {
        name: "ledger",
        description: "Keeping the ledger, again",
    }
}

#[test]
fn two_declared_types_with_one_name_are_both_refused_from_their_first_use() {
    let store = MemoryConsentStore::new();
    let dave = SubjectId::from("dave");
    // Neither was used before in this process; the first one used does not win the name.
    assert_taken::<_, Ledger, LedgerToo>(store.grant(&dave, Ledger, evidence()));
    assert_taken::<_, LedgerToo, Ledger>(store.grant(&dave, LedgerToo, evidence()));
    assert_taken::<_, Ledger, LedgerToo>(store.consent::<Ledger>(&dave));
    assert!(store.history(&dave).expect("history").is_empty());
}

privacy::purpose! {
    /// A declared purpose, not used in this process before the test below.
    pub struct Audit {
        name: "audit",
        description: "Auditing the accounts",
    }
}

hand_written! {
    AuditToo = "audit";
}

#[test]
fn a_declared_name_is_held_before_its_first_use_so_no_other_type_takes_it() {
    let store = MemoryConsentStore::new();
    let erin = SubjectId::from("7");
    assert_taken::<_, AuditToo, Audit>(store.grant(&erin, AuditToo, evidence()));
    assert_taken::<_, AuditToo, Audit>(store.consent::<AuditToo>(&erin));
    assert!(store.history(&erin).expect("history").is_empty());

    store
        .grant(&erin, Audit, evidence())
        .expect("the declared type holds its name");
    store.consent::<Audit>(&erin).expect("consent");
}

privacy::purpose! {
    /// A declared purpose that nobody else names.
    pub(crate) struct Onboarding {
        name: "onboarding",
        description: "Helping you set up your account",
    }
}

/// Compiles for a type with the derives of the built-in purposes.
fn like_a_built_in<P: Copy + std::fmt::Debug + Default + Eq + std::hash::Hash>() {}

#[test]
fn a_declared_purpose_has_its_name_and_description_and_behaves_like_a_built_in() {
    assert_eq!(Onboarding::NAME, "onboarding");
    assert_eq!(Onboarding::DESCRIPTION, "Helping you set up your account");
    assert_eq!(format!("{Onboarding:?}"), "Onboarding");
    like_a_built_in::<Onboarding>();
    purpose::claim::<Onboarding>().expect("a name of its own");

    let store = MemoryConsentStore::new();
    let frank = SubjectId::from("frank");
    store.grant(&frank, Onboarding, evidence()).expect("grant");
    store.consent::<Onboarding>(&frank).expect("consent");
}

hand_written! {
    Claimed = "claimed";
    ClaimedToo = "claimed";
}

#[test]
fn claim_answers_what_the_stores_answer() {
    purpose::claim::<Claimed>().expect("the first type takes the name");
    let taken: NameTaken = purpose::claim::<ClaimedToo>().expect_err("the second type is refused");
    assert_eq!(
        taken.to_string(),
        format!(
            "the purpose name `claimed` of `{}` is already the name of `{}`: purpose names are \
             identities, so give each purpose a name of its own",
            std::any::type_name::<ClaimedToo>(),
            std::any::type_name::<Claimed>(),
        )
    );
    assert_taken::<_, ClaimedToo, Claimed>(
        MemoryConsentStore::new().consent::<ClaimedToo>(&SubjectId::from("grace")),
    );
}
