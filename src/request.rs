//! Request validation and building, driven by the catalogue.
//!
//! Parameters arrive as [`Value`]s keyed by wire name (the JS layer turns
//! `pageSize` into `PageSize` first). [`prepare`] refuses what the
//! operation does not accept — missing required parameters, wrong types,
//! values out of range, unknown names — before anything is signed, and
//! flattens lists and structures to `Key.1`, `Key.1.Sub`. [`check_wire`] is
//! the same check on wire strings, for the emulator.

use alloc::borrow::Cow;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::catalog::{self, Operation, Param, ParamType, Type};
use crate::error::{shorten, Error, Result};
use crate::value::{is_whole, Value};

/// The camelCase ↔ PascalCase rule, defined once in [`crate::naming`].
pub use crate::naming::{to_js_name, to_wire_name};

/// Parameters the signer adds; callers may not pass them as the
/// operation's own.
pub const COMMON_PARAMS: &[&str] = &[
    "AccessKeyId",
    "Format",
    "SecurityToken",
    "Signature",
    "SignatureMethod",
    "SignatureNonce",
    "SignatureType",
    "SignatureVersion",
    "Timestamp",
    "Version",
];

/// A validated request: the operation and its wire parameters, `Action`
/// first. Sign it with [`crate::sign::sign`].
#[derive(Clone, PartialEq)]
pub struct Prepared {
    /// The operation.
    pub operation: &'static Operation,
    /// `Action` and the operation's own parameters as wire strings.
    pub params: Vec<(String, String)>,
}

impl core::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Prepared")
            .field("operation", &self.operation.action)
            .field("params", &Redacted(&self.params))
            .finish()
    }
}

/// Parameters shown with the values of secret ones (passwords, STS tokens)
/// replaced, for `Debug` output and logs.
#[derive(Clone, Copy)]
pub struct Redacted<'a>(pub &'a [(String, String)]);

impl core::fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let mut list = f.debug_list();
        for (name, value) in self.0 {
            if catalog::is_secret_param(name) {
                list.entry(&(name, "<redacted>"));
            } else {
                list.entry(&(name, value));
            }
        }
        list.finish()
    }
}

/// Validates `params` for `action` and turns them into wire strings.
///
/// `Null` values count as absent. Unknown parameter names are refused (a
/// misspelt optional parameter would otherwise be silently ignored). Lists
/// and structures travel as the catalogue says: one JSON text
/// ([`ParamType::Json`]) or one pair per item and member
/// ([`ParamType::Flat`]); their members may be named in camelCase, as
/// JavaScript callers write them, and go out under the API's own names.
pub fn prepare<K: AsRef<str>>(action: &str, params: &[(K, Value)]) -> Result<Prepared> {
    let operation = catalog::find(action).ok_or_else(|| Error::UnknownAction {
        action: action.to_string(),
    })?;
    let mut wire: Vec<(String, String)> = Vec::with_capacity(params.len() + 1);
    wire.push(("Action".to_string(), operation.action.to_string()));
    for (name, value) in params {
        let name = name.as_ref();
        if name == "Action" || matches!(value, Value::Null) {
            continue;
        }
        let Some(param) = operation.param(name) else {
            return Err(unknown_parameter(operation, name));
        };
        match param.ty {
            ParamType::Json(ty) => {
                wire.push((param.name.to_string(), json_text(param, ty, value)?))
            }
            ParamType::Flat(ty) => flat_pairs(param.name, ty, value, &mut wire)?,
            _ => wire.push((param.name.to_string(), scalar_to_wire(param, value)?)),
        }
    }
    check_wire(operation, &wire)?;
    Ok(Prepared {
        operation,
        params: wire,
    })
}

fn unknown_parameter(operation: &Operation, name: &str) -> Error {
    let known: Vec<&str> = operation.params.iter().map(|p| p.name).collect();
    let hint = if COMMON_PARAMS.contains(&name) {
        "it is a common parameter that the signer sets".to_string()
    } else {
        format!("{} accepts {}", operation.action, known.join(", "))
    };
    Error::invalid(name, format!("unknown parameter; {hint}"))
}

/// Converts one typed value to its wire text, refusing the wrong kind.
fn scalar_to_wire(param: &Param, value: &Value) -> Result<String> {
    let name = param.name;
    let wrong =
        |expected: &str| Error::invalid(name, format!("expected {expected}, got {}", value.kind()));
    match (param.ty, value) {
        (ParamType::Str { .. } | ParamType::Enum(_), Value::Str(s)) => Ok(s.clone()),
        (ParamType::Str { .. } | ParamType::Enum(_), _) => Err(wrong("a string")),
        (ParamType::Int { .. }, Value::Int(n)) => Ok(n.to_string()),
        (ParamType::Int { .. }, Value::Float(f)) if is_whole(*f) && f.abs() < 9.0e15 => {
            Ok(format!("{}", *f as i64))
        }
        (ParamType::Int { .. }, Value::Str(s)) => Ok(s.clone()), // checked as text below
        (ParamType::Int { .. }, _) => Err(wrong("an integer")),
        (ParamType::Bool, Value::Bool(b)) => Ok(if *b { "true" } else { "false" }.to_string()),
        (ParamType::Bool, Value::Str(s)) if s == "true" || s == "false" => Ok(s.clone()),
        (ParamType::Bool, _) => Err(wrong("true or false")),
        (ParamType::Json(_) | ParamType::Flat(_), _) => Err(wrong("a list or structure")),
    }
}

/// The JSON text of a [`ParamType::Json`] parameter's value. A string is
/// taken as JSON text already written (it must parse); a list or structure
/// is written with the API's member names.
fn json_text(param: &Param, ty: &Type, value: &Value) -> Result<String> {
    if let (Value::Str(text), false) = (value, matches!(ty, Type::Str)) {
        return match serde_json::from_str::<serde::de::IgnoredAny>(text) {
            Ok(_) => Ok(text.clone()),
            Err(e) => Err(Error::invalid(
                param.name,
                format!("expected JSON text or a value, got text that is not JSON ({e})"),
            )),
        };
    }
    // The SDK's `Map` is a JSON object of free-form members.
    if matches!(ty, Type::Any) && !matches!(value, Value::Object(_)) {
        return Err(Error::invalid(
            param.name,
            format!("expected an object, got {}", value.kind()),
        ));
    }
    Ok(crate::json_text::json(&wire_value(
        ty,
        value,
        param.name,
        to_wire_name,
    )?))
}

/// The pairs of a [`ParamType::Flat`] parameter: `Name.1=a` for a list of
/// scalars, `Name.1.Key=k` for a list of structures, the way the SDKs
/// flatten ([`flatten`]).
fn flat_pairs(name: &str, ty: &Type, value: &Value, out: &mut Vec<(String, String)>) -> Result<()> {
    if !matches!(value, Value::Array(_)) {
        return Err(Error::invalid(
            name,
            format!("expected a list, got {}", value.kind()),
        ));
    }
    flatten(name, &wire_value(ty, value, name, to_wire_name)?, out);
    Ok(())
}

/// `value` checked against `ty`, with the API's member names at every
/// depth (`repoType` → `RepoType`) in the catalogue's order (the SDK's),
/// null members left out. Free-form data (`Any`, the SDK's `Map`) is kept
/// as given: its keys are data. `path` names the place for errors
/// (`DefaultRepoConfiguration.RepoType`, `Tag.2.Key`).
/// `value` checked against `ty` and written with the API's member names:
/// `rename` turns a caller's member name into the API's (the RPC API's
/// PascalCase here; the REST APIs' snake_case in `providers::rest`).
pub(crate) fn wire_value(
    ty: &Type,
    value: &Value,
    path: &str,
    rename: fn(&str) -> Cow<'_, str>,
) -> Result<Value> {
    Ok(match (ty, value) {
        (Type::Any, _)
        | (_, Value::Null)
        | (Type::Str, Value::Str(_))
        | (Type::Bool, Value::Bool(_))
        | (Type::Int | Type::Long | Type::Float, Value::Int(_)) => value.clone(),
        (Type::Float, Value::Float(f)) if f.is_finite() => value.clone(),
        (Type::Object(fields), Value::Object(members)) => {
            let mut wire = Vec::with_capacity(members.len());
            // In catalogue order; an unknown member is refused by name.
            for (key, _) in members {
                if !fields.iter().any(|f| f.name == rename(key)) {
                    let known: Vec<&str> = fields.iter().map(|f| f.name).collect();
                    return Err(Error::invalid(
                        &format!("{path}.{key}"),
                        format!("unknown member; {path} has {}", known.join(", ")),
                    ));
                }
            }
            for field in *fields {
                let given = members
                    .iter()
                    .find(|(key, item)| rename(key) == field.name && !matches!(item, Value::Null));
                if let Some((_, item)) = given {
                    let item =
                        wire_value(&field.ty, item, &format!("{path}.{}", field.name), rename)?;
                    wire.push((Cow::Borrowed(field.name), item));
                }
            }
            Value::Object(wire)
        }
        (Type::Array(item), Value::Array(items)) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, each)| wire_value(item, each, &format!("{path}.{}", i + 1), rename))
                .collect::<Result<_>>()?,
        ),
        _ => {
            return Err(Error::invalid(
                path,
                format!(
                    "expected {}, got {}",
                    crate::decode::expected(ty),
                    value.kind()
                ),
            ))
        }
    })
}

/// Checks wire parameters (`Action` and the operation's own, as received):
/// required ones present, each value of its type and within its limits.
/// Unknown names are ignored here, as the real service ignores them.
pub fn check_wire<K: AsRef<str>, V: AsRef<str>>(
    operation: &Operation,
    params: &[(K, V)],
) -> Result<()> {
    for param in operation.params {
        match params.iter().find(|(k, _)| k.as_ref() == param.name) {
            Some((_, value)) => check_value(param, value.as_ref())?,
            // A flat list is present when any of its items is (`Tag.1.Key`).
            None if matches!(param.ty, ParamType::Flat(_))
                && params
                    .iter()
                    .any(|(k, _)| is_flat_item(k.as_ref(), param.name)) => {}
            None if param.required => return Err(Error::missing(param.name)),
            None => {}
        }
    }
    Ok(())
}

/// Whether `key` is an item of the flat list `name` (`Tag.1`, `Tag.1.Key`).
fn is_flat_item(key: &str, name: &str) -> bool {
    key.strip_prefix(name)
        .and_then(|rest| rest.strip_prefix('.'))
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
}

/// Checks one wire value against its parameter's type and limits.
pub fn check_value(param: &Param, value: &str) -> Result<()> {
    let name = param.name;
    match param.ty {
        ParamType::Str { max_len } => {
            if param.required && value.is_empty() {
                return Err(Error::invalid(name, "must not be empty"));
            }
            if let Some(max) = max_len {
                if value.chars().count() > max as usize {
                    return Err(Error::invalid(
                        name,
                        format!("must be at most {max} characters"),
                    ));
                }
            }
        }
        ParamType::Int { min, max } => {
            let n: i64 = parse_decimal(value).ok_or_else(|| {
                Error::invalid(name, format!("expected an integer, got {}", quoted(value)))
            })?;
            if n < min || n > max {
                return Err(Error::invalid(
                    name,
                    format!("must be between {min} and {max}, got {n}"),
                ));
            }
        }
        // The service also reads `True`/`False`, which the vendor's Python
        // SDK sends (`str(True)`); tagdeck itself sends lower case.
        ParamType::Bool => {
            if !value.eq_ignore_ascii_case("true") && !value.eq_ignore_ascii_case("false") {
                return Err(Error::invalid(
                    name,
                    format!("expected true or false, got {}", quoted(value)),
                ));
            }
        }
        ParamType::Json(_) => {
            if serde_json::from_str::<serde::de::IgnoredAny>(value).is_err() {
                return Err(Error::invalid(
                    name,
                    format!("expected JSON text, got {}", quoted(value)),
                ));
            }
        }
        // Sent as `Name.1…` pairs; a bare `Name` carries nothing the
        // service reads.
        ParamType::Flat(_) => {}
        ParamType::Enum(allowed) => {
            if !allowed.contains(&value) {
                return Err(Error::invalid(
                    name,
                    format!(
                        "must be one of {}, got {}",
                        allowed.join(", "),
                        quoted(value)
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// A strict decimal integer: optional `-`, digits only.
fn parse_decimal(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// A value for an error message, quoted and shortened.
fn quoted(value: &str) -> String {
    format!("{:?}", shorten(value, 40))
}

/// Flattens a nested value to wire parameters the way the SDKs do: list
/// items become `Key.1`, `Key.2`, structure members `Key.Sub`, recursively.
/// Used by `signRequest`, which signs parameters the catalogue does not check.
pub fn flatten(name: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Bool(b) => out.push((
            name.to_string(),
            if *b { "true" } else { "false" }.to_string(),
        )),
        Value::Int(n) => out.push((name.to_string(), n.to_string())),
        Value::Float(f) => out.push((name.to_string(), format_float(*f))),
        Value::Str(s) => out.push((name.to_string(), s.clone())),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                flatten(&format!("{name}.{}", i + 1), item, out);
            }
        }
        Value::Object(members) => {
            for (key, item) in members {
                flatten(&format!("{name}.{key}"), item, out);
            }
        }
    }
}

/// Formats a number exactly as JavaScript's `String(n)` does (ECMAScript
/// Number::toString), which is what the vendor's clients sign: the shortest
/// digits that read back as `f`, written out in full while the decimal
/// exponent is within -7..21 (`0.000001`, `100000000000000000000`) and in
/// exponent form outside it (`1e-7`, `1.5e+21`); `-0` is `0`.
///
/// Every float the crate writes as text (messages, rendered answers) goes
/// through here: one spelling, JavaScript's, and no use of core's `f64`
/// `Display`, whose Grisu and Dragon printers and their tables are about
/// 18 KB of the npm package's WebAssembly.
pub fn format_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".to_string();
    }
    if f.is_infinite() {
        return if f > 0.0 { "Infinity" } else { "-Infinity" }.to_string();
    }
    if f == 0.0 {
        return "0".to_string();
    }
    let (digits, point) = shortest_digits(f);
    // In the spec's terms: the value is 0.digits × 10^point, k digits.
    let k = digits.len() as i32;
    let mut out = String::with_capacity(digits.len() + 24);
    if f < 0.0 {
        out.push('-');
    }
    if k <= point && point <= 21 {
        out.push_str(&digits);
        out.extend(core::iter::repeat_n('0', (point - k) as usize));
    } else if 0 < point && point <= 21 {
        out.push_str(&digits[..point as usize]);
        out.push('.');
        out.push_str(&digits[point as usize..]);
    } else if -6 < point && point <= 0 {
        out.push_str("0.");
        out.extend(core::iter::repeat_n('0', (-point) as usize));
        out.push_str(&digits);
    } else {
        let exponent = point - 1;
        out.push_str(&digits[..1]);
        if k > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exponent < 0 { '-' } else { '+' });
        out.push_str(&exponent.unsigned_abs().to_string());
    }
    out
}

/// The shortest digits that read back as the finite, non-zero `f` (no
/// leading or trailing zeros) and where the decimal point goes: `f` is
/// `0.digits × 10^point` in magnitude.
///
/// The digits come from serde_json's float printer (the Żmij algorithm),
/// which the crate links anyway, rather than core's `{:e}`, which would
/// add its own formatting code to the WebAssembly module. Both print the
/// shortest round-trip digits, the nearest when several are as short.
fn shortest_digits(f: f64) -> (String, i32) {
    let printed = serde_json::Number::from_f64(f.abs()).map_or_else(String::new, |n| n.to_string());
    // `[digits][.digits][e[sign]digits]`, in whatever layout the printer chose.
    let (mantissa, exponent) = match printed.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, exponent.parse::<i32>().unwrap_or(0)),
        None => (printed.as_str(), 0),
    };
    let (int, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all = [int, fraction].concat();
    let significant = all.trim_start_matches('0');
    let point = int.len() as i32 + exponent - (all.len() - significant.len()) as i32;
    (significant.trim_end_matches('0').to_string(), point)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: numbers outside JavaScript's plain range were written out
    /// in full (`1000000000000000000000`, `0.0000001`) while the vendor's
    /// Node client sends `String(n)` (`1e+21`, `1e-7`), so the signed text
    /// differed (found by the pop-core cross-check). Expected values are
    /// what Node 20 prints for `String(n)`.
    #[test]
    fn floats_are_formatted_as_javascript_does() {
        let cases: &[(f64, &str)] = &[
            (1e21, "1e+21"),
            (-1e21, "-1e+21"),
            (1.2345e25, "1.2345e+25"),
            (1.797_693_134_862_315_7e308, "1.7976931348623157e+308"),
            (1e-7, "1e-7"),
            (1.5e-7, "1.5e-7"),
            (-2.5e-10, "-2.5e-10"),
            (1.23e-18, "1.23e-18"),
            (5e-324, "5e-324"),
            (1e-6, "0.000001"),
            (0.000_001_234, "0.000001234"),
            (1e20, "100000000000000000000"),
            (123_456_789_012_345_680_000.0, "123456789012345680000"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1.0 / 3.0, "0.3333333333333333"),
            (2.5, "2.5"),
            (100.0, "100"),
            (-0.0, "0"),
            // Halfway between two 17-digit spellings: JavaScript takes the
            // even one (core's `{:e}` took the other, ...313).
            (2f64.powi(-25), "2.9802322387695312e-8"),
            (2f64.powi(-24), "5.960464477539063e-8"),
            (f64::NAN, "NaN"),
            (f64::NEG_INFINITY, "-Infinity"),
        ];
        for (value, expected) in cases {
            assert_eq!(format_float(*value), *expected, "String({value:e})");
        }
    }
}
