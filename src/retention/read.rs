//! Reading a policy document (JSON, already parsed by serde_json) with the
//! path of every field in hand, so that an error names the field at fault
//! (`rules[2].keep.newest: must be ≥ 1`) and unknown fields are refused
//! rather than silently ignored (a misspelt `keepN` must not mean "keep 0").

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use serde_json::{Map, Value};

/// An invalid policy: the field at fault and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    /// The path of the field, e.g. `rules[2].keep.newest` (empty for the document).
    pub field: String,
    /// What is wrong, e.g. `must be ≥ 1`.
    pub message: String,
}

impl PolicyError {
    /// An error at `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        PolicyError {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }
    }
}

/// Policy reading result.
pub type Result<T> = core::result::Result<T, PolicyError>;

/// `parent.name`, or `name` at the top.
pub fn join(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_string()
    } else {
        format!("{parent}.{name}")
    }
}

/// `parent[index]`.
pub fn index(parent: &str, index: usize) -> String {
    format!("{parent}[{index}]")
}

/// A JSON object being read, with its path; `done` refuses unread fields.
#[derive(Debug)]
pub struct Obj<'a> {
    map: &'a Map<String, Value>,
    /// The object's own path.
    pub path: String,
    known: Vec<&'static str>,
}

impl<'a> Obj<'a> {
    /// `value` must be an object.
    pub fn new(value: &'a Value, path: impl Into<String>) -> Result<Self> {
        let path = path.into();
        match value {
            Value::Object(map) => Ok(Obj {
                map,
                path,
                known: Vec::new(),
            }),
            other => Err(PolicyError::new(
                path,
                format!("must be an object, not {}", kind(other)),
            )),
        }
    }

    /// The path of one of this object's fields.
    pub fn field(&self, name: &str) -> String {
        join(&self.path, name)
    }

    /// A field's raw value (JSON `null` counts as absent). Names listed
    /// after the first are accepted aliases (camelCase and the vendor's own
    /// spelling of the same field).
    pub fn get(&mut self, names: &[&'static str]) -> Option<(&'a Value, String)> {
        self.known.extend_from_slice(names);
        names.iter().find_map(|name| match self.map.get(*name) {
            None | Some(Value::Null) => None,
            Some(value) => Some((value, self.field(name))),
        })
    }

    /// A string field.
    pub fn str(&mut self, names: &[&'static str]) -> Result<Option<&'a str>> {
        match self.get(names) {
            None => Ok(None),
            Some((Value::String(text), _)) => Ok(Some(text)),
            Some((other, path)) => Err(PolicyError::new(
                path,
                format!("must be text, not {}", kind(other)),
            )),
        }
    }

    /// A boolean field (`true`/`false`, or the text `"true"`/`"false"` as
    /// some vendors' answers carry it).
    pub fn bool(&mut self, names: &[&'static str]) -> Result<Option<bool>> {
        match self.get(names) {
            None => Ok(None),
            Some((Value::Bool(flag), _)) => Ok(Some(*flag)),
            Some((Value::String(text), _)) if text == "true" => Ok(Some(true)),
            Some((Value::String(text), _)) if text == "false" => Ok(Some(false)),
            Some((other, path)) => Err(PolicyError::new(
                path,
                format!("must be true or false, not {}", kind(other)),
            )),
        }
    }

    /// A whole number field (a JSON number, or decimal digits in text as
    /// SWR's `params` carry them) of at least `min`.
    pub fn count(&mut self, names: &[&'static str], min: u64) -> Result<Option<u64>> {
        match self.get(names) {
            None => Ok(None),
            Some((value, path)) => whole_number(value, &path, min).map(Some),
        }
    }

    /// A nested object field.
    pub fn obj(&mut self, names: &[&'static str]) -> Result<Option<Obj<'a>>> {
        match self.get(names) {
            None => Ok(None),
            Some((value, path)) => Obj::new(value, path).map(Some),
        }
    }

    /// A list field (absent: empty).
    pub fn list(&mut self, names: &[&'static str]) -> Result<Option<(&'a [Value], String)>> {
        match self.get(names) {
            None => Ok(None),
            Some((Value::Array(items), path)) => Ok(Some((items, path))),
            Some((other, path)) => Err(PolicyError::new(
                path,
                format!("must be a list, not {}", kind(other)),
            )),
        }
    }

    /// Refuses fields nobody asked for: a typo must not be ignored.
    pub fn done(self) -> Result<()> {
        for name in self.map.keys() {
            if !self.known.iter().any(|known| known == name) {
                let mut expected: Vec<&str> = self.known.clone();
                expected.sort_unstable();
                expected.dedup();
                return Err(PolicyError::new(
                    self.field(name),
                    format!("unknown field (expected one of: {})", expected.join(", ")),
                ));
            }
        }
        Ok(())
    }

    /// Accepts (and ignores) fields that carry no meaning for a plan
    /// (descriptions, schedules, ids of the stored rule...).
    pub fn ignore(&mut self, names: &[&'static str]) {
        self.known.extend_from_slice(names);
    }
}

/// A whole number of at least `min`, from a JSON number or decimal text.
pub fn whole_number(value: &Value, path: &str, min: u64) -> Result<u64> {
    let number = match value {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| *f >= 0.0 && *f < 9.0e15 && (*f as u64) as f64 == *f)
                .map(|f| f as u64)
        }),
        Value::String(text) if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => {
            text.parse().ok()
        }
        _ => None,
    };
    match number {
        Some(n) if n >= min => Ok(n),
        Some(_) => Err(PolicyError::new(path, format!("must be ≥ {min}"))),
        None => Err(PolicyError::new(
            path,
            format!("must be a whole number ≥ {min}, not {}", describe(value)),
        )),
    }
}

/// A required field's absence.
pub fn missing(path: String) -> PolicyError {
    PolicyError::new(path, "is required")
}

/// `a JSON number 2.5`, `the text "x"`: what the user wrote, briefly.
pub fn describe(value: &Value) -> String {
    match value {
        Value::String(text) => format!("the text {text:?}"),
        Value::Number(n) => format!("{n}"),
        other => kind(other).to_string(),
    }
}

/// The JSON kind of a value, for messages.
pub fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
