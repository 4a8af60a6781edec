//! One mechanism for the resources that are a set of fields and an id:
//! each is a [`Kind`] (where its records live, its id, its list field, its
//! not-found code, how it is filtered and what is computed for answers),
//! and each of its operations is a [`Verb`] on that kind. Create stores
//! the parameters the catalogue lists under their own names, Update
//! overwrites those given, Get/List render the stored fields in the shape
//! of the operation's answer in the catalogue ([`render`]), Delete removes
//! or answers the kind's not-found code.

use serde_json::{Map, Value as Json};
use tagdeck::catalog::{Field, Type};
use tagdeck::Value;

use super::kinds::KINDS;
use super::{Answer, Call, Failure};
use crate::state::records::Record;
use crate::state::{Instance, State};

/// What an operation does to its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    /// Stores a new record; answers its id.
    Create,
    /// Answers one record.
    Get,
    /// Answers a page of records.
    List,
    /// Overwrites the fields given.
    Update,
    /// Removes one record.
    Delete,
}

/// Fields of a record computed at answer time: `(instance, record, now)`.
pub type Derive = fn(&Instance, &Record, i64) -> Vec<(&'static str, Json)>;
/// A check of a record before it is stored.
pub type Check = fn(&Instance, &Record) -> Result<(), Failure>;

/// One kind of resource.
#[derive(Debug)]
pub struct Kind {
    /// Where its records live (`Instance::records`).
    pub name: &'static str,
    /// The parameter and field of its id (`ScanRuleId`); empty when the
    /// natural key (`key`) identifies it.
    pub id: &'static str,
    /// The prefix of generated ids (`crscnr`); empty when the id is the
    /// natural key made of `key`.
    pub prefix: &'static str,
    /// Parameters making the natural key (`ModuleName`, `Domain`), when
    /// the resource has no generated id.
    pub key: &'static [&'static str],
    /// Parameters that find a record by its fields when the id is not
    /// given (`GetArtifactBuildRule` by `ScopeType`/`ScopeId`); with none,
    /// a Get without the id answers the instance's first record.
    pub lookup_by: &'static [&'static str],
    /// The list field of its List answer (`ScanRules`).
    pub list: &'static str,
    /// The field its Get answer nests it in (`ScanRule`), if any.
    pub wrap: Option<&'static str>,
    /// The service's code for a missing record.
    pub not_found: &'static str,
    /// The code for a second record with the same natural key.
    pub exists: &'static str,
    /// The name of its modification time (`ModifiedTime`, `UpdateTime`).
    pub modified: &'static str,
    /// List parameters and the fields they filter on (equality).
    pub filters: &'static [(&'static str, &'static str)],
    /// Computed fields.
    pub derive: Derive,
    /// Checks before storing.
    pub check: Check,
    /// The operations on it.
    pub verbs: &'static [(&'static str, Verb)],
}

/// Nothing computed.
pub fn nothing(_: &Instance, _: &Record, _: i64) -> Vec<(&'static str, Json)> {
    Vec::new()
}

/// Nothing to check.
pub fn accept(_: &Instance, _: &Record) -> Result<(), Failure> {
    Ok(())
}

/// The kind and verb of `action`.
pub fn lookup(action: &str) -> Option<(&'static Kind, Verb)> {
    KINDS.iter().find_map(|k| {
        k.verbs
            .iter()
            .find(|(a, _)| *a == action)
            .map(|(_, verb)| (*k, *verb))
    })
}

fn kind_of(call: &Call<'_>) -> (&'static Kind, Verb) {
    lookup(call.op.action).expect("routed from the kinds table")
}

/// Parameters that are not a resource's own fields.
const NOT_FIELDS: &[&str] = &["InstanceId", "RegionId", "PageNo", "PageSize"];

/// The value of parameter `name` as a JSON value: a JSON text parameter
/// (`Namespaces=["a"]`) parsed, flat pairs (`Platform.1=x`,
/// `Tag.1.Key=k`) gathered into a list, anything else its text.
pub fn param_json(call: &Call<'_>, name: &str) -> Option<Json> {
    if let Some(text) = call.get(name) {
        let trimmed = text.trim_start();
        if trimmed.starts_with('[') || trimmed.starts_with('{') {
            if let Ok(parsed) = serde_json::from_str::<Json>(text) {
                return Some(parsed);
            }
        }
        return Some(Json::String(text.to_string()));
    }
    let prefix = format!("{name}.");
    let mut items: Vec<(usize, Option<String>, String)> = Vec::new();
    for (key, value) in call.params {
        let Some(rest) = key.strip_prefix(&prefix) else {
            continue;
        };
        let (index, sub) = match rest.split_once('.') {
            Some((i, sub)) => (i, Some(sub.to_string())),
            None => (rest, None),
        };
        if let Ok(index) = index.parse::<usize>() {
            items.push((index, sub, value.clone()));
        }
    }
    if items.is_empty() {
        return None;
    }
    items.sort_by_key(|(i, _, _)| *i);
    let mut list: Vec<(usize, Json)> = Vec::new();
    for (index, sub, value) in items {
        match sub {
            None => list.push((index, Json::String(value))),
            Some(sub) => {
                if list.last().is_none_or(|(i, _)| *i != index) {
                    list.push((index, Json::Object(Map::new())));
                }
                if let Some((_, Json::Object(map))) = list.last_mut() {
                    map.insert(sub, Json::String(value));
                }
            }
        }
    }
    Some(Json::Array(list.into_iter().map(|(_, v)| v).collect()))
}

/// Stores the operation's given parameters into `record`.
fn take_params(call: &Call<'_>, kind: &Kind, record: &mut Record) {
    for param in call.op.params {
        if NOT_FIELDS.contains(&param.name) || param.name == kind.id {
            continue;
        }
        if let Some(value) = param_json(call, param.name) {
            record.fields.insert(param.name.to_string(), value);
        }
    }
}

/// The natural key of a record from the call's parameters.
fn natural_key(call: &Call<'_>, kind: &Kind) -> String {
    kind.key
        .iter()
        .map(|k| call.text(k))
        .collect::<Vec<_>>()
        .join("/")
}

/// The record's id named by the call: its id parameter, or its key.
fn wanted_id(call: &Call<'_>, kind: &Kind) -> Result<String, Failure> {
    if kind.key.is_empty() {
        call.given(kind.id)
            .map(str::to_string)
            .ok_or_else(|| Failure::missing(kind.id))
    } else {
        Ok(natural_key(call, kind))
    }
}

/// The record a Get names: by id, or else by the `lookup_by` fields.
fn wanted<'i>(instance: &'i Instance, call: &Call<'_>, kind: &Kind) -> Result<&'i Record, Failure> {
    if !kind.key.is_empty() || call.given(kind.id).is_some() {
        let id = wanted_id(call, kind)?;
        return instance
            .record(kind.name, &id)
            .ok_or_else(|| not_found(kind, &id));
    }
    instance
        .records(kind.name)
        .iter()
        .find(|r| {
            kind.lookup_by
                .iter()
                .all(|p| call.given(p).is_none_or(|want| r.text(p) == want))
        })
        .ok_or_else(|| not_found(kind, "asked for"))
}

/// The kind's not-found failure for `id`.
pub fn not_found(kind: &Kind, id: &str) -> Failure {
    Failure::business(
        kind.not_found,
        format!("The {} {id} does not exist.", kind.name),
    )
}

/// The record as its answers see it: stored fields, id, instance, times
/// and what the kind computes.
pub fn view(kind: &Kind, instance: &Instance, record: &Record, now: i64) -> Json {
    let mut map = record.fields.clone();
    if !kind.id.is_empty() {
        map.insert(kind.id.into(), Json::String(record.id.clone()));
    }
    map.insert("InstanceId".into(), Json::String(instance.id.clone()));
    map.insert("Success".into(), Json::Bool(true));
    for (name, value) in (kind.derive)(instance, record, now) {
        map.insert(name.into(), value);
    }
    Json::Object(map)
}

/// The routes of every kind's operations.
pub fn routes() -> impl Iterator<Item = super::Route> {
    KINDS.iter().flat_map(|k| {
        k.verbs.iter().map(|(action, verb)| match verb {
            Verb::Get | Verb::List => super::Route::read(action, read),
            _ => super::Route::write(action, write),
        })
    })
}

/// Runs `call` on its kind.
pub fn write(state: &mut State, call: &Call<'_>) -> Answer {
    let (kind, verb) = kind_of(call);
    let generated = (verb == Verb::Create && !kind.prefix.is_empty())
        .then(|| state.rng.resource_id(kind.prefix));
    let instance = call.instance_mut(state)?;
    match verb {
        Verb::Create => {
            let id = generated.unwrap_or_else(|| natural_key(call, kind));
            if instance.record(kind.name, &id).is_some() {
                return Err(Failure::business(
                    kind.exists,
                    format!("The {} {id} already exists.", kind.name),
                ));
            }
            let mut record = Record {
                id,
                fields: Map::new(),
            };
            take_params(call, kind, &mut record);
            record.set("CreateTime", call.now);
            record.set(kind.modified, call.now);
            (kind.check)(instance, &record)?;
            let answer = view(kind, instance, &record, call.now);
            instance.records_mut(kind.name).push(record);
            Ok(render(call.op.response, &answer))
        }
        Verb::Update => {
            let id = wanted_id(call, kind)?;
            let mut record = instance
                .record(kind.name, &id)
                .cloned()
                .ok_or_else(|| not_found(kind, &id))?;
            take_params(call, kind, &mut record);
            record.set(kind.modified, call.now);
            (kind.check)(instance, &record)?;
            let answer = view(kind, instance, &record, call.now);
            *instance.record_mut(kind.name, &id).expect("found above") = record;
            Ok(render(call.op.response, &answer))
        }
        Verb::Delete => {
            let id = wanted_id(call, kind)?;
            let records = instance.records_mut(kind.name);
            let index = records
                .iter()
                .position(|r| r.id == id)
                .ok_or_else(|| not_found(kind, &id))?;
            records.remove(index);
            Ok(render(
                call.op.response,
                &crate::json_obj! { "Success" => true },
            ))
        }
        Verb::Get | Verb::List => read(state, call),
    }
}

/// Answers a Get or List on its kind.
pub fn read(state: &State, call: &Call<'_>) -> Answer {
    let (kind, verb) = kind_of(call);
    let instance = call.instance(state)?;
    match verb {
        Verb::Get => {
            let record = wanted(instance, call, kind)?;
            let view = view(kind, instance, record, call.now);
            let answer = match kind.wrap {
                Some(wrap) => crate::json_obj! { wrap => view },
                None => view,
            };
            Ok(render(call.op.response, &answer))
        }
        _ => {
            let matching: Vec<&Record> = instance
                .records(kind.name)
                .iter()
                .filter(|r| {
                    kind.filters.iter().all(|(param, field)| {
                        call.given(param)
                            .is_none_or(|want| r.text(field).eq_ignore_ascii_case(want))
                    })
                })
                .collect();
            let (no, size) = call.page();
            let items: Vec<Json> = matching
                .iter()
                .skip(((no - 1) * size) as usize)
                .take(size as usize)
                .map(|r| view(kind, instance, r, call.now))
                .collect();
            let mut answer = Map::new();
            answer.insert("PageNo".into(), no.into());
            answer.insert("PageSize".into(), size.into());
            answer.insert("TotalCount".into(), matching.len().into());
            answer.insert("InstanceId".into(), instance.id.clone().into());
            answer.insert(kind.list.into(), Json::Array(items));
            Ok(render(call.op.response, &Json::Object(answer)))
        }
    }
}

/// A JSON object literal with `&str` keys: `json_obj! { "A" => 1 }`.
#[macro_export]
macro_rules! json_obj {
    ($($key:expr => $value:expr),* $(,)?) => {{
        let mut map = ::serde_json::Map::new();
        $(map.insert(::std::string::String::from($key), ::serde_json::Value::from($value));)*
        ::serde_json::Value::Object(map)
    }};
}

/// `json` in the shape of `fields`: only the fields the catalogue lists,
/// each converted to the catalogue's type (a JSON text where the answer
/// has a structure is parsed; numbers where it has text become text).
pub fn render(fields: &[Field], json: &Json) -> Value {
    let Json::Object(map) = json else {
        return Value::Object(Vec::new());
    };
    Value::Object(
        fields
            .iter()
            .filter_map(|f| {
                let value = map.get(f.name).and_then(|v| typed(&f.ty, v))?;
                Some((std::borrow::Cow::Borrowed(f.name), value))
            })
            .collect(),
    )
}

fn typed(ty: &Type, json: &Json) -> Option<Value> {
    if let (Type::Object(_) | Type::Array(_), Json::String(text)) = (ty, json) {
        return serde_json::from_str::<Json>(text)
            .ok()
            .and_then(|parsed| typed(ty, &parsed).filter(|_| !parsed.is_string()));
    }
    Some(match (ty, json) {
        (_, Json::Null) => return None,
        (Type::Str, Json::String(s)) => Value::Str(s.clone()),
        (Type::Str, other) => Value::Str(other.to_string()),
        (Type::Int | Type::Long, Json::Number(n)) => Value::Int(n.as_i64()?),
        (Type::Int | Type::Long, Json::String(s)) => Value::Int(s.parse().ok()?),
        (Type::Float, Json::Number(n)) => Value::Float(n.as_f64()?),
        (Type::Bool, Json::Bool(b)) => Value::Bool(*b),
        (Type::Bool, Json::String(s)) => Value::Bool(s.eq_ignore_ascii_case("true")),
        (Type::Object(fields), Json::Object(_)) => render(fields, json),
        (Type::Array(item), Json::Array(items)) => {
            Value::Array(items.iter().filter_map(|i| typed(item, i)).collect())
        }
        (Type::Any, other) => any(other),
        _ => return None,
    })
}

fn any(json: &Json) -> Value {
    match json {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => n
            .as_i64()
            .map_or(Value::Float(n.as_f64().unwrap_or(0.0)), Value::Int),
        Json::String(s) => Value::Str(s.clone()),
        Json::Array(items) => Value::Array(items.iter().map(any).collect()),
        Json::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (std::borrow::Cow::Owned(k.clone()), any(v)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn field(name: &'static str, ty: Type) -> Field {
        Field { name, ty }
    }

    #[test]
    fn flat_and_json_text_parameters_become_lists_and_structures() {
        let params: Vec<(String, String)> = [
            ("Tag.2.Key", "b"),
            ("Tag.1.Key", "a"),
            ("Tag.1.Value", "x"),
            ("ResourceId.1", "cri-1"),
            ("ResourceId.10", "cri-10"),
            ("ResourceId.2", "cri-2"),
            ("Routes", r#"[{"EndpointType":"Internet"}]"#),
            ("Name", "[not json"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let call = Call {
            op: tagdeck::catalog::find("TagResources").unwrap(),
            params: &params,
            now: 0,
            task_ms: 0,
        };
        assert_eq!(
            param_json(&call, "Tag"),
            Some(serde_json::json!([{"Key": "a", "Value": "x"}, {"Key": "b"}]))
        );
        assert_eq!(
            param_json(&call, "ResourceId"),
            Some(serde_json::json!(["cri-1", "cri-2", "cri-10"]))
        );
        assert_eq!(
            param_json(&call, "Routes"),
            Some(serde_json::json!([{"EndpointType": "Internet"}]))
        );
        assert_eq!(
            param_json(&call, "Name"),
            Some(Json::String("[not json".into()))
        );
        assert_eq!(param_json(&call, "Missing"), None);
    }

    #[test]
    fn json_text_and_numbers_take_the_catalogues_types() {
        const INNER: &[Field] = &[field("A", Type::Bool)];
        const SHAPE: &[Field] = &[
            field("Count", Type::Long),
            field("Name", Type::Str),
            field("Conf", Type::Object(INNER)),
            field("List", Type::Array(&Type::Str)),
        ];
        let json = serde_json::json!({
            "Count": "30", "Name": 7, "Conf": "{\"A\":\"True\"}",
            "List": "[\"x\",\"y\"]", "Other": 1
        });
        let out = render(SHAPE, &json);
        assert_eq!(out.get("Count"), Some(&Value::Int(30)));
        assert_eq!(out.get("Name"), Some(&Value::Str("7".into())));
        assert_eq!(
            out.get("Conf").and_then(|c| c.get("A")),
            Some(&Value::Bool(true))
        );
        assert_eq!(
            out.get("List"),
            Some(&Value::Array(vec![
                Value::Str("x".into()),
                Value::Str("y".into())
            ]))
        );
        assert_eq!(out.get("Other"), None);
    }
}
