//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod providers;

use serde_json::Value as Json;
use tagdeck::providers::http::HttpRequest;
use tagdeck::{Error, Value};

/// The directory of one operation's fixtures.
pub fn fixture_dir(action: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cr")
        .join(action)
}

/// Reads a fixture file, `None` if it does not exist.
pub fn read_fixture(action: &str, file: &str) -> Option<String> {
    std::fs::read_to_string(fixture_dir(action).join(file)).ok()
}

/// A decoded value as JSON, for comparison with `decoded.json`.
pub fn to_json(value: &Value) -> Json {
    match value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(n) => Json::from(*n),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Value::Str(s) => Json::String(s.clone()),
        Value::Array(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Object(members) => Json::Object(
            members
                .iter()
                .map(|(k, v)| (k.to_string(), to_json(v)))
                .collect(),
        ),
    }
}

/// JSON request parameters as typed values.
pub fn from_json(json: &Json) -> Value {
    match json {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => n
            .as_i64()
            .map_or_else(|| Value::Float(n.as_f64().unwrap()), Value::Int),
        Json::String(s) => Value::Str(s.clone()),
        Json::Array(items) => Value::Array(items.iter().map(from_json).collect()),
        Json::Object(members) => Value::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone().into(), from_json(v)))
                .collect(),
        ),
    }
}

/// The members of a JSON object as `(name, value)` parameters.
pub fn params_of(json: &Json) -> Vec<(String, Value)> {
    json.as_object()
        .expect("parameters are a JSON object")
        .iter()
        .map(|(k, v)| (k.clone(), from_json(v)))
        .collect()
}

/// A built request's query, as pairs of text.
pub fn query(request: &HttpRequest) -> Vec<(&str, &str)> {
    request
        .query
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// The code of a parameter error, and the parameter it names.
pub fn fault(error: &Error) -> (&str, &str) {
    match error {
        Error::InvalidParameter { name, .. } | Error::MissingParameter { name } => {
            (error.code(), name.as_str())
        }
        other => panic!("expected a parameter error, got {other:?}"),
    }
}
