//! The typings of the REST registries' answer objects, per-operation
//! methods and their parameters, `src/wasm/rest_operations.d.ts`, are generated from the
//! operation tables (`src/providers/scaleway.rs`, `src/providers/swr.rs`)
//! by this test, which fails when the file and the tables disagree. To
//! rewrite the file after changing a table:
//! `TAGDECK_WRITE_TYPINGS=1 cargo test -p tagdeck --test rest_typescript`.
//!
//! (The cr catalogue's typings come from `build.rs`, which compiles the
//! catalogue into itself; the REST tables hold check functions of the
//! crate, so they are read here, from the crate as built.)

use std::fmt::Write as _;

use tagdeck::catalog::{ParamType, Type};
use tagdeck::naming::to_js_name;
use tagdeck::providers::rest::{
    js_name, Kind, RestApi, RestOperation, RestParam, Rule, TypedObject,
};
use tagdeck::providers::{scaleway, swr};

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/wasm/rest_operations.d.ts");

/// `{ name: "v" | "w" }` style: a TypeScript string literal.
fn quote(text: &str) -> String {
    format!("{text:?}")
}

/// The TypeScript type of a parameter, and what its JSDoc says; structures
/// are named by the interfaces of `objects`.
fn param_type(param: &RestParam, objects: &[TypedObject]) -> (String, Option<String>) {
    match param.kind {
        Kind::Scalar(ParamType::Str { .. }) => ("string".into(), None),
        Kind::Scalar(ParamType::Int { min, max }) => {
            ("number | bigint".into(), Some(format!("{min} to {max}.")))
        }
        Kind::Scalar(ParamType::Bool) => ("boolean".into(), None),
        Kind::Scalar(ParamType::Enum(values)) => (
            values
                .iter()
                .map(|v| quote(v))
                .collect::<Vec<_>>()
                .join(" | "),
            None,
        ),
        Kind::Checked { accepts, .. } => ("string".into(), Some(format!("{accepts}."))),
        // A structure in the JSON body (SWR's retention `rules`), typed as
        // the answers that carry it.
        Kind::Scalar(ParamType::Json(ty)) => (answer_type(ty, objects), None),
        // The REST builders refuse flat lists (rest.rs: "a scalar"), so no
        // table declares one; a table that did needs its typing decided here.
        Kind::Scalar(ty @ ParamType::Flat(_)) => {
            panic!(
                "{}: a REST parameter of type {ty:?} has no typing",
                param.name
            )
        }
    }
}

/// What the operation's rules say about `param`, as sentences.
fn rule_notes(op: &RestOperation, param: &str) -> Vec<String> {
    let js = |name: &str| format!("`{}`", js_name(name));
    op.rules
        .iter()
        .filter_map(|rule| match *rule {
            Rule::Together(a, b) if a == param => Some(format!("Given with {}.", js(b))),
            Rule::Together(a, b) if b == param => Some(format!("Given with {}.", js(a))),
            Rule::MultipleOf(a, b) if a == param => Some(format!("A multiple of {}.", js(b))),
            Rule::Excludes(a, others) if a == param => Some(format!(
                "Instead of {}.",
                others.iter().map(|o| js(o)).collect::<Vec<_>>().join(", ")
            )),
            _ => None,
        })
        .collect()
}

/// A member's name in JavaScript, as the package converts answers
/// (`image_id` → `imageId`, SWR's `Tag` → `tag`).
fn member_name(wire: &str) -> String {
    to_js_name(&js_name(wire)).into_owned()
}

/// The TypeScript type of an answer field of type `ty`; objects are named
/// by the interfaces of `objects`.
fn answer_type(ty: &Type, objects: &[TypedObject]) -> String {
    match ty {
        Type::Str => "string".into(),
        Type::Int | Type::Float => "number".into(),
        Type::Long => "bigint".into(),
        Type::Bool => "boolean".into(),
        Type::Any => "unknown".into(),
        Type::Array(item) => format!("{}[]", answer_type(item, objects)),
        Type::Object(fields) => objects
            .iter()
            .find(|o| std::ptr::eq(o.fields, *fields))
            .map(|o| o.name.to_string())
            .unwrap_or_else(|| panic!("an answer object with no TypedObject: {fields:?}")),
    }
}

/// The interfaces of the answer objects, from the tables' field lists.
fn generate_objects(objects: &[TypedObject], out: &mut String) {
    for object in objects {
        for (wire, _) in object.notes.iter().chain(object.typed) {
            assert!(
                object.fields.iter().any(|f| f.name == *wire),
                "{}: no field {wire}",
                object.name
            );
        }
        let _ = writeln!(
            out,
            "/** {} */\nexport interface {} {{",
            object.about, object.name
        );
        for field in object.fields {
            if let Some((_, note)) = object.notes.iter().find(|(wire, _)| *wire == field.name) {
                let _ = writeln!(out, "  /** {note} */");
            }
            let ty = object
                .typed
                .iter()
                .find(|(wire, _)| *wire == field.name)
                .map_or_else(|| answer_type(&field.ty, objects), |(_, ty)| ty.to_string());
            let present =
                matches!(field.ty, Type::Array(_)) || object.present.contains(&field.name);
            let optional = if present { "" } else { "?" };
            let _ = writeln!(out, "  {}{optional}: {ty};", member_name(field.name));
        }
        out.push_str("}\n\n");
    }
}

fn generate(api: &RestApi, objects: &[TypedObject], out: &mut String) {
    let prefix = api.class.trim_end_matches("Registry");
    for op in api.operations {
        let _ = writeln!(
            out,
            "/** Parameters of `{}` ({}): {} */\nexport interface {prefix}{}Params {{",
            op.name, op.doc, op.summary, op.name
        );
        for param in op.params {
            let (ty, doc) = param_type(param, objects);
            let defaulted = api.defaulted.contains(&param.name);
            let mut notes: Vec<String> = doc.into_iter().collect();
            notes.extend(rule_notes(op, param.name));
            if defaulted {
                notes.push("Default: the client's.".into());
            }
            if !notes.is_empty() {
                let _ = writeln!(out, "  /** {} */", notes.join(" "));
            }
            let optional = if param.required && !defaulted {
                ""
            } else {
                "?"
            };
            let _ = writeln!(out, "  {}{optional}: {ty};", js_name(param.name));
        }
        out.push_str("}\n\n");
    }
    let _ = writeln!(
        out,
        "/**\n * One method per operation of the {name} table: `registry.{example}(params)`\n \
         * is `registry.call(\"{op}\", params)`.\n */\nexport interface {class} {{",
        name = api.name,
        example = tagdeck::naming::to_js_name(api.operations[0].name),
        op = api.operations[0].name,
        class = api.class,
    );
    for op in api.operations {
        let optional = op
            .params
            .iter()
            .all(|p| !p.required || api.defaulted.contains(&p.name));
        let _ = writeln!(
            out,
            "  /** {summary} (`{name}`) */\n  {method}(params{opt}: {prefix}{name}Params): Promise<{result}>;",
            summary = op.summary,
            name = op.name,
            method = tagdeck::naming::to_js_name(op.name),
            opt = if optional { "?" } else { "" },
            result = op.resolves_to,
        );
    }
    out.push_str("}\n\n");
}

#[test]
fn rest_typings_are_generated_from_the_operation_tables() {
    let mut text = String::from(
        "// @generated from the operation tables and answer objects of\n\
         // src/providers/scaleway.rs and src/providers/swr.rs by\n\
         // tests/rest_typescript.rs; do not edit.\n\n",
    );
    generate_objects(scaleway::TYPED_OBJECTS, &mut text);
    generate(&scaleway::API, scaleway::TYPED_OBJECTS, &mut text);
    generate_objects(swr::TYPED_OBJECTS, &mut text);
    generate(&swr::API, swr::TYPED_OBJECTS, &mut text);
    let text = text.trim_end().to_string() + "\n";
    if std::env::var_os("TAGDECK_WRITE_TYPINGS").is_some() {
        std::fs::write(FILE, &text).expect("writing the typings");
    }
    let on_disk = std::fs::read_to_string(FILE).unwrap_or_default();
    assert!(
        on_disk == text,
        "src/wasm/rest_operations.d.ts does not match the operation tables; rewrite it with \
         TAGDECK_WRITE_TYPINGS=1 cargo test -p tagdeck --test rest_typescript"
    );
}
