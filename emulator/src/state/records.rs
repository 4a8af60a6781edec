//! Records of the many resources that are a set of named fields and an id
//! (scan rules, delivery chains, lifecycle rules, subscription rules,
//! event-centre rules, routing rules, custom domains, ...).
//!
//! Each is kept as the fields the caller sent, under the API's own names
//! and as JSON values (a JSON-text parameter is kept parsed, a flat list as
//! a list), so that the answers can be rendered from the catalogue's
//! response shape by one function (`api::records`) instead of one struct
//! and one renderer per resource.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};

use super::Instance;

/// One resource.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Record {
    /// Its id (`crscnr-…`), or its natural key (`Registry/registry.example.com`).
    pub id: String,
    /// Its fields under the API's names.
    pub fields: Map<String, Json>,
}

impl Record {
    /// The text of field `name` (`""` when absent; numbers and booleans as
    /// their text).
    pub fn text(&self, name: &str) -> String {
        match self.fields.get(name) {
            Some(Json::String(s)) => s.clone(),
            Some(Json::Null) | None => String::new(),
            Some(other) => other.to_string(),
        }
    }

    /// Field `name` as an integer, when it is one (or its text is).
    pub fn int(&self, name: &str) -> Option<i64> {
        match self.fields.get(name)? {
            Json::Number(n) => n.as_i64(),
            Json::String(s) => s.parse().ok(),
            _ => None,
        }
    }

    /// Field `name` as a boolean (`true`, or the text `true`/`True`).
    pub fn flag(&self, name: &str) -> bool {
        match self.fields.get(name) {
            Some(Json::Bool(b)) => *b,
            Some(Json::String(s)) => s.eq_ignore_ascii_case("true"),
            _ => false,
        }
    }

    /// Sets field `name`.
    pub fn set(&mut self, name: &str, value: impl Into<Json>) {
        self.fields.insert(name.to_string(), value.into());
    }
}

/// Records by kind (`ScanRule`), each list in creation order.
pub type Records = BTreeMap<String, Vec<Record>>;

impl Instance {
    /// The records of `kind`.
    pub fn records(&self, kind: &str) -> &[Record] {
        self.records.get(kind).map_or(&[], Vec::as_slice)
    }

    /// The records of `kind`, to change.
    pub fn records_mut(&mut self, kind: &str) -> &mut Vec<Record> {
        self.records.entry(kind.to_string()).or_default()
    }

    /// The record of `kind` with this id.
    pub fn record(&self, kind: &str, id: &str) -> Option<&Record> {
        self.records(kind).iter().find(|r| r.id == id)
    }

    /// The record of `kind` with this id, to change.
    pub fn record_mut(&mut self, kind: &str, id: &str) -> Option<&mut Record> {
        self.records_mut(kind).iter_mut().find(|r| r.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_read_back_in_the_callers_types() {
        let mut r = Record::default();
        r.set("Auto", "True");
        r.set("RetentionTagCount", "30");
        r.set("Count", 4);
        assert!(r.flag("Auto"));
        assert_eq!(r.int("RetentionTagCount"), Some(30));
        assert_eq!(r.text("Count"), "4");
        assert_eq!(r.text("Missing"), "");
        assert!(!r.flag("Missing"));
    }
}
