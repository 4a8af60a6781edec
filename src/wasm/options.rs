//! Reading the plain option objects JS passes (`new Client({...})`,
//! `signRequest({...})`): each getter checks the type and names the field
//! in its error, and misspelt names are refused rather than ignored.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use js_sys::{Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use super::convert::describe;
use super::errors::Failure;
use crate::request::format_float;

/// A plain JS object of options.
#[derive(Debug)]
pub struct Options {
    object: Object,
}

impl Options {
    /// `value` must be a plain object; `what` names it in the error.
    pub fn new(value: &JsValue, what: &str, known: &[&str]) -> Result<Self, Failure> {
        if !super::convert::is_plain_object(value) {
            return Err(Failure::invalid(
                what,
                format!("expected an object, got {}", describe(value)),
            ));
        }
        let options = Options {
            object: value.clone().unchecked_into(),
        };
        options.refuse_unknown(known)?;
        Ok(options)
    }

    fn refuse_unknown(&self, known: &[&str]) -> Result<(), Failure> {
        for key in Object::keys(&self.object).iter() {
            let key = key.as_string().unwrap_or_default();
            if !known.contains(&key.as_str()) {
                let list: Vec<&str> = known.to_vec();
                return Err(Failure::invalid(
                    &key,
                    format!("unknown option; the options are {}", list.join(", ")),
                ));
            }
        }
        Ok(())
    }

    /// The raw value; `undefined` when absent (or when a getter throws).
    pub fn get(&self, name: &str) -> JsValue {
        Reflect::get(&self.object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
    }

    /// An optional string; `undefined` and `null` count as absent.
    pub fn string(&self, name: &str) -> Result<Option<String>, Failure> {
        let value = self.get(name);
        if value.is_undefined() || value.is_null() {
            return Ok(None);
        }
        value.as_string().map(Some).ok_or_else(|| {
            Failure::invalid(name, format!("expected a string, got {}", describe(&value)))
        })
    }

    /// A string that must be given and not empty.
    pub fn required_string(&self, name: &str) -> Result<String, Failure> {
        required(name, self.string(name)?)
    }

    /// An optional non-empty string.
    pub fn non_empty_string(&self, name: &str) -> Result<Option<String>, Failure> {
        non_empty(name, self.string(name)?)
    }

    /// An optional number within `min..=max`; integers only when `integer`.
    pub fn number(
        &self,
        name: &str,
        min: f64,
        max: f64,
        integer: bool,
    ) -> Result<Option<f64>, Failure> {
        let value = self.get(name);
        if value.is_undefined() || value.is_null() {
            return Ok(None);
        }
        let kind = if integer { "an integer" } else { "a number" };
        let n = value.as_f64().ok_or_else(|| {
            Failure::invalid(name, format!("expected {kind}, got {}", describe(&value)))
        })?;
        if n.is_nan() || n < min || n > max || (integer && n.fract() != 0.0) {
            let [min, max, n] = [min, max, n].map(format_float);
            return Err(Failure::invalid(
                name,
                format!("expected {kind} from {min} to {max}, got {n}"),
            ));
        }
        Ok(Some(n))
    }

    /// An optional boolean.
    pub fn boolean(&self, name: &str) -> Result<Option<bool>, Failure> {
        let value = self.get(name);
        if value.is_undefined() || value.is_null() {
            return Ok(None);
        }
        value.as_bool().map(Some).ok_or_else(|| {
            Failure::invalid(
                name,
                format!("expected true or false, got {}", describe(&value)),
            )
        })
    }

    /// An optional function.
    pub fn function(&self, name: &str) -> Result<Option<Function>, Failure> {
        let value = self.get(name);
        if value.is_undefined() || value.is_null() {
            return Ok(None);
        }
        value.dyn_into::<Function>().map(Some).map_err(|value| {
            Failure::invalid(
                name,
                format!("expected a function, got {}", describe(&value)),
            )
        })
    }
}

/// Option `name`'s text, which must be given and not empty.
pub fn required(name: &str, value: Option<String>) -> Result<String, Failure> {
    match value {
        Some(s) if !s.is_empty() => Ok(s),
        Some(_) => Err(Failure::invalid(name, "it must not be empty")),
        None => Err(Failure::invalid(name, "it is required but missing")),
    }
}

/// Option `name`'s text, which may be absent but not empty.
pub fn non_empty(name: &str, value: Option<String>) -> Result<Option<String>, Failure> {
    match value {
        Some(s) if s.is_empty() => Err(Failure::invalid(name, "it must not be empty")),
        other => Ok(other),
    }
}
