//! JSON answers, decoded straight from the text into [`Value`]s by the
//! catalogue's shape (a serde `DeserializeSeed`): no intermediate tree.

use alloc::borrow::Cow;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::coerce::{self, Path};
use crate::catalog::{Field, Type};
use crate::error::{Error, Result};
use crate::value::Value;

/// Decodes a JSON document whose top level is an object with `fields`.
/// Errors carry serde_json's line and column and the field's path.
pub fn decode_object(body: &str, fields: &[Field]) -> Result<Value> {
    finish(body, |de| Root { fields }.deserialize(de))
}

/// Decodes a JSON document of the given type.
pub fn decode(body: &str, ty: &Type) -> Result<Value> {
    finish(body, |de| {
        Shape {
            ty,
            path: &Path::Root,
        }
        .deserialize(de)
    })
}

fn finish<'de>(
    body: &'de str,
    run: impl FnOnce(
        &mut serde_json::Deserializer<serde_json::de::StrRead<'de>>,
    ) -> serde_json::Result<Value>,
) -> Result<Value> {
    let mut de = serde_json::Deserializer::from_str(body);
    let value = run(&mut de).map_err(|e| Error::decode(e.to_string()))?;
    de.end().map_err(|e| Error::decode(e.to_string()))?;
    Ok(value)
}

/// The top level: an object with the given fields (a runtime list, so the
/// common fields can be joined to the operation's own).
struct Root<'f> {
    fields: &'f [Field],
}

impl<'de> DeserializeSeed<'de> for Root<'_> {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, de: D) -> Result<Value, D::Error> {
        de.deserialize_any(self)
    }
}

/// What serde_json's own type error says, in its words. Every `visit_*` a
/// top level can reach is written out: the default ones build serde's
/// `Unexpected`, whose `Display` formats floats with core's printer (about
/// 18 KB of the WebAssembly; see `crate::request::format_float`).
fn not_an_object<E: de::Error>(found: &str) -> Result<Value, E> {
    Err(E::custom(format_args!(
        "invalid type: {found}, expected an object at the top level"
    )))
}

impl<'de> Visitor<'de> for Root<'_> {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object at the top level")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Value, A::Error> {
        fields(map, self.fields, &Path::Root)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        not_an_object(&format!("boolean `{v}`"))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        not_an_object(&format!("integer `{v}`"))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        not_an_object(&format!("integer `{v}`"))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        not_an_object(&format!(
            "floating point `{}`",
            crate::request::format_float(v)
        ))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        not_an_object(&format!("string {v:?}"))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        not_an_object("null")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Value, A::Error> {
        not_an_object("sequence")
    }
}

/// The members of a structure with known fields; unknown ones are skipped.
fn fields<'de, A: MapAccess<'de>>(
    mut map: A,
    fields: &[Field],
    path: &Path<'_>,
) -> Result<Value, A::Error> {
    let mut slots: Vec<Option<Value>> = fields.iter().map(|_| None).collect();
    // Members usually arrive in the catalogue's order: the field after the
    // last one matched is tried before a search.
    let mut next = 0;
    while let Some(key) = map.next_key_seed(MemberName)? {
        let index = match fields.get(next) {
            Some(field) if field.name == key => Some(next),
            _ => coerce::field_index(fields, &key),
        };
        match index {
            Some(i) => {
                next = i + 1;
                let path = Path::Field(path, fields[i].name);
                slots[i] = Some(map.next_value_seed(Shape {
                    ty: &fields[i].ty,
                    path: &path,
                })?);
            }
            None => {
                map.next_value::<IgnoredAny>()?;
            }
        }
    }
    Ok(coerce::assemble(fields, slots))
}

/// A member's name, borrowed from the body unless it holds escapes (serde's
/// own `Cow<str>` always copies: an allocation per member).
struct MemberName;

impl<'de> DeserializeSeed<'de> for MemberName {
    type Value = Cow<'de, str>;
    fn deserialize<D: de::Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for MemberName {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }
}

/// One value of a known type at a known path.
struct Shape<'p> {
    ty: &'p Type,
    path: &'p Path<'p>,
}

impl<'de> DeserializeSeed<'de> for Shape<'_> {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, de: D) -> Result<Value, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Shape<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}", coerce::expected(self.ty), self.path)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        coerce::from_bool(self.ty, v, self.path).map_err(E::custom)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        coerce::from_i64(self.ty, v, self.path).map_err(E::custom)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        match i64::try_from(v) {
            Ok(n) => self.visit_i64(n),
            Err(_) => Err(E::custom(format!(
                "{}: {v} does not fit in a 64-bit signed integer",
                self.path
            ))),
        }
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        coerce::from_f64(self.ty, v, self.path).map_err(E::custom)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        coerce::from_text(self.ty, v, self.path).map_err(E::custom)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(match self.ty {
            Type::Array(_) => Value::Array(Vec::new()),
            _ => Value::Null,
        })
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let item_ty: &Type = match self.ty {
            Type::Array(item) => item,
            Type::Any => &Type::Any,
            other => {
                return Err(de::Error::custom(format!(
                    "{}: expected {}, found a list",
                    self.path,
                    coerce::expected(other)
                )))
            }
        };
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element_seed(Shape {
            ty: item_ty,
            path: &Path::Index(self.path, items.len()),
        })? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        match self.ty {
            Type::Object(known) => fields(map, known, self.path),
            // A single item where a list is expected: some encoders send
            // that; treat it as a one-item list.
            Type::Array(item) => {
                let one = Shape {
                    ty: item,
                    path: &Path::Index(self.path, 0),
                }
                .visit_map(map)?;
                Ok(Value::Array(alloc::vec![one]))
            }
            Type::Any => {
                let mut members = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    let path = Path::Key(self.path, &key);
                    let value = map.next_value_seed(Shape {
                        ty: &Type::Any,
                        path: &path,
                    })?;
                    members.push((Cow::Owned(key), value));
                }
                Ok(Value::Object(members))
            }
            other => Err(de::Error::custom(format!(
                "{}: expected {}, found an object",
                self.path,
                coerce::expected(other)
            ))),
        }
    }
}
