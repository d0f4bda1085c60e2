#![allow(non_camel_case_types)]

use privacy::Privacy;

// The stub impls of an invalid input name their own parameters unlike the type's: only the
// mistake is reported.
#[derive(Privacy)]
struct Member<'__a, '__c, __S, __field> {
    #[pii(phon)]
    phone: &'__a str,
    #[safe]
    tag: &'__c str,
    inner: __S,
    more: __field,
}

fn main() {}
