//! JS values into the core's [`Value`] (answers go out as a tape: `tape.rs`).
//!
//! Strings, finite numbers, `bigint`s (64-bit range), booleans,
//! arrays and plain objects; `null`/`undefined` mean absent. Anything else
//! (functions, symbols, `NaN`, class instances such as `Date`) is refused
//! with an `InvalidParameter` error naming the field.

use alloc::borrow::Cow;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use super::errors::Failure;
use crate::request::format_float;
use crate::value::Value;

/// The largest integer a JS number holds exactly.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// How deeply a parameter value may nest. The catalogue's deepest
/// parameters are lists of structures (`Key.N.Sub`, three levels); the
/// limit keeps a deep or self-referencing value from recursing until the
/// wasm stack overflows, which would leave the instance unusable.
const MAX_NESTING: usize = 32;

/// A short description of a JS value's kind, for error messages. It never
/// shows the value itself (it could be a secret put in the wrong field).
pub fn describe(value: &JsValue) -> String {
    if value.is_null() {
        return "null".into();
    }
    if Array::is_array(value) {
        return "an array".into();
    }
    match value.js_typeof().as_string().as_deref() {
        Some("string") => "a string".into(),
        Some("number") => "a number".into(),
        Some("bigint") => "a bigint".into(),
        Some("boolean") => "a boolean".into(),
        Some("undefined") => "undefined".into(),
        Some("function") => "a function".into(),
        Some("symbol") => "a symbol".into(),
        _ if is_plain_object(value) => "an object".into(),
        _ => {
            let name = Reflect::get(value, &JsValue::from_str("constructor"))
                .ok()
                .and_then(|c| Reflect::get(&c, &JsValue::from_str("name")).ok())
                .and_then(|n| n.as_string())
                .filter(|n| !n.is_empty());
            match name {
                Some(name) => format!("an instance of {name}"),
                None => "an object with no plain prototype".into(),
            }
        }
    }
}

/// An object literal (prototype `Object.prototype` or `null`).
pub fn is_plain_object(value: &JsValue) -> bool {
    if !value.is_object() || Array::is_array(value) || value.is_function() {
        return false;
    }
    let proto = Object::get_prototype_of(value);
    proto.is_null() || proto == Object::get_prototype_of(&Object::new())
}

/// The own enumerable string-keyed entries of a plain object, or the
/// error naming `what` when `value` is not one.
pub fn entries(value: &JsValue, what: &str) -> Result<Vec<(String, JsValue)>, Failure> {
    if !is_plain_object(value) {
        return Err(Failure::invalid(
            what,
            format!("expected an object, got {}", describe(value)),
        ));
    }
    let object: &Object = value.unchecked_ref();
    Object::keys(object)
        .iter()
        .map(|key| {
            let name = key.as_string().unwrap_or_default();
            let item = Reflect::get(object, &key)
                .map_err(|_| Failure::invalid(&name, "reading it threw an exception"))?;
            Ok((name, item))
        })
        .collect()
}

/// One JS value as a [`Value`]; `name` is the field, for errors.
pub fn value_from_js(value: &JsValue, name: &str) -> Result<Value, Failure> {
    nested_value_from_js(value, name, 0)
}

/// [`value_from_js`] for a value `depth` levels inside a parameter.
fn nested_value_from_js(value: &JsValue, name: &str, depth: usize) -> Result<Value, Failure> {
    if value.is_undefined() || value.is_null() {
        return Ok(Value::Null);
    }
    if let Some(s) = value.as_string() {
        return Ok(Value::Str(s));
    }
    if let Some(b) = value.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Some(n) = value.as_f64() {
        if !n.is_finite() {
            return Err(Failure::invalid(
                name,
                format!("expected a finite number, got {}", format_float(n)),
            ));
        }
        return Ok(if n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER {
            Value::Int(n as i64)
        } else {
            Value::Float(n)
        });
    }
    if value.is_bigint() {
        return i64::try_from(value.clone()).map(Value::Int).map_err(|_| {
            Failure::invalid(name, "the bigint does not fit in a signed 64-bit integer")
        });
    }
    let is_array = Array::is_array(value);
    if (is_array || is_plain_object(value)) && depth == MAX_NESTING {
        return Err(Failure::invalid(
            name,
            format!("nested deeper than {MAX_NESTING} levels (or refers to itself)"),
        ));
    }
    if is_array {
        let array: &Array = value.unchecked_ref();
        return array
            .iter()
            .enumerate()
            .map(|(i, item)| nested_value_from_js(&item, &format!("{name}.{}", i + 1), depth + 1))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array);
    }
    if is_plain_object(value) {
        let mut members = Vec::new();
        for (key, item) in entries(value, name)? {
            let item = nested_value_from_js(&item, &format!("{name}.{key}"), depth + 1)?;
            members.push((Cow::Owned(key), item));
        }
        return Ok(Value::Object(members));
    }
    Err(Failure::invalid(
        name,
        format!(
            "expected a string, number, bigint or boolean, got {}",
            describe(value)
        ),
    ))
}
