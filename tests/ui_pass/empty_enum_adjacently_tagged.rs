//! An empty enum with `#[serde(tag = "t", content = "c")]`: it has every output, and no value.

use privacy::{Classified, Privacy};

#[derive(Privacy)]
#[serde(tag = "t", content = "c")]
enum Never {}

fn assert_outputs<T: std::fmt::Debug + serde::Serialize + Classified>() {}

fn main() {
    assert_outputs::<Never>();
}
