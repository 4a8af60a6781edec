//! Generates the catalogue's tables from the API as data, at every build:
//!
//! - `api/cr-2018-12-01.json`: every operation of the official Go SDK
//!   `cr-20181201` 3.2.2 (see `api/README.md`);
//! - `api/tagdeck.json`: what tagdeck adds or decides: one-line summaries,
//!   secret parameters, and the few values, limits, names and answer types
//!   it reads differently, each with its reason (`docs/catalogue-changes.md`).
//!
//! The output, `$OUT_DIR/tables.rs`, is one module per group (`tag`,
//! `repository`, …) with its operations, plus `names` and `shapes`;
//! `src/lib.rs` includes it. The tables are compact (`src/compact.rs` says
//! why and expands them): every name once in `names` (`N_INSTANCE_ID` is
//! its index), every field list (shape) once, in the group that first uses
//! it, as (name, type) pairs of `u16`s, indexed in `shapes`
//! (`S_LIST_REPO_TAG_IMAGES`) with the enumerations (`E_…`) and integer
//! limits (`L_…`) of parameters.
//!
//! A new SDK release is a new copy of that JSON: nothing generated is
//! committed, so nothing can go stale. `tests/catalogue.rs` (in the core
//! crate) checks the expanded catalogue against both files.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use regex::Regex;
use serde_json::{Map, Value};

/// The groups, in catalogue order, each with the actions it takes (the
/// first pattern that matches an action decides) and its description.
const GROUPS: &[(&str, &str, &str)] = &[
    ("Lifecycle", r"ArtifactLifecycleRule$", "Artifact lifecycle (retention) rules of an instance."),
    ("Artifact", r"^([0-9A-Za-z_]+)Artifact(Build|Subscription)", "Artifact builds (image acceleration) and artifact subscriptions (images copied in from other registries)."),
    ("Event", r"EventCenter", "The event center: notification rules and their records."),
    ("Chain", r"Chain(Instance)?$", "Delivery chains: build, scan and distribute in one flow."),
    ("Resource", r"^(TagResources|UntagResources|ListTagResources|ChangeResourceGroup)$", "Resource tags and resource groups of instances."),
    ("Chart", r"Chart", "Helm chart namespaces, repositories and releases."),
    ("Scan", r"Scan", "Image security scans: tasks, results and scan rules."),
    ("Sync", r"RepoSync", "Image synchronization rules and tasks between instances."),
    ("Build", r"RepoBuild|BuildRecord|RepoSourceCodeRepo", "Image build rules, build records and the source code repository they build from."),
    ("Trigger", r"RepoTrigger", "Repository triggers (webhooks)."),
    ("Tag", r"RepoTag", "Image tags."),
    ("Namespace", r"Namespace", "Namespaces of an instance."),
    ("Repository", r"Repository", "Image repositories of an instance."),
    ("Credential", r"AuthorizationToken|LoginPassword", "Credentials for the registry itself (docker login)."),
    ("Endpoint", r"Endpoint|CustomizedDomain|StorageDomainRouting", "Access endpoints, their ACLs and linked VPCs, custom domains and storage-domain routing."),
    ("Instance", r"Instance", "Instances: details, usage, counts and regions."),
];

/// The fields every answer carries; the catalogue lists them once
/// (`COMMON_RESPONSE`), not in each operation.
const COMMON: &[(&str, &str)] = &[
    ("RequestId", "String"),
    ("IsSuccess", "Boolean"),
    ("Code", "String"),
];

/// The SDK's scalar types, as the tables write them.
const SCALARS: &[(&str, &str)] = &[
    ("String", "T_STR"),
    ("Integer", "T_INT"),
    ("Long", "T_LONG"),
    ("Boolean", "T_BOOL"),
    ("Float", "T_FLOAT"),
    ("Double", "T_FLOAT"),
    ("Map", "T_ANY"),
];

fn main() {
    let root = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    )
    .join("..");
    let api_path = root.join("api/cr-2018-12-01.json");
    let tagdeck_path = root.join("api/tagdeck.json");
    println!("cargo:rerun-if-changed={}", api_path.display());
    println!("cargo:rerun-if-changed={}", tagdeck_path.display());
    let api = read_json(&api_path);
    let tagdeck = read_json(&tagdeck_path);

    let tables = Generator::new(&tagdeck).generate(&api);
    let out =
        PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("tables.rs");
    if std::fs::read_to_string(&out).ok().as_deref() != Some(tables.as_str()) {
        std::fs::write(&out, tables).unwrap_or_else(|e| panic!("writing {}: {e}", out.display()));
    }
}

fn read_json(path: &Path) -> Value {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A shape (field list) as first met: its index, constant name, the group
/// whose module holds it (none for the empty shape) and its items.
struct Shape {
    index: usize,
    name: String,
    group: Option<&'static str>,
    items: Vec<String>,
}

/// The interning state of one generation: names, shapes, enumerations and
/// limits in first-use order (their order is their index).
struct Generator<'a> {
    tagdeck: &'a Value,
    /// tagdeck's reading of an answer field, where it differs from the
    /// SDK's type: (action, path) → type.
    answer_types: HashMap<(String, String), String>,
    names: Vec<(String, String)>,
    shapes: Vec<Shape>,
    enums: Vec<(String, String, Vec<String>)>,
    limits: Vec<(String, String, String)>,
    const_case: Regex,
    non_word: Regex,
}

impl<'a> Generator<'a> {
    fn new(tagdeck: &'a Value) -> Self {
        let answer_types = list(tagdeck, "answerTypes")
            .iter()
            .map(|o| {
                (
                    (text(o, "action").to_owned(), text(o, "path").to_owned()),
                    text(o, "tagdeck").to_owned(),
                )
            })
            .collect();
        Generator {
            tagdeck,
            answer_types,
            names: Vec::new(),
            shapes: vec![Shape {
                index: 0,
                name: "EMPTY".into(),
                group: None,
                items: Vec::new(),
            }],
            enums: Vec::new(),
            limits: Vec::new(),
            const_case: Regex::new("([a-z0-9])([A-Z])").expect("valid pattern"),
            non_word: Regex::new("[^A-Za-z0-9]+").expect("valid pattern"),
        }
    }

    /// `ListRepoTag_Images[]` → `LIST_REPO_TAG_IMAGES`.
    fn const_name(&self, where_: &str) -> String {
        let without_brackets = where_.replace("[]", "");
        let split = self.const_case.replace_all(&without_brackets, "${1}_${2}");
        self.non_word.replace_all(&split, "_").to_uppercase()
    }

    /// A name's constant (`N_INSTANCE_ID`), interned on first use.
    fn name_ref(&mut self, name: &str) -> String {
        if let Some((_, c)) = self.names.iter().find(|(n, _)| n == name) {
            return c.clone();
        }
        let mut c = format!("N_{}", self.const_name(name));
        while self.names.iter().any(|(_, taken)| *taken == c) {
            c.push('_');
        }
        self.names.push((name.to_owned(), c.clone()));
        c
    }

    /// A field list's constant (`S_…`), interned by its items.
    fn shape_ref(&mut self, items: Vec<String>, where_: &str, group: &'static str) -> String {
        if let Some(s) = self.shapes.iter().find(|s| s.items == items) {
            return format!("S_{}", s.name);
        }
        let mut name = self.const_name(where_);
        while self.shapes.iter().any(|s| s.name == name) {
            name.push('_');
        }
        let index = self.shapes.len();
        self.shapes.push(Shape {
            index,
            name: name.clone(),
            group: Some(group),
            items,
        });
        format!("S_{name}")
    }

    fn enum_ref(&mut self, values: Vec<String>, where_: &str) -> String {
        if let Some((name, _, _)) = self.enums.iter().find(|(_, _, v)| *v == values) {
            return name.clone();
        }
        let name = format!("E_{}", self.const_name(where_));
        self.enums.push((name.clone(), String::new(), values));
        name
    }

    fn limits_ref(&mut self, min: String, max: String, where_: &str) -> String {
        if let Some((name, _, _)) = self
            .limits
            .iter()
            .find(|(_, lo, hi)| *lo == min && *hi == max)
        {
            return name.clone();
        }
        let name = format!("L_{}", self.const_name(where_));
        self.limits.push((name.clone(), min, max));
        name
    }

    /// The type code expression of a type tree; `path` names it for the
    /// overrides and for the shapes' constant names.
    fn type_expr(&mut self, tree: &Value, action: &str, path: &str, group: &'static str) -> String {
        let override_ = self
            .answer_types
            .get(&(action.to_owned(), path.to_owned()))
            .cloned();
        let ty = override_.unwrap_or_else(|| text(tree, "type").to_owned());
        match ty.as_str() {
            "Object" => {
                let empty = Map::new();
                let fields = tree
                    .get("fields")
                    .and_then(Value::as_object)
                    .unwrap_or(&empty);
                format!(
                    "obj({})",
                    self.fields_expr(fields, action, path, group, &[])
                )
            }
            "Array" => {
                let map = serde_json::json!({ "type": "Map" });
                let items = tree.get("items").unwrap_or(&map);
                format!(
                    "arr({})",
                    self.type_expr(items, action, &format!("{path}[]"), group)
                )
            }
            scalar => SCALARS
                .iter()
                .find(|(sdk, _)| *sdk == scalar)
                .map(|(_, code)| (*code).to_owned())
                .unwrap_or_else(|| panic!("{action} {path}: unknown type {scalar}")),
        }
    }

    /// A field's name as it travels: the SDK's, except inside a Docker
    /// manifest (api/tagdeck.json `dockerNames`), whose keys start lower-case.
    fn wire_name(&self, action: &str, path: &str, name: &str) -> String {
        let docker = list(self.tagdeck, "dockerNames").iter().any(|o| {
            let at = text(o, "path");
            text(o, "action") == action
                && (path == at
                    || path.starts_with(&format!("{at}."))
                    || path.starts_with(&format!("{at}[")))
        });
        if docker {
            let mut chars = name.chars();
            chars
                .next()
                .map(|first| first.to_lowercase().chain(chars).collect())
                .unwrap_or_default()
        } else {
            name.to_owned()
        }
    }

    /// A field list's shape constant (`S_LIST_REPO_TAG_IMAGES`); `skip`
    /// leaves out the common answer fields.
    fn fields_expr(
        &mut self,
        fields: &Map<String, Value>,
        action: &str,
        path: &str,
        group: &'static str,
        skip: &[&str],
    ) -> String {
        let mut items = Vec::new();
        for (name, tree) in fields
            .iter()
            .filter(|(name, _)| !skip.contains(&name.as_str()))
        {
            // The name is interned before the names of its type, as the
            // tables have always been ordered.
            let name_const = self.name_ref(&self.wire_name(action, path, name));
            let child = if path.is_empty() {
                name.clone()
            } else {
                format!("{path}.{name}")
            };
            items.push(format!(
                "({name_const}, {})",
                self.type_expr(tree, action, &child, group)
            ));
        }
        let where_ = if path.is_empty() {
            format!("{action}_answer")
        } else {
            format!("{action}_{path}")
        };
        self.shape_ref(items, &where_, group)
    }

    fn param_expr(&mut self, op: &Value, p: &Value, group: &'static str) -> String {
        let action = text(op, "action");
        let name = text(p, "name");
        let ty = text(p, "type");
        let required = p
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or_else(|| {
                self.tagdeck["removedRequired"]
                    .get(action)
                    .and_then(Value::as_array)
                    .is_some_and(|names| names.iter().any(|n| n.as_str() == Some(name)))
            });
        let where_ = format!("{action}_{name}");
        let encoding = p.get("encoding").and_then(Value::as_str);
        let enumeration = p.get("enum").and_then(Value::as_array);
        let minimum = p.get("minimum").filter(|v| !v.is_null());
        let maximum = p.get("maximum").filter(|v| !v.is_null());
        let limit = list(self.tagdeck, "paramLimits")
            .iter()
            .find(|l| text(l, "param") == name);
        let code = if let Some(encoding @ ("json" | "flat")) = encoding {
            let tree = match ty {
                "Object" => serde_json::json!({
                    "type": "Object",
                    "fields": p.get("items").and_then(|i| i.get("fields")).cloned().unwrap_or_else(|| serde_json::json!({})),
                }),
                "Array" => {
                    serde_json::json!({ "type": "Array", "items": p.get("items").cloned().unwrap_or(Value::Null) })
                }
                other => serde_json::json!({ "type": other }),
            };
            let tree = without_null_items(tree);
            format!("{encoding}({})", self.type_expr(&tree, action, name, group))
        } else if let (Some(values), "Integer") = (enumeration, ty) {
            let numbers: Vec<i64> = values.iter().map(integer).collect();
            let (lo, hi) = (
                numbers.iter().min().expect("an enumeration"),
                numbers.iter().max().expect("an enumeration"),
            );
            format!(
                "within({})",
                self.limits_ref(lo.to_string(), hi.to_string(), &where_)
            )
        } else if let Some(values) = enumeration {
            let reading = list(self.tagdeck, "paramValues")
                .iter()
                .find(|o| text(o, "action") == action && text(o, "param") == name)
                .map(|o| &o["tagdeck"]);
            let values = reading.and_then(Value::as_array).unwrap_or(values);
            let values = values
                .iter()
                .map(|v| v.as_str().expect("a string value").to_owned())
                .collect();
            format!("one_of({})", self.enum_ref(values, &where_))
        } else if ty == "String" {
            "P_STR".to_owned()
        } else if ty == "Boolean" {
            "P_BOOL".to_owned()
        } else if let (Some(l), "Integer") = (limit, ty) {
            let (min, max) = (
                integer(&l["min"]).to_string(),
                integer(&l["max"]).to_string(),
            );
            format!("within({})", self.limits_ref(min, max, name))
        } else if (ty == "Integer" || ty == "Long") && minimum.is_none() && maximum.is_none() {
            if ty == "Integer" { "P_INT" } else { "P_LONG" }.to_owned()
        } else if ty == "Integer" || ty == "Long" {
            let (lo, hi) = if ty == "Integer" {
                (i32::MIN.to_string(), i32::MAX.to_string())
            } else {
                ("i64::MIN".to_owned(), "i64::MAX".to_owned())
            };
            let min = minimum.map(|v| integer(v).to_string()).unwrap_or(lo);
            let max = maximum.map(|v| integer(v).to_string()).unwrap_or(hi);
            format!("within({})", self.limits_ref(min, max, &where_))
        } else {
            panic!("{action}.{name}: no parameter type for {ty}/{encoding:?}");
        };
        let mut flags = vec![if required { "REQUIRED" } else { "OPTIONAL" }];
        if list(self.tagdeck, "secretParams")
            .iter()
            .any(|s| s.as_str() == Some(name))
        {
            flags.push("SECRET");
        }
        if p.get("deprecated")
            .and_then(Value::as_bool)
            .unwrap_or(false)
        {
            flags.push("DEPRECATED");
        }
        // The parameter's name is interned after the names of its type.
        format!("P({}, {code}, {})", self.name_ref(name), flags.join(" | "))
    }

    fn operation_expr(&mut self, op: &Value, removed: bool, group: &'static str) -> String {
        let action = text(op, "action");
        let summary = self.tagdeck["summaries"]
            .get(action)
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("api/tagdeck.json has no summary for {action}"));
        let params: Vec<String> = list(op, "params")
            .iter()
            .map(|p| self.param_expr(op, p, group))
            .collect();
        let empty = Map::new();
        let fields = op["response"]
            .get("fields")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let common: Vec<&str> = COMMON.iter().map(|(name, _)| *name).collect();
        let response = self.fields_expr(fields, action, "", group, &common);
        let deprecated = removed
            || op
                .get("deprecated")
                .and_then(Value::as_bool)
                .unwrap_or(false);
        let method = if text(op, "method") == "GET" {
            "Get"
        } else {
            "Post"
        };
        format!(
            "    Entry {{\n        action: {},\n        method: Method::{method},\n        deprecated: {deprecated},\n        summary: {},\n        params: &[{}],\n        response: {response},\n    }},",
            rust_string(action),
            rust_string(summary),
            params.join(",\n"),
        )
    }

    /// The whole of `tables.rs`.
    fn generate(mut self, api: &Value) -> String {
        let groups: Vec<(&'static str, Regex)> = GROUPS
            .iter()
            .map(|(group, pattern, _)| (*group, Regex::new(pattern).expect("valid pattern")))
            .collect();
        let group_of = |action: &str| {
            groups
                .iter()
                .find(|(_, pattern)| pattern.is_match(action))
                .map(|(group, _)| *group)
                .unwrap_or_else(|| panic!("no group for {action}"))
        };
        let all: Vec<(&Value, bool)> = list(api, "operations")
            .iter()
            .map(|op| (op, false))
            .chain(list(api, "removed").iter().map(|op| (op, true)))
            .collect();
        for (op, _) in &all {
            self.check_common_fields(op);
        }
        let texts: Vec<(&'static str, String)> = all
            .iter()
            .map(|(op, removed)| {
                let group = group_of(text(op, "action"));
                (group, self.operation_expr(op, *removed, group))
            })
            .collect();

        let mut out = String::from(
            "// @generated by catalog/build.rs from api/cr-2018-12-01.json and api/tagdeck.json.\n\n",
        );
        for (group, _, about) in GROUPS {
            let module = group.to_lowercase();
            let body: Vec<&str> = texts
                .iter()
                .filter(|(g, _)| g == group)
                .map(|(_, t)| t.as_str())
                .collect();
            let _ = writeln!(
                out,
                "/// {about}\n#[allow(unused_imports)]\nmod {module} {{"
            );
            out.push_str("use super::compact::*;\nuse super::names::*;\nuse super::shapes::*;\nuse super::Method;\n\n");
            let _ = writeln!(
                out,
                "pub(super) const OPERATIONS: &[Entry] = &[\n{}\n];",
                body.join("\n")
            );
            for shape in self.shapes.iter().filter(|s| s.group == Some(*group)) {
                let _ = writeln!(
                    out,
                    "\npub(super) const {}: &[(u16, u16)] = &[{}];",
                    shape.name,
                    shape.items.join(",\n")
                );
            }
            out.push_str("}\n\n");
        }
        out.push_str(&self.names_module());
        out.push_str(&self.shapes_module());
        out
    }

    /// Every parameter and field name once, in one string (`NAMES`,
    /// separated by spaces); a name's constant is its position.
    fn names_module(&self) -> String {
        let mut out = String::from("/// Every parameter and field name of the catalogue, once.\nmod names {\npub(super) const NAMES: &str = concat!(\n");
        for (name, _) in &self.names {
            assert!(!name.contains(' '), "name with a space: {name}");
            let _ = writeln!(out, "    \"{name} \",");
        }
        out.push_str(");\n\n");
        for (i, (_, c)) in self.names.iter().enumerate() {
            let _ = writeln!(out, "pub(super) const {c}: u16 = {i};");
        }
        out.push_str("}\n\n");
        out
    }

    /// The table of shapes and their indices; the enumerations and integer
    /// limits of parameters.
    fn shapes_module(&self) -> String {
        let mut out = String::from("/// The shapes (field lists), enumerations and integer limits.\nmod shapes {\npub(super) const SHAPES: &[&[(u16, u16)]] = &[\n");
        for shape in &self.shapes {
            match shape.group {
                Some(group) => {
                    let _ = writeln!(out, "    super::{}::{},", group.to_lowercase(), shape.name);
                }
                None => out.push_str("    &[],\n"),
            }
        }
        out.push_str("];\n\n");
        for shape in &self.shapes {
            let _ = writeln!(
                out,
                "pub(super) const S_{}: u16 = {};",
                shape.name, shape.index
            );
        }
        out.push_str("\npub(super) const ENUMS: &[&[&str]] = &[\n");
        for (_, _, values) in &self.enums {
            let values: Vec<String> = values.iter().map(|v| rust_string(v)).collect();
            let _ = writeln!(out, "    &[{}],", values.join(", "));
        }
        out.push_str("];\n\n");
        for (i, (name, _, _)) in self.enums.iter().enumerate() {
            let _ = writeln!(out, "pub(super) const {name}: u16 = {i};");
        }
        out.push_str("\npub(super) const LIMITS: &[(i64, i64)] = &[\n");
        for (_, min, max) in &self.limits {
            let _ = writeln!(out, "    ({min}, {max}),");
        }
        out.push_str("];\n\n");
        for (i, (name, _, _)) in self.limits.iter().enumerate() {
            let _ = writeln!(out, "pub(super) const {name}: u16 = {i};");
        }
        out.push_str("}\n");
        out
    }

    /// The common answer fields keep one type everywhere: an SDK release
    /// that types one differently must be read in api/tagdeck.json first.
    fn check_common_fields(&self, op: &Value) {
        let action = text(op, "action");
        for (name, common) in COMMON {
            let Some(sdk) = op["response"]
                .get("fields")
                .and_then(|f| f.get(*name))
                .map(|f| text(f, "type"))
            else {
                continue;
            };
            let ours = self
                .answer_types
                .get(&(action.to_owned(), (*name).to_owned()))
                .map_or(sdk, String::as_str);
            assert!(
                ours == *common,
                "{action}.{name} is {sdk} in the SDK: add tagdeck's reading to api/tagdeck.json"
            );
        }
    }
}

/// A JSON list member of `value` (empty when absent).
fn list<'v>(value: &'v Value, key: &str) -> &'v [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// A string member of `value`.
fn text<'v>(value: &'v Value, key: &str) -> &'v str {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string `{key}` in {value}"))
}

/// A whole number, whether the JSON writes it `3` or `3.0`.
fn integer(value: &Value) -> i64 {
    value
        .as_i64()
        .or_else(|| {
            value
                .as_f64()
                .filter(|f| f.fract() == 0.0)
                .map(|f| f as i64)
        })
        .unwrap_or_else(|| panic!("not a whole number: {value}"))
}

/// An `Array` tree without items reads as a list of free-form values.
fn without_null_items(mut tree: Value) -> Value {
    if tree.get("items").is_some_and(Value::is_null) {
        tree.as_object_mut().expect("an object").remove("items");
    }
    tree
}

/// A Rust string literal of `s` (JSON's escapes are Rust's for these texts).
fn rust_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}
