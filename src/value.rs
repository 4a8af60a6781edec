//! The typed value every decoded answer and every request parameter is.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

/// A decoded value. Its variants follow the catalogue's [`crate::catalog::Type`]:
/// `Long` and `Int` fields both become [`Value::Int`] (exact to 64 bits).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// JSON `null`, or an `Any` element with no content.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer, exact to 64 bits.
    Int(i64),
    /// A floating point number.
    Float(f64),
    /// A string.
    Str(String),
    /// A list.
    Array(Vec<Value>),
    /// A structure; keys are wire names, in catalogue order for known shapes.
    Object(Vec<(Cow<'static, str>, Value)>),
}

impl Value {
    /// The value of `key` in an object (exact wire name).
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string inside, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The integer inside, if this is an integer.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(n) => Some(*n),
            _ => None,
        }
    }

    /// The boolean inside, if this is a boolean.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The items, if this is a list.
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// A short name of the variant, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Array(_) => "a list",
            Value::Object(_) => "an object",
        }
    }
}

/// Whether `f` is a whole number that an `i64` holds exactly enough to
/// round-trip (works without `std`, where `f64::fract` is missing).
pub fn is_whole(f: f64) -> bool {
    f.is_finite() && f.abs() < 9.0e18 && (f as i64) as f64 == f
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Str(s.into())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Str(s)
    }
}
impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Int(n)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}
