//! The typings of the REST registries' per-operation methods and their
//! parameters, `src/wasm/rest_operations.d.ts`, are generated from the
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
use tagdeck::providers::rest::{js_name, Kind, RestApi, RestOperation, RestParam, Rule};
use tagdeck::providers::{scaleway, swr};

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/wasm/rest_operations.d.ts");

/// `{ name: "v" | "w" }` style: a TypeScript string literal.
fn quote(text: &str) -> String {
    format!("{text:?}")
}

/// The TypeScript type of a parameter, and what its JSDoc says.
fn param_type(param: &RestParam) -> (String, Option<String>) {
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
        // A structure sent in the JSON body (SWR's retention `rules`).
        Kind::Scalar(ParamType::Json(ty)) => (structure(ty), None),
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

/// The TypeScript type of a structure parameter, members camelCase and
/// optional (the service says which a value needs; the type cannot).
fn structure(ty: &Type) -> String {
    match ty {
        Type::Str => "string".into(),
        Type::Int | Type::Float => "number".into(),
        Type::Long => "number | bigint".into(),
        Type::Bool => "boolean".into(),
        Type::Array(item) => format!("Array<{}>", structure(item)),
        Type::Object(fields) => format!(
            "{{ {} }}",
            fields
                .iter()
                .map(|f| format!("{}?: {};", js_name(f.name), structure(&f.ty)))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        other => panic!("a REST structure parameter of type {other:?} has no typing"),
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

fn generate(api: &RestApi, out: &mut String) {
    let prefix = api.class.trim_end_matches("Registry");
    for op in api.operations {
        let _ = writeln!(
            out,
            "/** Parameters of `{}` ({}): {} */\nexport interface {prefix}{}Params {{",
            op.name, op.doc, op.summary, op.name
        );
        for param in op.params {
            let (ty, doc) = param_type(param);
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
        "// @generated from the operation tables of src/providers/scaleway.rs and\n\
         // src/providers/swr.rs by tests/rest_typescript.rs; do not edit.\n\n",
    );
    generate(&scaleway::API, &mut text);
    generate(&swr::API, &mut text);
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
