//! A serializer that writes nothing: where the plan of a revealing `Serialize` is written, to
//! learn what the view would show before anything is.

use core::fmt;

use serde::ser::{
    Error, Serialize, SerializeMap, SerializeSeq, SerializeStruct, SerializeStructVariant,
    SerializeTuple, SerializeTupleStruct, SerializeTupleVariant, Serializer,
};

/// Accepts every value, keeps none.
pub(crate) struct Discard;

/// What a value's own `Serialize` reported while it was discarded.
#[derive(Debug)]
pub(crate) struct Discarded;

impl fmt::Display for Discarded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value failed to serialize")
    }
}

impl std::error::Error for Discarded {}

impl Error for Discarded {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Discarded
    }
}

macro_rules! scalars {
    ($($method:ident($ty:ty)),* $(,)?) => {$(
        fn $method(self, _: $ty) -> Result<(), Discarded> {
            Ok(())
        }
    )*};
}

impl Serializer for Discard {
    type Ok = ();
    type Error = Discarded;
    type SerializeSeq = Discard;
    type SerializeTuple = Discard;
    type SerializeTupleStruct = Discard;
    type SerializeTupleVariant = Discard;
    type SerializeMap = Discard;
    type SerializeStruct = Discard;
    type SerializeStructVariant = Discard;

    scalars!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_i128(i128),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_u128(u128),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_unit_struct(&'static str),
    );

    fn serialize_none(self) -> Result<(), Discarded> {
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Discarded> {
        value.serialize(Discard)
    }

    fn serialize_unit(self) -> Result<(), Discarded> {
        Ok(())
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<(), Discarded> {
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Discarded> {
        value.serialize(Discard)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        value: &T,
    ) -> Result<(), Discarded> {
        value.serialize(Discard)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Discard, Discarded> {
        Ok(Discard)
    }

    fn serialize_tuple(self, _: usize) -> Result<Discard, Discarded> {
        Ok(Discard)
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Discard, Discarded> {
        Ok(Discard)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Discard, Discarded> {
        Ok(Discard)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Discard, Discarded> {
        Ok(Discard)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Discard, Discarded> {
        Ok(Discard)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Discard, Discarded> {
        Ok(Discard)
    }

    fn collect_str<T: fmt::Display + ?Sized>(self, _: &T) -> Result<(), Discarded> {
        Ok(())
    }

    /// As a human-readable format does: the plan must take the paths the write takes.
    fn is_human_readable(&self) -> bool {
        true
    }
}

macro_rules! compound {
    ($($trait:ident { $($method:ident($($arg:ty),*)),* })*) => {$(
        impl $trait for Discard {
            type Ok = ();
            type Error = Discarded;
            $(
                fn $method<T: Serialize + ?Sized>(&mut self, $(_: $arg,)* value: &T) -> Result<(), Discarded> {
                    value.serialize(Discard)
                }
            )*
            fn end(self) -> Result<(), Discarded> {
                Ok(())
            }
        }
    )*};
}

compound! {
    SerializeSeq { serialize_element() }
    SerializeTuple { serialize_element() }
    SerializeTupleStruct { serialize_field() }
    SerializeTupleVariant { serialize_field() }
    SerializeStruct { serialize_field(&'static str) }
    SerializeStructVariant { serialize_field(&'static str) }
}

impl SerializeMap for Discard {
    type Ok = ();
    type Error = Discarded;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Discarded> {
        key.serialize(Discard)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Discarded> {
        value.serialize(Discard)
    }

    fn end(self) -> Result<(), Discarded> {
        Ok(())
    }
}
