#!/usr/bin/env bash
# What `#[derive(Privacy)]` costs at compile time, against `#[derive(Debug, serde::Serialize)]`.
#
# Generates two crates of the same 200 domain types (structs with safe and classified String,
# u64 and IpAddr fields, types nested in others, enums): one classifies every field and derives
# `privacy::Privacy`, the other has plain fields and derives `Debug` and `serde::Serialize`. Both
# depend on this workspace by path and on serde, so they share every dependency, which is built
# once. Then each crate alone is rebuilt after touching its lib.rs, best of 3, and so is each
# derive crate from clean: privacy-derive against serde_derive.
#
#   bash benches/compile-time.sh            # from any directory
#   RUNS=5 TYPES=400 bash benches/compile-time.sh
#
# Builds are of the dev profile, without incremental compilation (as CI builds), in a target
# directory of their own under target/compile-time, so the workspace's own is left alone.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${RUNS:-3}
types=${TYPES:-200}
scratch="$root/target/compile-time"
export CARGO_TARGET_DIR="$scratch/target"
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
export CARGO_TERM_COLOR=never

# One domain type, numbered $1, with or without the classification ($2 = privacy | plain).
# Types nest earlier ones, so the derives see nested types as well as leaves.
emit_type() {
    local i=$1 flavour=$2
    local derive attr_safe attr_name attr_phone attr_email attr_ip attr_org attr_tenant attr_note
    if [[ $flavour == privacy ]]; then
        derive='#[derive(privacy::Privacy)]'
        attr_safe='#[safe] '
        attr_name='#[pii(name)] '
        attr_phone='#[pii(phone, redact = last(4))] '
        attr_email='#[pii(email, redact = email)] '
        attr_ip='#[pii(ip, redact = ip_prefix)] '
        attr_org='#[oii(org_name)] '
        attr_tenant='#[oii(tenant_id, redact = hash)] '
        attr_note='#[pii(message, purposes(Support))] '
    else
        derive='#[derive(Debug, serde::Serialize)]'
        attr_safe='' attr_name='' attr_phone='' attr_email='' attr_ip='' attr_org=''
        attr_tenant='' attr_note=''
    fi
    case $((i % 4)) in
    0)
        cat <<EOF
$derive
pub struct User$i {
    ${attr_safe}pub id: u64,
    ${attr_name}pub name: String,
    ${attr_phone}pub phone: String,
    ${attr_email}pub email: String,
    ${attr_ip}pub last_ip: IpAddr,
    ${attr_org}pub org: String,
    ${attr_safe}pub logins: u32,
}

EOF
        ;;
    1)
        cat <<EOF
$derive
pub struct Account$i {
    ${attr_safe}pub id: u64,
    ${attr_tenant}pub tenant: String,
    pub owner: User$((i - 1)),
    ${attr_safe}pub tags: Vec<String>,
    ${attr_note}pub note: Option<String>,
}

EOF
        ;;
    2)
        cat <<EOF
$derive
pub enum Event$i {
    Created {
        ${attr_safe}id: u64,
        ${attr_name}by: String,
    },
    Moved(${attr_ip}IpAddr, ${attr_safe}u64),
    Shared { account: Account$((i - 1)) },
    Deleted,
}

EOF
        ;;
    3)
        cat <<EOF
$derive
pub struct Session$i {
    ${attr_safe}pub id: u64,
    pub user: User$((i - 3)),
    pub events: Vec<Event$((i - 1))>,
    ${attr_ip}pub client_ip: IpAddr,
    ${attr_email}pub contact: String,
}

EOF
        ;;
    esac
}

# A crate named $1 holding $types types of flavour $2.
generate_crate() {
    local name=$1 flavour=$2 dir="$scratch/$1"
    mkdir -p "$dir/src"
    cat >"$dir/Cargo.toml" <<EOF
[package]
name = "$name"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
privacy = { path = "$root" }
serde = { version = "1", features = ["derive"] }
EOF
    {
        echo "//! $types generated domain types ($flavour)."
        echo '#![allow(dead_code)]'
        echo 'use std::net::IpAddr;'
        echo
        for ((i = 0; i < types; i++)); do
            emit_type "$i" "$flavour"
        done
    } >"$dir/src/lib.rs"
}

now_ns() { date +%s%N; }

# Best of $runs: the fastest wall time, in milliseconds, of `prepare` then `cargo build $@`,
# counting the build only.
best_of() {
    local prepare=$1
    shift
    local best='' start elapsed
    for ((run = 0; run < runs; run++)); do
        eval "$prepare"
        start=$(now_ns)
        cargo build --quiet "$@"
        elapsed=$((($(now_ns) - start) / 1000000))
        if [[ -z $best || $elapsed -lt $best ]]; then best=$elapsed; fi
    done
    echo "$best"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

mkdir -p "$scratch"
cat >"$scratch/Cargo.toml" <<EOF
[workspace]
members = ["privacy-types", "plain-types"]
resolver = "2"
EOF
# The workspace's versions of every shared dependency.
cp "$root/Cargo.lock" "$scratch/Cargo.lock"
generate_crate privacy-types privacy
generate_crate plain-types plain
cd "$scratch"

echo "Building the dependencies once (target: $CARGO_TARGET_DIR) ..."
cargo build --quiet --workspace

echo "Timing, best of $runs (CARGO_INCREMENTAL=$CARGO_INCREMENTAL) ..."
privacy_ms=$(best_of 'touch privacy-types/src/lib.rs' -p privacy-types)
plain_ms=$(best_of 'touch plain-types/src/lib.rs' -p plain-types)
derive_ms=$(best_of 'cargo clean --quiet -p privacy-derive' -p privacy-derive)
serde_derive_ms=$(best_of 'cargo clean --quiet -p serde_derive' -p serde_derive)

printf '\n%-58s %8s\n' "build" "best ms"
printf '%-58s %8d\n' "$types types, #[derive(privacy::Privacy)]" "$privacy_ms"
printf '%-58s %8d\n' "$types types, #[derive(Debug, serde::Serialize)]" "$plain_ms"
printf '%-58s %8s\n' "  ratio" "$(ratio "$privacy_ms" "$plain_ms")x"
printf '%-58s %8d\n' "privacy-derive from clean" "$derive_ms"
printf '%-58s %8d\n' "serde_derive from clean" "$serde_derive_ms"
printf '%-58s %8s\n' "  ratio" "$(ratio "$derive_ms" "$serde_derive_ms")x"
