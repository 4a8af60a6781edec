//! Every operation of the catalogue: request building (valid and invalid)
//! and decoding of its answer from JSON and from XML.
//!
//! Fixtures live in `tests/fixtures/cr/{Action}/`: `request.json` (a valid
//! request, wire names), `response.json` and `response.xml` (an answer) and
//! `decoded.json` (the value both must decode to). See
//! `tests/fixtures/cr.md` for where each comes from.
//!
//! The catalogue itself is checked against `api/cr-2018-12-01.json` in
//! `tests/catalogue.rs`.

mod common;

use common::{params_of, read_fixture, to_json};
use serde_json::Value as Json;
use tagdeck::catalog::{self, Operation, ParamType};
use tagdeck::decode::decode_response;
use tagdeck::request::prepare;
use tagdeck::sign::Format;
use tagdeck::{Error, Value};

/// Runs `check` for every operation and reports every failure at once.
fn for_each_operation(check: impl Fn(&'static Operation) -> Result<(), String>) {
    let failures: Vec<String> = catalog::operations()
        .filter_map(|op| check(op).err().map(|e| format!("{}: {e}", op.action)))
        .collect();
    assert!(
        failures.is_empty(),
        "{} operation(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn fixture(op: &Operation, file: &str) -> Result<String, String> {
    read_fixture(op.action, file).ok_or_else(|| format!("missing fixture {file}"))
}

#[test]
fn every_parameter_name_is_pascal_case_and_unique() {
    for_each_operation(|op| {
        for (i, p) in op.params.iter().enumerate() {
            if !p.name.starts_with(|c: char| c.is_ascii_uppercase()) || p.name.contains(' ') {
                return Err(format!("parameter {:?} is not a wire name", p.name));
            }
            if op.params[..i].iter().any(|q| q.name == p.name) {
                return Err(format!("parameter {} twice", p.name));
            }
        }
        Ok(())
    });
}

#[test]
fn valid_requests_are_built_with_every_parameter() {
    for_each_operation(|op| {
        let request: Json =
            serde_json::from_str(&fixture(op, "request.json")?).map_err(|e| e.to_string())?;
        let params = params_of(&request);
        let prepared = prepare(op.action, &params).map_err(|e| e.to_string())?;
        if prepared.params[0] != ("Action".into(), op.action.into()) {
            return Err("Action is not the first parameter".into());
        }
        for (name, _) in &params {
            // A flat list goes out as `Name.1…`.
            let sent = |k: &String| {
                k == name
                    || k.strip_prefix(name.as_str())
                        .is_some_and(|r| r.starts_with('.'))
            };
            if !prepared.params.iter().any(|(k, _)| sent(k)) {
                return Err(format!("{name} was dropped"));
            }
        }
        for p in op.params.iter().filter(|p| p.required) {
            if !params.iter().any(|(k, _)| k == p.name) {
                return Err(format!("request.json lacks the required {}", p.name));
            }
        }
        Ok(())
    });
}

#[test]
fn invalid_requests_are_refused_naming_the_parameter() {
    for_each_operation(|op| {
        let request: Json =
            serde_json::from_str(&fixture(op, "request.json")?).map_err(|e| e.to_string())?;
        let valid = params_of(&request);
        let expect = |params: Vec<(String, Value)>, code: &str, name: &str| -> Result<(), String> {
            match prepare(op.action, &params) {
                Err(e) if e.code() == code && e.message().contains(name) => Ok(()),
                other => Err(format!("expected {code} naming {name}, got {other:?}")),
            }
        };
        let with = |name: &str, value: Value| {
            let mut p: Vec<_> = valid.iter().filter(|(k, _)| k != name).cloned().collect();
            p.push((name.to_string(), value));
            p
        };
        for p in op.params {
            if p.required {
                let without = valid.iter().filter(|(k, _)| k != p.name).cloned().collect();
                expect(without, "MissingParameter", p.name)?;
            }
            match p.ty {
                ParamType::Str { .. } => {
                    expect(with(p.name, Value::Int(5)), "InvalidParameter", p.name)?
                }
                ParamType::Int { min, max } => {
                    expect(with(p.name, "twelve".into()), "InvalidParameter", p.name)?;
                    expect(with(p.name, Value::Bool(true)), "InvalidParameter", p.name)?;
                    if max < i64::MAX {
                        expect(
                            with(p.name, Value::Int(max + 1)),
                            "InvalidParameter",
                            p.name,
                        )?;
                    }
                    if min > i64::MIN {
                        expect(
                            with(p.name, Value::Int(min - 1)),
                            "InvalidParameter",
                            p.name,
                        )?;
                    }
                }
                ParamType::Bool => {
                    expect(with(p.name, "maybe".into()), "InvalidParameter", p.name)?
                }
                ParamType::Enum(_) => expect(
                    with(p.name, "NOT_A_VALUE".into()),
                    "InvalidParameter",
                    p.name,
                )?,
                ParamType::Json(_) => {
                    expect(with(p.name, Value::Bool(true)), "InvalidParameter", p.name)?;
                    expect(with(p.name, "{not json".into()), "InvalidParameter", p.name)?;
                }
                ParamType::Flat(_) => {
                    expect(with(p.name, "a".into()), "InvalidParameter", p.name)?;
                    expect(
                        with(p.name, Value::Array(vec![Value::Array(vec![])])),
                        "InvalidParameter",
                        p.name,
                    )?;
                }
            }
        }
        expect(
            with("NoSuchParameter", "x".into()),
            "InvalidParameter",
            "NoSuchParameter",
        )?;
        Ok(())
    });
}

fn decode_fixture(op: &Operation, file: &str, format: Format) -> Result<Json, String> {
    let body = fixture(op, file)?;
    decode_response(op, 200, &body, format)
        .map(|v| to_json(&v))
        .map_err(|e| format!("{file}: {e}"))
}

fn expected(op: &Operation) -> Result<Json, String> {
    serde_json::from_str(&fixture(op, "decoded.json")?).map_err(|e| format!("decoded.json: {e}"))
}

fn same(got: Json, want: &Json, what: &str) -> Result<(), String> {
    if &got == want {
        Ok(())
    } else {
        Err(format!(
            "{what} decodes to\n{}\nbut decoded.json says\n{}",
            got, want
        ))
    }
}

#[test]
fn json_answers_decode_to_the_expected_value() {
    for_each_operation(|op| {
        same(
            decode_fixture(op, "response.json", Format::Json)?,
            &expected(op)?,
            "response.json",
        )
    });
}

#[test]
fn xml_answers_decode_to_the_expected_value() {
    for_each_operation(|op| {
        same(
            decode_fixture(op, "response.xml", Format::Xml)?,
            &expected(op)?,
            "response.xml",
        )
    });
}

#[test]
fn xml_without_root_element_decodes_the_same() {
    // The API reference's sample answers have no `<{Action}Response>` root; accept both.
    for_each_operation(|op| {
        let body = fixture(op, "response.xml")?;
        let open = format!("<{}Response>", op.action);
        let close = format!("</{}Response>", op.action);
        if !body.contains(&open) || !body.contains(&close) {
            return Err(format!("response.xml lacks the root {open}"));
        }
        let bare = body.replace(&open, "").replace(&close, "");
        let bare = bare
            .split_once("?>")
            .map_or(bare.as_str(), |(_, rest)| rest)
            .to_string();
        let got = decode_response(op, 200, &bare, Format::Xml).map_err(|e| e.to_string())?;
        same(
            to_json(&got),
            &expected(op)?,
            "response.xml without its root",
        )
    });
}

#[test]
fn unsuccessful_answers_with_status_200_are_errors() {
    for_each_operation(|op| {
        let body = r#"{"IsSuccess": false, "Code": "REPO_NOT_EXIST", "Message": "repo not exist", "RequestId": "R-1"}"#;
        match decode_response(op, 200, body, Format::Json) {
            Err(Error::Api(e))
                if e.code == "REPO_NOT_EXIST" && e.request_id.as_deref() == Some("R-1") =>
            {
                Ok(())
            }
            other => Err(format!("got {other:?}")),
        }
    });
}
