//! Decoded answers cross to JS as a tape: the value written flat into a few
//! arrays and one string, which `answerFromTape` in `boundary.js` turns into
//! objects in one call. Built property by property from wasm, the 100-tag
//! `ListRepoTag` answer took about 2,000 calls into JS and 1,400 separate
//! text decodings, more than decoding the body itself.
//!
//! What the JS sees is set here, guided by the catalogue's [`Type`]: `Long`
//! becomes `bigint` (exact), `Int` and `Float` `number`; structure keys
//! become camelCase. Free-form (`Any`) data keeps its keys as they arrived;
//! its integers are `number`s when exact in a double and `bigint`s beyond
//! 2^53.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use wasm_bindgen::JsValue;

use super::boundary::answer_from_tape;
use super::errors::Failure;
use super::wire::{ARRAY, FALSE, INLINE_KEY, LONG, NULL, NUMBER, OBJECT, STRING, TRUE};
use crate::catalog::{Field, Type};
use crate::decode::field_index;
use crate::providers::rest::js_name;
use crate::request::to_js_name;
use crate::value::Value;

/// The largest integer a JS number holds exactly.
const MAX_SAFE_INTEGER: i64 = 9_007_199_254_740_991;

/// How keys are named in JS.
#[derive(Debug, Clone, Copy, Default)]
pub enum Naming {
    /// The `cr` RPC API: PascalCase fields become camelCase (`TotalCount` →
    /// `totalCount`); free-form data keeps its keys as they arrived.
    #[default]
    Rpc,
    /// The Scaleway and SWR REST APIs: every key, snake_case or not,
    /// becomes camelCase (`image_id` → `imageId`).
    Rest,
}

impl Naming {
    /// The JS name of a member of a structure with known fields.
    fn field<'k>(self, key: &'k str) -> Cow<'k, str> {
        match self {
            Naming::Rpc => to_js_name(key),
            Naming::Rest => rest_js_name(key),
        }
    }

    /// The JS name of a member of free-form data.
    fn free_form<'k>(self, key: &'k str) -> Cow<'k, str> {
        match self {
            Naming::Rpc => Cow::Borrowed(key),
            Naming::Rest => rest_js_name(key),
        }
    }
}

/// `image_id` → `imageId`, `Tag` → `tag`.
fn rest_js_name(key: &str) -> Cow<'_, str> {
    to_js_name(&js_name(key)).into_owned().into()
}

/// A decoded `cr` answer as a JS object: `fields` describe its top level.
pub fn answer_to_js(value: &Value, fields: &[Field]) -> Result<JsValue, Failure> {
    object_to_js(value, fields, Naming::Rpc)
}

/// A structure whose `fields` are known but not `'static`, keys named by
/// `naming`.
pub fn object_to_js(value: &Value, fields: &[Field], naming: Naming) -> Result<JsValue, Failure> {
    let mut tape = Tape {
        naming,
        ..Tape::default()
    };
    match value {
        Value::Object(members) => tape.object(members, Some(fields)),
        other => tape.untyped(other),
    }
    tape.into_js()
}

/// Any value of type `ty` as JS, keys named by `naming`.
pub fn value_to_js(value: &Value, ty: &Type, naming: Naming) -> Result<JsValue, Failure> {
    let mut tape = Tape {
        naming,
        ..Tape::default()
    };
    tape.typed(value, ty);
    tape.into_js()
}

/// The tape being written. Catalogue keys go into a key table, sent once
/// per answer beside the tape (100 tags repeat the same few names); strings
/// are appended to `text` and measured in UTF-16 code units, JS's string
/// length.
#[derive(Debug, Default)]
struct Tape<'v> {
    ops: Vec<u32>,
    numbers: Vec<f64>,
    longs: Vec<i64>,
    text: String,
    /// The key table: catalogue fields and their names as JS sees them, in
    /// order of first use.
    keys: Vec<(&'v Field, String)>,
    naming: Naming,
}

impl<'v> Tape<'v> {
    fn into_js(self) -> Result<JsValue, Failure> {
        let key_lengths: Vec<u32> = self.keys.iter().map(|(_, name)| utf16_len(name)).collect();
        let key_text: String = self.keys.iter().map(|(_, name)| name.as_str()).collect();
        answer_from_tape(
            &key_lengths,
            &key_text,
            &self.ops,
            &self.numbers,
            &self.longs,
            &self.text,
        )
        .map_err(Failure::internal)
    }

    fn string(&mut self, s: &str) {
        self.ops.push(STRING);
        self.ops.push(utf16_len(s));
        self.text.push_str(s);
    }

    fn number(&mut self, n: f64) {
        self.ops.push(NUMBER);
        self.numbers.push(n);
    }

    fn long(&mut self, n: i64) {
        self.ops.push(LONG);
        self.longs.push(n);
    }

    /// A value whose catalogue type is `ty`.
    fn typed(&mut self, value: &'v Value, ty: &'v Type) {
        match (value, ty) {
            (Value::Int(n), Type::Long) => self.long(*n),
            (Value::Int(n), Type::Int | Type::Float) => self.number(*n as f64),
            (Value::Array(items), Type::Array(item_ty)) => {
                self.ops.push(ARRAY);
                self.ops.push(items.len() as u32);
                for item in items {
                    self.typed(item, item_ty);
                }
            }
            (Value::Object(members), Type::Object(fields)) => self.object(members, Some(fields)),
            // `Any`, and any value the decoder left in another form.
            _ => self.untyped(value),
        }
    }

    /// Free-form data: keys as they arrived, integers exact.
    fn untyped(&mut self, value: &'v Value) {
        match value {
            Value::Null => self.ops.push(NULL),
            Value::Bool(b) => self.ops.push(if *b { TRUE } else { FALSE }),
            Value::Int(n) if n.unsigned_abs() <= MAX_SAFE_INTEGER as u64 => self.number(*n as f64),
            Value::Int(n) => self.long(*n),
            Value::Float(f) => self.number(*f),
            Value::Str(s) => self.string(s),
            Value::Array(items) => {
                self.ops.push(ARRAY);
                self.ops.push(items.len() as u32);
                for item in items {
                    self.untyped(item);
                }
            }
            Value::Object(members) => self.object(members, None),
        }
    }

    /// A structure: known fields (`fields` given) get camelCase keys and
    /// their types; other members keep their keys (camelCased inside a
    /// known structure) and are written as free-form data.
    fn object(&mut self, members: &'v [(Cow<'static, str>, Value)], fields: Option<&'v [Field]>) {
        self.ops.push(OBJECT);
        self.ops.push(members.len() as u32);
        // The decoder writes a structure's members in catalogue order, named
        // by the catalogue's own strings: the next field is found by looking
        // ahead from the last one, comparing addresses before text.
        let mut next_field = 0;
        for (key, value) in members {
            let field = fields.and_then(|fields| {
                let ahead = fields[next_field..]
                    .iter()
                    .position(|f| same_text(f.name, key))
                    .map(|i| next_field + i);
                let index = ahead.or_else(|| field_index(fields, key))?;
                next_field = index + 1;
                Some(&fields[index])
            });
            match field {
                Some(field) => {
                    let index = self.key_index(field, key);
                    self.ops.push(index);
                    self.typed(value, &field.ty);
                }
                None => {
                    let name = if fields.is_some() {
                        self.naming.field(key)
                    } else {
                        self.naming.free_form(key)
                    };
                    self.ops.push(INLINE_KEY);
                    self.ops.push(utf16_len(&name));
                    self.text.push_str(&name);
                    self.untyped(value);
                }
            }
        }
    }

    /// The key table's entry for a catalogue field (`wire`: its name as it
    /// arrived). Fields are told apart by address: one comparison each.
    fn key_index(&mut self, field: &'v Field, wire: &str) -> u32 {
        let found = self
            .keys
            .iter()
            .position(|(known, _)| core::ptr::eq(*known, field));
        let index = found.unwrap_or_else(|| {
            let name = self.naming.field(wire).into_owned();
            self.keys.push((field, name));
            self.keys.len() - 1
        });
        index as u32
    }
}

/// Whether two strings are equal, by address and length first.
fn same_text(a: &str, b: &str) -> bool {
    (a.as_ptr() == b.as_ptr() && a.len() == b.len()) || a == b
}

/// The length of `s` in UTF-16 code units: one per character, two for
/// those beyond the Basic Multilingual Plane (4-byte UTF-8 sequences).
pub fn utf16_len(s: &str) -> u32 {
    let bytes = s.as_bytes();
    if bytes.is_ascii() {
        return bytes.len() as u32;
    }
    let units: usize = bytes
        .iter()
        .map(|&b| match b {
            0x80..=0xbf => 0,
            0xf0..=0xff => 2,
            _ => 1,
        })
        .sum();
    units as u32
}

#[cfg(test)]
mod tests {
    use super::utf16_len;

    #[test]
    fn utf16_lengths_match_javascript() {
        for s in ["", "abc", "é", "中文", "🐳", "a🐳é中"] {
            assert_eq!(utf16_len(s) as usize, s.encode_utf16().count(), "{s}");
        }
    }
}
