//! `Pii<T>` and `Oii<T>`: a classification that travels with a single value.

use core::fmt;

use crate::{Class, Classified, Schema, Shape};

macro_rules! wrapper {
    (
        $(#[$meta:meta])*
        $name:ident, $class:expr, $placeholder:literal, $lower:literal
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        #[repr(transparent)]
        pub struct $name<T: ?Sized>(T);

        impl<T> $name<T> {
            #[doc = concat!("Classifies `value` as ", $lower, ".")]
            #[must_use]
            pub const fn new(value: T) -> Self {
                $name(value)
            }

            /// Unwraps the value, for code that processes it (never for output).
            #[must_use]
            pub fn into_inner(self) -> T {
                self.0
            }
        }

        impl<T: ?Sized> $name<T> {
            /// Borrows the value, for code that processes it: compare, look up, store, send to
            /// the person it belongs to. Never use it to log or display the value.
            #[must_use]
            pub const fn expose(&self) -> &T {
                &self.0
            }

            /// Mutably borrows the value, for code that processes it.
            #[must_use]
            pub fn expose_mut(&mut self) -> &mut T {
                &mut self.0
            }
        }

        impl<T> From<T> for $name<T> {
            fn from(value: T) -> Self {
                $name(value)
            }
        }

        impl<T: ?Sized> fmt::Debug for $name<T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str($placeholder)
            }
        }

        impl<T: ?Sized> fmt::Display for $name<T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str($placeholder)
            }
        }

        /// Writes the placeholder, never the value.
        #[cfg(feature = "serde")]
        impl<T: ?Sized> serde::Serialize for $name<T> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str($placeholder)
            }
        }

        /// Reads the plain value, as `T` would: the wrapper is transparent on input.
        #[cfg(feature = "serde")]
        impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for $name<T> {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                T::deserialize(deserializer).map($name)
            }
        }

        /// A string value holding the placeholder, never the value.
        #[cfg(feature = "valuable")]
        impl<T: ?Sized> valuable::Valuable for $name<T> {
            fn as_value(&self) -> valuable::Value<'_> {
                valuable::Value::String($placeholder)
            }

            fn visit(&self, visit: &mut dyn valuable::Visit) {
                visit.visit_value(valuable::Value::String($placeholder));
            }
        }

        impl<T: ?Sized> Classified for $name<T> {
            const SCHEMA: &'static Schema = &Schema {
                type_name: stringify!($name),
                shape: Shape::Value { class: $class, kind: None },
                carries_pii: matches!($class, Class::Pii),
                carries_oii: matches!($class, Class::Oii),
                identity: None,
            };
        }
    };
}

wrapper! {
    /// A value that identifies a person, wherever it travels: a function argument, a local, a
    /// map key, a field.
    ///
    /// Its `Debug` and `Display` print `<pii>` and never call `T`'s own; [`Pii::expose`] gives
    /// the value to code that processes it.
    ///
    /// ```
    /// use privacy::Pii;
    ///
    /// let phone = Pii::new(String::from("+44 20 7946 0958"));
    /// assert_eq!(format!("{phone:?} {phone}"), "<pii> <pii>");
    /// assert!(phone.expose().starts_with("+44"));
    /// ```
    Pii, Class::Pii, "<pii>", "PII (it identifies a person)"
}

wrapper! {
    /// A value that identifies an organization: its name, tenant id or domain.
    ///
    /// Its `Debug` and `Display` print `<oii>` and never call `T`'s own; [`Oii::expose`] gives
    /// the value to code that processes it.
    ///
    /// ```
    /// use privacy::Oii;
    ///
    /// let org = Oii::new("Contoso Health");
    /// assert_eq!(format!("{org:?}"), "<oii>");
    /// ```
    Oii, Class::Oii, "<oii>", "OII (it identifies an organization)"
}
