//! Measurements that write into a buffer which keeps its room between iterations, so that what
//! is measured is the formatting or the serializing, not the allocator.

// Each benchmark uses some of these.
#![allow(dead_code)]

use std::fmt::{self, Write as _};
use std::hint::black_box;

use criterion::measurement::WallTime;
use criterion::BenchmarkGroup;

/// Measures `format` writing `value` into a buffer that keeps its room between iterations.
pub fn bench_format<T>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    value: &T,
    format: impl Fn(&mut String, &T) -> fmt::Result,
) {
    let mut out = String::with_capacity(1024);
    group.bench_function(name, |b| {
        b.iter(|| {
            out.clear();
            format(&mut out, black_box(value)).expect("formatting into a String");
            black_box(out.len())
        });
    });
}

pub fn debug<T: fmt::Debug>(out: &mut String, value: &T) -> fmt::Result {
    write!(out, "{value:?}")
}

pub fn pretty<T: fmt::Debug>(out: &mut String, value: &T) -> fmt::Result {
    write!(out, "{value:#?}")
}

/// Measures `serialize` writing `value` into a `Vec` that keeps its room between iterations.
pub fn bench_json<T>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    value: &T,
    serialize: impl Fn(&mut Vec<u8>, &T) -> serde_json::Result<()>,
) {
    let mut out = Vec::with_capacity(1024);
    group.bench_function(name, |b| {
        b.iter(|| {
            out.clear();
            serialize(&mut out, black_box(value)).expect("serializing into a Vec");
            black_box(out.len())
        });
    });
}

pub fn to_json<T: serde::Serialize>(out: &mut Vec<u8>, value: &T) -> serde_json::Result<()> {
    serde_json::to_writer(out, value)
}
