//! Answers take the catalogue's shape.
//!
//! A handler builds a [`Value`] object with wire names; [`conform`] puts its
//! members in the catalogue's order with the catalogue's types (a number
//! where the catalogue says Str becomes its text, and so on), gives every
//! list field a value (empty when the handler had none), and reports what
//! the catalogue does not know. The tests run every operation through it and
//! fail on any report, so a handler and its catalogue entry cannot drift.

use std::borrow::Cow;
use std::fmt;

use tagdeck::catalog::{Field, Type};
use tagdeck::Value;

/// `value` in the shape of `fields`, and the problems found on the way
/// (members the catalogue does not list, values that do not fit the type).
pub fn conform(fields: &[Field], value: &Value) -> (Value, Vec<String>) {
    let mut problems = Vec::new();
    let out = object(fields, value, &Path::Root, &mut problems);
    (out, problems)
}

/// Where a member sits (`.Images[3].Tag`), written out only for a problem:
/// answers are conformed on every request.
enum Path<'a> {
    Root,
    Field(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Field(parent, name) => write!(f, "{parent}.{name}"),
            Path::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

fn object(fields: &[Field], value: &Value, path: &Path<'_>, problems: &mut Vec<String>) -> Value {
    let Value::Object(members) = value else {
        problems.push(format!(
            "{path}: expected an object, found {}",
            value.kind()
        ));
        return Value::Object(Vec::new());
    };
    for (key, _) in members {
        if !fields.iter().any(|f| f.name == key) {
            problems.push(format!("{path}.{key}: not in the catalogue"));
        }
    }
    let mut out = Vec::with_capacity(fields.len());
    for field in fields {
        let member = members
            .iter()
            .find(|(k, _)| k == field.name)
            .map(|(_, v)| v);
        let here = Path::Field(path, field.name);
        match (member, &field.ty) {
            (None | Some(Value::Null), Type::Array(_)) => {
                out.push((Cow::Borrowed(field.name), Value::Array(Vec::new())))
            }
            (None | Some(Value::Null), _) => {}
            (Some(v), ty) => out.push((Cow::Borrowed(field.name), typed(ty, v, &here, problems))),
        }
    }
    Value::Object(out)
}

fn typed(ty: &Type, value: &Value, path: &Path<'_>, problems: &mut Vec<String>) -> Value {
    let wrong = |problems: &mut Vec<String>| {
        problems.push(format!(
            "{path}: {} does not fit the catalogue's type",
            value.kind()
        ));
        value.clone()
    };
    match (ty, value) {
        (Type::Any, v) => v.clone(),
        (Type::Str, Value::Str(_)) => value.clone(),
        (Type::Str, Value::Int(n)) => Value::Str(n.to_string()),
        (Type::Str, Value::Bool(b)) => Value::Str(b.to_string()),
        (Type::Int | Type::Long, Value::Int(_)) => value.clone(),
        (Type::Int | Type::Long, Value::Str(s)) => match s.parse() {
            Ok(n) => Value::Int(n),
            Err(_) => wrong(problems),
        },
        (Type::Float, Value::Float(_)) => value.clone(),
        (Type::Float, Value::Int(n)) => Value::Float(*n as f64),
        (Type::Bool, Value::Bool(_)) => value.clone(),
        (Type::Object(fields), Value::Object(_)) => object(fields, value, path, problems),
        (Type::Array(item), Value::Array(items)) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| typed(item, v, &Path::Index(path, i), problems))
                .collect(),
        ),
        _ => wrong(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tagdeck::catalog;

    #[test]
    fn members_follow_the_catalogue_order_and_types() {
        let op = catalog::find("ListRepoTag").unwrap();
        let value = crate::obj! {
            "Images" => vec![crate::obj! { "ImageSize" => 5_i64, "Tag" => "v1" }],
            "TotalCount" => 1_i64,
        };
        let (out, problems) = conform(op.response, &value);
        assert!(problems.is_empty(), "{problems:?}");
        let keys: Vec<_> = match &out {
            Value::Object(m) => m.iter().map(|(k, _)| k.to_string()).collect(),
            _ => unreachable!(),
        };
        assert_eq!(keys, ["Images", "TotalCount"]);
    }

    #[test]
    fn unknown_members_are_reported() {
        let op = catalog::find("GetRepoTag").unwrap();
        let (_, problems) = conform(op.response, &crate::obj! { "Tga" => "x" });
        assert_eq!(problems, [".Tga: not in the catalogue"]);
    }
}
