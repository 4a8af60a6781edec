//! A [`Value`] as JSON text, in the spelling the services use: object
//! members in their order, whole floats with `.0` (`"Progress": 1.0`),
//! floats shortest-exact as JavaScript writes them.
//!
//! The REST providers write their request bodies with it
//! ([`crate::providers::rest`]); the emulator's answers
//! (`render`, feature `emulator`) are written with it too. It is a few
//! hundred bytes of WebAssembly, where serde_json's serializer would be
//! 10 KB for one small object.

use alloc::string::String;
use core::fmt::Write as _;

use crate::request::format_float;
use crate::value::Value;

/// `value` as a JSON document.
pub fn json(value: &Value) -> String {
    let mut out = String::with_capacity(256);
    json_value(&mut out, value);
    out
}

fn json_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(n) => {
            let _ = write!(out, "{n}");
        }
        Value::Float(f) => json_float(out, *f),
        Value::Str(s) => json_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_value(out, item);
            }
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (i, (key, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_string(out, key);
                out.push(':');
                json_value(out, item);
            }
            out.push('}');
        }
    }
}

/// A float in its shortest exact spelling; whole numbers keep a `.0` so the
/// answer says "float" as the service's (`"Progress": 1.0`).
fn json_float(out: &mut String, f: f64) {
    if !f.is_finite() {
        out.push_str("null");
        return;
    }
    let start = out.len();
    out.push_str(&format_float(f));
    if !out[start..].contains(['.', 'e', 'E']) {
        out.push_str(".0");
    }
}

pub(crate) fn json_string(out: &mut String, text: &str) {
    out.push('"');
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
