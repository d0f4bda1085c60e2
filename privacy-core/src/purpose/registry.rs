//! Which purpose type holds each purpose name, in this process.
//!
//! Every name has at most one holder. The purposes declared with `purpose!` are known from the
//! start: a name that one of them declares is held by it, and a name that two of them declare is
//! contested and held by none. A purpose written by hand becomes known at its first use, and
//! holds its name if no other type holds or contests it. A holder keeps its name for the life of
//! the process, which is what lets every thread remember the holders it has seen and answer for
//! them without a lock.

use core::any::TypeId;
use core::fmt;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex, PoisonError};

/// A purpose declared with `purpose!`, registered wherever it is linked.
pub struct Declared {
    name: &'static str,
    type_id: fn() -> TypeId,
    type_name: fn() -> &'static str,
}

impl Declared {
    /// What `purpose!` registers: the purpose's checked name, and its type.
    #[must_use]
    pub const fn new(
        name: &'static str,
        type_id: fn() -> TypeId,
        type_name: fn() -> &'static str,
    ) -> Self {
        Declared {
            name,
            type_id,
            type_name,
        }
    }
}

impl fmt::Debug for Declared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Declared")
            .field("name", &self.name)
            .field("type", &(self.type_name)())
            .finish_non_exhaustive()
    }
}

::inventory::collect!(Declared);

/// A purpose's name is the name of another purpose type, so neither consent nor its refusal
/// can be told apart from the other type's: nothing is recorded or handed out for it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "the purpose name `{name}` of `{purpose}` is already the name of `{claimed_by}`: purpose \
     names are identities, so give each purpose a name of its own"
)]
#[non_exhaustive]
pub struct NameTaken {
    /// The name.
    pub name: &'static str,
    /// The purpose type refused, as [`core::any::type_name`] writes it.
    pub purpose: &'static str,
    /// A type that holds or also claims the name.
    pub claimed_by: &'static str,
}

#[derive(Clone, Copy)]
struct Claimant {
    id: TypeId,
    type_name: &'static str,
}

/// Every name that a type has claimed, with every type that claims it, in the order they came.
type Claims = HashMap<&'static str, Vec<Claimant>>;

static CLAIMS: LazyLock<Mutex<Claims>> = LazyLock::new(|| Mutex::new(declared()));

thread_local! {
    /// The purpose types that this thread has seen hold their names.
    static HOLDERS: RefCell<Vec<TypeId>> = const { RefCell::new(Vec::new()) };
}

fn declared() -> Claims {
    let mut claims = Claims::new();
    for declared in ::inventory::iter::<Declared> {
        let claimant = Claimant {
            id: (declared.type_id)(),
            type_name: (declared.type_name)(),
        };
        let claimants = claims.entry(declared.name).or_default();
        if !claimants.iter().any(|c| c.id == claimant.id) {
            claimants.push(claimant);
        }
    }
    claims
}

/// Claims `name` for the type `id` (named `type_name`): `Ok` if the type holds it from now on,
/// as it may already have.
#[inline]
pub(super) fn claim(
    name: &'static str,
    id: TypeId,
    type_name: &'static str,
) -> Result<(), NameTaken> {
    // A thread being torn down has no memory of holders; it asks the registry.
    let known = HOLDERS
        .try_with(|holders| holders.borrow().contains(&id))
        .unwrap_or(false);
    if known {
        return Ok(());
    }
    claim_in_registry(name, id, type_name)
}

#[cold]
fn claim_in_registry(
    name: &'static str,
    id: TypeId,
    type_name: &'static str,
) -> Result<(), NameTaken> {
    // Every change to the map is a single insertion or push, whole once it returns: a panic
    // elsewhere while the lock was held leaves nothing half-written.
    let mut claims = CLAIMS.lock().unwrap_or_else(PoisonError::into_inner);
    let claimants = claims.entry(name).or_default();
    if claimants.is_empty() {
        claimants.push(Claimant { id, type_name });
    }
    if let Some(other) = claimants.iter().find(|c| c.id != id) {
        return Err(NameTaken {
            name,
            purpose: type_name,
            claimed_by: other.type_name,
        });
    }
    drop(claims);
    let _ = HOLDERS.try_with(|holders| holders.borrow_mut().push(id));
    Ok(())
}
