//! The catalogue agrees with the API as data: `api/cr-2018-12-01.json`
//! (every operation of the vendor's official Go SDK cr-20181201 3.2.2) and
//! `api/tagdeck.json` (what tagdeck adds or reads differently).
//!
//! Every operation, in both directions; every parameter by name and order,
//! with its type (enumeration, limits, how a list travels, the type tree of
//! its items), required flag and deprecation; every answer's type tree,
//! nested objects and arrays included. The catalogue is generated from those
//! files at build time (`catalog/build.rs`); this checks the generator and
//! the expansion (`catalog/src/compact.rs`) against the data.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value as Json;
use tagdeck::catalog::{self, Field, Method, Operation, ParamType, Type, COMMON_RESPONSE};

fn read(path: &str) -> Json {
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The two files, and the answer types tagdeck reads differently
/// (`action` → `path` → type name).
struct Api {
    sdk: Json,
    tagdeck: Json,
    answer_types: BTreeMap<(String, String), String>,
}

fn api() -> Api {
    let sdk = read("api/cr-2018-12-01.json");
    let tagdeck = read("api/tagdeck.json");
    let answer_types = tagdeck["answerTypes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            let text = |k: &str| o[k].as_str().unwrap().to_string();
            assert!(
                !text("why").is_empty(),
                "{o}: every reading of tagdeck's own has its reason"
            );
            ((text("action"), text("path")), text("tagdeck"))
        })
        .collect();
    Api {
        sdk,
        tagdeck,
        answer_types,
    }
}

/// The SDK's operations then its removed ones, each with `removed`.
fn sdk_operations(api: &Api) -> Vec<(&Json, bool)> {
    let list = |key: &str, removed: bool| {
        api.sdk[key]
            .as_array()
            .unwrap()
            .iter()
            .map(move |op| (op, removed))
    };
    list("operations", false)
        .chain(list("removed", true))
        .collect()
}

/// Compares a catalogue type with an SDK type tree; `path` names the place
/// (`Images[].Tag`) for messages and tagdeck's own readings.
fn same_type(api: &Api, action: &str, ty: &Type, tree: &Json, path: &str) -> Result<(), String> {
    let sdk = tree["type"].as_str().unwrap_or("?");
    let wanted = api
        .answer_types
        .get(&(action.to_string(), path.to_string()))
        .map_or(sdk, String::as_str);
    let ok = match (ty, wanted) {
        (Type::Str, "String")
        | (Type::Int, "Integer")
        | (Type::Long, "Long")
        | (Type::Bool, "Boolean")
        | (Type::Float, "Float" | "Double")
        | (Type::Any, "Map") => true,
        (Type::Object(fields), "Object") => {
            return same_fields(api, action, fields, tree, path, &[]);
        }
        (Type::Array(item), "Array") => {
            return same_type(api, action, item, &tree["items"], &format!("{path}[]"));
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{path}: catalogue {ty:?}, SDK {sdk}, tagdeck reads {wanted}"
        ))
    }
}

/// The same field names in the same order, each of the same type; names in
/// `common` are left out of the catalogue's list (they are in
/// [`COMMON_RESPONSE`]).
fn same_fields(
    api: &Api,
    action: &str,
    fields: &[Field],
    tree: &Json,
    path: &str,
    common: &[&str],
) -> Result<(), String> {
    let empty = serde_json::Map::new();
    let sdk_fields = tree["fields"].as_object().unwrap_or(&empty);
    let docker = api.tagdeck["dockerNames"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o["action"] == action && path.starts_with(o["path"].as_str().unwrap()));
    // Inside a Docker manifest the names are the manifest's own (lower-case start).
    let wire = |name: &str| {
        if docker {
            name[..1].to_ascii_lowercase() + &name[1..]
        } else {
            name.to_string()
        }
    };
    let mut sdk_names: Vec<String> = sdk_fields
        .keys()
        .map(String::as_str)
        .filter(|n| !common.contains(n))
        .map(wire)
        .collect();
    sdk_names.sort_unstable();
    // serde_json's map is sorted by name: compare the names as sets.
    let mut names: Vec<&str> = fields.iter().map(|f| f.name).collect();
    names.sort_unstable();
    if names != sdk_names {
        return Err(format!(
            "{}: catalogue fields {names:?}, SDK {sdk_names:?}",
            if path.is_empty() { "answer" } else { path }
        ));
    }
    for field in fields {
        let sdk_name = sdk_fields
            .keys()
            .find(|k| wire(k) == field.name)
            .expect("names compared above");
        let sub = if path.is_empty() {
            sdk_name.clone()
        } else {
            format!("{path}.{sdk_name}")
        };
        same_type(api, action, &field.ty, &sdk_fields[sdk_name], &sub)?;
    }
    Ok(())
}

fn same_operation(api: &Api, op: &Operation, sdk: &Json, removed: bool) -> Result<(), String> {
    let method = match op.method {
        Method::Get => "GET",
        Method::Post => "POST",
    };
    if method != sdk["method"] {
        return Err(format!("method {method}, SDK {}", sdk["method"]));
    }
    if op.deprecated != (removed || sdk["deprecated"] == true) {
        return Err(format!("deprecated is {}", op.deprecated));
    }
    if op.summary.is_empty() || !op.doc.contains("official SDK cr-20181201") {
        return Err("no summary or source".into());
    }
    let sdk_params = sdk["params"].as_array().unwrap();
    let names: Vec<&str> = op.params.iter().map(|p| p.name).collect();
    let sdk_names: Vec<&str> = sdk_params
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    if names != sdk_names {
        return Err(format!("parameters {names:?}, SDK {sdk_names:?}"));
    }
    let secrets = &api.tagdeck["secretParams"];
    let removed_required = &api.tagdeck["removedRequired"][op.action];
    for (p, s) in op.params.iter().zip(sdk_params) {
        let what = |e: String| format!("parameter {}: {e}", p.name);
        let required = s["required"].as_bool().unwrap_or_else(|| {
            // The removed operations' last SDK release states no flags.
            removed_required
                .as_array()
                .is_some_and(|names| names.iter().any(|n| n == p.name))
        });
        if p.required != required {
            return Err(what(format!("required is {}, SDK {required}", p.required)));
        }
        if p.deprecated != (s["deprecated"] == true) {
            return Err(what(format!("deprecated is {}", p.deprecated)));
        }
        let secret = secrets.as_array().unwrap().iter().any(|n| n == p.name);
        if p.secret != secret {
            return Err(what(format!("secret is {}", p.secret)));
        }
        same_param_type(api, op.action, &p.ty, s).map_err(what)?;
    }
    let common: Vec<&str> = COMMON_RESPONSE.iter().map(|f| f.name).collect();
    for field in COMMON_RESPONSE {
        if let Some(tree) = sdk["response"]["fields"].get(field.name) {
            same_type(api, op.action, &field.ty, tree, field.name)?;
        }
    }
    same_fields(api, op.action, op.response, &sdk["response"], "", &common)
}

fn same_param_type(api: &Api, action: &str, ty: &ParamType, sdk: &Json) -> Result<(), String> {
    let sdk_type = sdk["type"].as_str().unwrap();
    let number = |key: &str, default: i64| sdk[key].as_i64().unwrap_or(default);
    match (ty, sdk["encoding"].as_str(), sdk_type) {
        (ParamType::Json(item) | ParamType::Flat(item), Some(encoding), _) => {
            let is_json = matches!(ty, ParamType::Json(_));
            if is_json != (encoding == "json") {
                return Err(format!("travels as {ty:?}, SDK says {encoding}"));
            }
            let tree = match sdk_type {
                "Array" => serde_json::json!({ "type": "Array", "items": sdk["items"] }),
                "Object" => {
                    serde_json::json!({ "type": "Object", "fields": sdk["items"]["fields"] })
                }
                other => serde_json::json!({ "type": other }),
            };
            same_type(api, action, item, &tree, sdk["name"].as_str().unwrap())
        }
        (_, Some(encoding), _) => Err(format!("{ty:?}, but the SDK sends it as {encoding}")),
        (ParamType::Enum(values), None, "String") => {
            let mut sdk_values: Vec<&str> = sdk["enum"]
                .as_array()
                .map(|v| v.iter().map(|x| x.as_str().unwrap()).collect())
                .unwrap_or_default();
            // Where the SDK's list has a typo, tagdeck's reading (with its reason).
            for reading in api.tagdeck["paramValues"].as_array().unwrap() {
                if reading["action"] == action && reading["param"] == sdk["name"] {
                    assert_eq!(reading["sdk"], sdk["enum"], "{action}: stale reading");
                    assert!(reading["why"].as_str().is_some_and(|w| !w.is_empty()));
                    sdk_values = reading["tagdeck"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|x| x.as_str().unwrap())
                        .collect();
                }
            }
            if *values == sdk_values.as_slice() {
                Ok(())
            } else {
                Err(format!("values {values:?}, SDK {sdk_values:?}"))
            }
        }
        (ParamType::Str { max_len: None }, None, "String") if sdk.get("enum").is_none() => Ok(()),
        (ParamType::Bool, None, "Boolean") => Ok(()),
        (ParamType::Int { min, max }, None, "Integer" | "Long") => {
            let (lo, hi) = if sdk_type == "Integer" {
                (i64::from(i32::MIN), i64::from(i32::MAX))
            } else {
                (i64::MIN, i64::MAX)
            };
            // An integer enumeration (SchemaVersion 1 or 2) is its range.
            let values: Vec<i64> = sdk["enum"]
                .as_array()
                .map(|v| v.iter().filter_map(Json::as_i64).collect())
                .unwrap_or_default();
            let (mut lo, mut hi) = match (values.iter().min(), values.iter().max()) {
                (Some(a), Some(b)) => (*a, *b),
                _ => (number("minimum", lo), number("maximum", hi)),
            };
            // The page limits tagdeck keeps (with their reason).
            for limit in api.tagdeck["paramLimits"].as_array().unwrap() {
                if limit["param"] == sdk["name"] && sdk_type == "Integer" {
                    assert!(limit["why"].as_str().is_some_and(|w| !w.is_empty()));
                    (lo, hi) = (
                        limit["min"].as_i64().unwrap(),
                        limit["max"].as_i64().unwrap(),
                    );
                }
            }
            if (*min, *max) == (lo, hi) {
                Ok(())
            } else {
                Err(format!("limits {min}..={max}, SDK {lo}..={hi}"))
            }
        }
        _ => Err(format!("catalogue {ty:?}, SDK {sdk_type}")),
    }
}

#[test]
fn catalogue_holds_exactly_the_sdk_operations() {
    let api = api();
    let sdk: BTreeSet<&str> = sdk_operations(&api)
        .iter()
        .map(|(op, _)| op["action"].as_str().unwrap())
        .collect();
    let ours: Vec<&str> = catalog::operations().map(|op| op.action).collect();
    let unique: BTreeSet<&str> = ours.iter().copied().collect();
    assert_eq!(ours.len(), unique.len(), "an action is listed twice");
    let missing: Vec<_> = sdk.difference(&unique).collect();
    let extra: Vec<_> = unique.difference(&sdk).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "not in the catalogue: {missing:?}; not in the SDK: {extra:?}"
    );
    assert_eq!(api.sdk["operations"].as_array().unwrap().len(), 119);
    assert_eq!(ours.len(), 121, "119 current operations and 2 removed ones");
}

#[test]
fn every_operation_agrees_with_the_sdk() {
    let api = api();
    let failures: Vec<String> = sdk_operations(&api)
        .into_iter()
        .filter_map(|(sdk, removed)| {
            let action = sdk["action"].as_str().unwrap();
            let op = catalog::find(action)?;
            same_operation(&api, op, sdk, removed)
                .err()
                .map(|e| format!("{action}: {e}"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} operation(s) disagree with api/cr-2018-12-01.json:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn only_the_removed_operations_are_deprecated() {
    let deprecated: Vec<&str> = catalog::operations()
        .filter(|op| op.deprecated)
        .map(|op| op.action)
        .collect();
    assert_eq!(deprecated, ["GetRepoTagLayers", "GetRepoTagManifest"]);
}

#[test]
fn region_id_is_a_parameter_only_where_the_sdk_declares_it() {
    let with_region: Vec<&str> = catalog::operations()
        .filter(|op| op.param("RegionId").is_some())
        .map(|op| op.action)
        .collect();
    assert_eq!(
        with_region,
        ["ListTagResources", "TagResources", "UntagResources"]
    );
}

/// A change made to a copy of an operation's SDK data.
type Edit = dyn Fn(&mut Json);

/// The checks above compare real data: a catalogue that drifts from the
/// JSON in any way they look at is caught (each mutation must fail).
#[test]
fn the_comparison_catches_each_kind_of_drift() {
    let api = api();
    let (sdk, _) = sdk_operations(&api)
        .into_iter()
        .find(|(op, _)| op["action"] == "CreateNamespace")
        .unwrap();
    let op = *catalog::find("CreateNamespace").unwrap();
    assert_eq!(same_operation(&api, &op, sdk, false), Ok(()));
    let mutate = |edit: &Edit| {
        let mut copy = sdk.clone();
        edit(&mut copy);
        same_operation(&api, &op, &copy, false)
    };
    let drifts: [(&str, &Edit); 7] = [
        ("method", &|j| j["method"] = "GET".into()),
        ("a required flag", &|j| {
            j["params"][0]["required"] = (j["params"][0]["required"] != true).into()
        }),
        ("a parameter's type", &|j| {
            j["params"][0]["type"] = "Integer".into()
        }),
        ("a parameter's name", &|j| {
            j["params"][0]["name"] = "Other".into()
        }),
        ("a deprecation", &|j| {
            for p in j["params"].as_array_mut().unwrap() {
                p["deprecated"] = false.into();
            }
        }),
        ("a nested parameter member", &|j| {
            let p = j["params"]
                .as_array_mut()
                .unwrap()
                .iter_mut()
                .find(|p| p["name"] == "DefaultRepoConfiguration")
                .unwrap();
            p["items"]["fields"]["RepoType"]["type"] = "Boolean".into();
        }),
        ("an answer field", &|j| {
            j["response"]["fields"]["NamespaceId"] = serde_json::json!({ "type": "String" })
        }),
    ];
    for (what, edit) in drifts {
        assert!(mutate(edit).is_err(), "a change of {what} went unnoticed");
    }
}
