//! Serializers that the generated `Serialize` uses for `#[serde(flatten)]` and for newtype
//! variants of internally tagged enums: the same shapes serde's derive writes, built on serde's
//! public API only.

use core::fmt::Display;

use serde::ser::{
    self, Error as _, Impossible, Serialize, SerializeMap, SerializeStruct, Serializer,
};

/// Serializes a flattened field into the map of the struct around it: a struct or map becomes
/// its entries, `None` and unit nothing, `Some` and newtype structs what they hold. Anything else
/// is an error, as with serde's own `flatten`.
pub struct FlatMapSerializer<'a, M>(pub &'a mut M);

fn cannot_flatten<E: ser::Error>(what: &str) -> E {
    E::custom(format_args!(
        "can only flatten structs and maps (got {what})"
    ))
}

macro_rules! unsupported {
    ($error:expr; $($method:ident($($arg:ty),*) -> $ret:ty: $what:literal;)*) => {$(
        fn $method(self, $(_: $arg),*) -> Result<$ret, Self::Error> {
            Err($error($what))
        }
    )*};
}

impl<'a, M: SerializeMap + 'a> Serializer for FlatMapSerializer<'a, M> {
    type Ok = ();
    type Error = M::Error;
    type SerializeSeq = Impossible<(), M::Error>;
    type SerializeTuple = Impossible<(), M::Error>;
    type SerializeTupleStruct = Impossible<(), M::Error>;
    type SerializeTupleVariant = Impossible<(), M::Error>;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), M::Error>;

    unsupported! { cannot_flatten;
        serialize_bool(bool) -> (): "a boolean";
        serialize_i8(i8) -> (): "an integer";
        serialize_i16(i16) -> (): "an integer";
        serialize_i32(i32) -> (): "an integer";
        serialize_i64(i64) -> (): "an integer";
        serialize_i128(i128) -> (): "an integer";
        serialize_u8(u8) -> (): "an integer";
        serialize_u16(u16) -> (): "an integer";
        serialize_u32(u32) -> (): "an integer";
        serialize_u64(u64) -> (): "an integer";
        serialize_u128(u128) -> (): "an integer";
        serialize_f32(f32) -> (): "a float";
        serialize_f64(f64) -> (): "a float";
        serialize_char(char) -> (): "a char";
        serialize_str(&str) -> (): "a string, such as a redacted value";
        serialize_bytes(&[u8]) -> (): "bytes";
        serialize_seq(Option<usize>) -> Self::SerializeSeq: "a sequence";
        serialize_tuple(usize) -> Self::SerializeTuple: "a tuple";
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct: "a tuple struct";
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant: "a tuple variant";
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant: "a struct variant";
    }

    fn serialize_none(self) -> Result<(), M::Error> {
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), M::Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), M::Error> {
        Ok(())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), M::Error> {
        Ok(())
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), M::Error> {
        self.0.serialize_entry(variant, &())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), M::Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), M::Error> {
        self.0.serialize_entry(variant, value)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self, M::Error> {
        Ok(self)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, M::Error> {
        Ok(self)
    }

    fn collect_str<T: Display + ?Sized>(self, _: &T) -> Result<(), M::Error> {
        Err(cannot_flatten("a string, such as a redacted value"))
    }
}

impl<'a, M: SerializeMap + 'a> SerializeMap for FlatMapSerializer<'a, M> {
    type Ok = ();
    type Error = M::Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), M::Error> {
        self.0.serialize_key(key)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), M::Error> {
        self.0.serialize_value(value)
    }

    fn end(self) -> Result<(), M::Error> {
        Ok(())
    }
}

impl<'a, M: SerializeMap + 'a> SerializeStruct for FlatMapSerializer<'a, M> {
    type Ok = ();
    type Error = M::Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), M::Error> {
        self.0.serialize_entry(key, value)
    }

    fn end(self) -> Result<(), M::Error> {
        Ok(())
    }
}

/// Serializes the content of a newtype variant of an internally tagged enum
/// (`#[serde(tag = "...")]`) with the tag as its first entry: a struct or map gains the entry,
/// a unit becomes a map of the tag alone. Anything else is an error, as with serde's own derive.
pub struct TaggedSerializer<S> {
    /// The name of the enum.
    pub type_name: &'static str,
    /// The name of the variant, for error messages.
    pub variant: &'static str,
    /// The tag's key.
    pub tag: &'static str,
    /// The tag's value: the variant's serialized name.
    pub variant_name: &'static str,
    /// The serializer to write to.
    pub delegate: S,
}

impl<S: Serializer> TaggedSerializer<S> {
    fn cannot_tag(&self, what: &str) -> S::Error {
        S::Error::custom(format_args!(
            "cannot serialize tagged newtype variant {}::{} containing {what}",
            self.type_name, self.variant
        ))
    }

    fn tag_alone(self) -> Result<S::Ok, S::Error> {
        let mut map = self.delegate.serialize_map(Some(1))?;
        map.serialize_entry(self.tag, self.variant_name)?;
        map.end()
    }
}

macro_rules! untaggable {
    ($($method:ident($($arg:ty),*) -> $ret:ty: $what:literal;)*) => {$(
        fn $method(self, $(_: $arg),*) -> Result<$ret, Self::Error> {
            Err(self.cannot_tag($what))
        }
    )*};
}

impl<S: Serializer> Serializer for TaggedSerializer<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Impossible<S::Ok, S::Error>;
    type SerializeTuple = Impossible<S::Ok, S::Error>;
    type SerializeTupleStruct = Impossible<S::Ok, S::Error>;
    type SerializeTupleVariant = Impossible<S::Ok, S::Error>;
    type SerializeMap = S::SerializeMap;
    type SerializeStruct = S::SerializeStruct;
    type SerializeStructVariant = Impossible<S::Ok, S::Error>;

    untaggable! {
        serialize_bool(bool) -> S::Ok: "a boolean";
        serialize_i8(i8) -> S::Ok: "an integer";
        serialize_i16(i16) -> S::Ok: "an integer";
        serialize_i32(i32) -> S::Ok: "an integer";
        serialize_i64(i64) -> S::Ok: "an integer";
        serialize_i128(i128) -> S::Ok: "an integer";
        serialize_u8(u8) -> S::Ok: "an integer";
        serialize_u16(u16) -> S::Ok: "an integer";
        serialize_u32(u32) -> S::Ok: "an integer";
        serialize_u64(u64) -> S::Ok: "an integer";
        serialize_u128(u128) -> S::Ok: "an integer";
        serialize_f32(f32) -> S::Ok: "a float";
        serialize_f64(f64) -> S::Ok: "a float";
        serialize_char(char) -> S::Ok: "a char";
        serialize_str(&str) -> S::Ok: "a string, such as a redacted value";
        serialize_bytes(&[u8]) -> S::Ok: "bytes";
        serialize_none() -> S::Ok: "an optional";
        serialize_seq(Option<usize>) -> Self::SerializeSeq: "a sequence";
        serialize_tuple(usize) -> Self::SerializeTuple: "a tuple";
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct: "a tuple struct";
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant: "a tuple variant";
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant: "a struct variant";
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<S::Ok, S::Error> {
        Err(self.cannot_tag("an optional"))
    }

    fn serialize_unit(self) -> Result<S::Ok, S::Error> {
        self.tag_alone()
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<S::Ok, S::Error> {
        self.tag_alone()
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        inner: &'static str,
    ) -> Result<S::Ok, S::Error> {
        let mut map = self.delegate.serialize_map(Some(2))?;
        map.serialize_entry(self.tag, self.variant_name)?;
        map.serialize_entry(inner, &())?;
        map.end()
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        inner: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        let mut map = self.delegate.serialize_map(Some(2))?;
        map.serialize_entry(self.tag, self.variant_name)?;
        map.serialize_entry(inner, value)?;
        map.end()
    }

    fn serialize_map(self, len: Option<usize>) -> Result<S::SerializeMap, S::Error> {
        let mut map = self.delegate.serialize_map(len.map(|len| len + 1))?;
        map.serialize_entry(self.tag, self.variant_name)?;
        Ok(map)
    }

    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<S::SerializeStruct, S::Error> {
        let mut state = self.delegate.serialize_struct(name, len + 1)?;
        state.serialize_field(self.tag, self.variant_name)?;
        Ok(state)
    }

    fn collect_str<T: Display + ?Sized>(self, _: &T) -> Result<S::Ok, S::Error> {
        Err(self.cannot_tag("a string, such as a redacted value"))
    }
}

/// The tag of an adjacently tagged enum (`#[serde(tag = "...", content = "...")]`), written as
/// serde's derive writes it: a unit variant, so the variant's name in self-describing formats
/// and its index in compact ones.
pub struct VariantTag {
    /// The name of the enum.
    pub enum_name: &'static str,
    /// The index of the variant among all variants.
    pub variant_index: u32,
    /// The serialized name of the variant.
    pub variant_name: &'static str,
}

impl Serialize for VariantTag {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_unit_variant(self.enum_name, self.variant_index, self.variant_name)
    }
}
