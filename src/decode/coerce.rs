//! What both decoders share: turning the scalars that arrive (numbers as
//! strings, strings as numbers, `"true"`, `1.0` for a Long) into the
//! catalogue's type, field lookup, and the path used in error messages.

use alloc::borrow::Cow;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use crate::catalog::{Field, Type};
use crate::error::shorten;
use crate::request::format_float;
use crate::value::{is_whole, parse_float, Value};

/// Where in the answer a value sits, for error messages
/// (`Images[3].ImageSize`). Built on the stack; formatted only on error.
#[derive(Debug)]
pub enum Path<'a> {
    /// The top level.
    Root,
    /// A field of a known structure.
    Field(&'a Path<'a>, &'static str),
    /// A member of free-form data.
    Key(&'a Path<'a>, &'a str),
    /// An item of a list.
    Index(&'a Path<'a>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => f.write_str("the answer"),
            Path::Field(Path::Root, name) | Path::Key(Path::Root, name) => {
                write!(f, "field {name}")
            }
            Path::Field(parent, name) | Path::Key(parent, name) => write!(f, "{parent}.{name}"),
            Path::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

/// What a type expects, for error messages.
pub fn expected(ty: &Type) -> &'static str {
    match ty {
        Type::Str => "a string",
        Type::Int => "an integer",
        Type::Long => "a 64-bit integer",
        Type::Float => "a number",
        Type::Bool => "true or false",
        Type::Object(_) => "an object",
        Type::Array(_) => "a list",
        Type::Any => "any value",
    }
}

/// The index of the field called `name`. Exact names first; then ignoring
/// ASCII case, because the service is not consistent (`SchemaVersion` in
/// the tables, `schemaVersion` on the wire).
pub fn field_index(fields: &[Field], name: &str) -> Option<usize> {
    fields.iter().position(|f| f.name == name).or_else(|| {
        fields
            .iter()
            .position(|f| f.name.eq_ignore_ascii_case(name))
    })
}

/// A structure in catalogue order. Absent and null fields are left out,
/// except lists: an absent list is an empty list (that is how XML sends
/// zero items).
pub fn assemble(fields: &[Field], slots: Vec<Option<Value>>) -> Value {
    let mut members = Vec::with_capacity(fields.len());
    for (field, slot) in fields.iter().zip(slots) {
        match (slot, &field.ty) {
            (Some(Value::Null) | None, Type::Array(_)) => {
                members.push((Cow::Borrowed(field.name), Value::Array(Vec::new())))
            }
            (Some(Value::Null) | None, _) => {}
            (Some(value), _) => members.push((Cow::Borrowed(field.name), value)),
        }
    }
    Value::Object(members)
}

/// A scalar that arrived as text (every XML value, JSON strings).
pub fn from_text(ty: &Type, text: &str, path: &Path<'_>) -> Result<Value, String> {
    // Trimmed only for the types that read the text (not for strings, most
    // of every answer).
    let trimmed = match ty {
        Type::Str | Type::Any => "",
        _ => text.trim(),
    };
    match ty {
        Type::Str | Type::Any => Ok(Value::Str(text.to_string())),
        Type::Int | Type::Long | Type::Float | Type::Bool if trimmed.is_empty() => Ok(Value::Null),
        Type::Int | Type::Long => parse_integer(trimmed).map(Value::Int).ok_or_else(|| {
            format!(
                "{path}: expected {}, found {:?}",
                expected(ty),
                shorten(text, 40)
            )
        }),
        Type::Float => parse_float(trimmed)
            .map(Value::Float)
            .ok_or_else(|| format!("{path}: expected a number, found {:?}", shorten(text, 40))),
        Type::Bool => match trimmed {
            "true" | "True" | "TRUE" => Ok(Value::Bool(true)),
            "false" | "False" | "FALSE" => Ok(Value::Bool(false)),
            _ => Err(format!(
                "{path}: expected true or false, found {:?}",
                shorten(text, 40)
            )),
        },
        // An empty element where a structure is expected: no members.
        Type::Object(fields) if trimmed.is_empty() => {
            Ok(assemble(fields, fields.iter().map(|_| None).collect()))
        }
        Type::Object(_) => Err(format!(
            "{path}: expected an object, found text {:?}",
            shorten(text, 40)
        )),
        Type::Array(_) if trimmed.is_empty() => Ok(Value::Array(Vec::new())),
        Type::Array(item) => Ok(Value::Array(alloc::vec![from_text(
            item,
            text,
            &Path::Index(path, 0)
        )?])),
    }
}

/// A JSON integer.
pub fn from_i64(ty: &Type, n: i64, path: &Path<'_>) -> Result<Value, String> {
    match ty {
        Type::Int | Type::Long | Type::Any => Ok(Value::Int(n)),
        Type::Float => Ok(Value::Float(n as f64)),
        Type::Str => Ok(Value::Str(n.to_string())),
        Type::Array(item) => Ok(Value::Array(alloc::vec![from_i64(
            item,
            n,
            &Path::Index(path, 0)
        )?])),
        Type::Bool | Type::Object(_) => Err(format!(
            "{path}: expected {}, found the number {n}",
            expected(ty)
        )),
    }
}

/// A JSON number with a fraction or exponent.
pub fn from_f64(ty: &Type, f: f64, path: &Path<'_>) -> Result<Value, String> {
    match ty {
        // A Long documented as such sometimes arrives as `1.0`.
        Type::Int | Type::Long if is_whole(f) && f.abs() <= 9_007_199_254_740_992.0 => {
            Ok(Value::Int(f as i64))
        }
        Type::Float | Type::Any => Ok(Value::Float(f)),
        Type::Str => Ok(Value::Str(format_float(f))),
        Type::Array(item) => Ok(Value::Array(alloc::vec![from_f64(
            item,
            f,
            &Path::Index(path, 0)
        )?])),
        _ => Err(format!(
            "{path}: expected {}, found the number {}",
            expected(ty),
            format_float(f)
        )),
    }
}

/// A JSON boolean.
pub fn from_bool(ty: &Type, b: bool, path: &Path<'_>) -> Result<Value, String> {
    match ty {
        Type::Bool | Type::Any => Ok(Value::Bool(b)),
        Type::Str => Ok(Value::Str(if b { "true" } else { "false" }.to_string())),
        Type::Array(item) => Ok(Value::Array(alloc::vec![from_bool(
            item,
            b,
            &Path::Index(path, 0)
        )?])),
        _ => Err(format!("{path}: expected {}, found {b}", expected(ty))),
    }
}

/// An integer written as text: `123`, `-4`, or `1.0` (a whole number with
/// a zero fraction, as some Long fields arrive).
fn parse_integer(text: &str) -> Option<i64> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = whole.strip_prefix('-').unwrap_or(whole);
    if digits.is_empty()
        || !digits.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b == b'0')
    {
        return None;
    }
    whole.parse().ok()
}
