//! SWR image retention policies (the SWR API reference's "Image Retention
//! Policy Management"): `ListRetentions`, `ShowRetention`,
//! `CreateRetention`, `UpdateRetention` and `DeleteRetention`: their
//! requests (paths, methods, the JSON body with its nested rules), the
//! checks that name the field at fault, and the decoded answers.

use std::borrow::Cow;

use tagdeck::providers::http::{HttpMethod, HttpRequest, HttpResponse};
use tagdeck::providers::swr;
use tagdeck::providers::AuthToken;
use tagdeck::{Error, Value};

const BASE: &str = "/v2/manage/namespaces/group/repos/app$web/retentions";

fn request(operation: &str, params: &[(&str, Value)]) -> Result<HttpRequest, Error> {
    let token = AuthToken::new("MIIT-iam-token-value").unwrap();
    let operation = swr::API.operation(operation)?;
    swr::API.build(operation, params, &token)
}

fn object(members: &[(&'static str, Value)]) -> Value {
    Value::Object(
        members
            .iter()
            .map(|(k, v)| (Cow::Borrowed(*k), v.clone()))
            .collect(),
    )
}

/// The vendor's example rule (`date_rule`, 30 days, three selectors), with
/// the members named as JavaScript callers name them.
fn example_rules() -> Value {
    let selector =
        |kind: &str, pattern: &str| object(&[("kind", kind.into()), ("pattern", pattern.into())]);
    Value::Array(vec![object(&[
        ("template", "date_rule".into()),
        ("params", object(&[("days", "30".into())])),
        (
            "tagSelectors",
            Value::Array(vec![
                selector("label", "v5"),
                selector("label", "1.0.1"),
                selector("regexp", "^123$"),
            ]),
        ),
    ])])
}

fn header<'r>(request: &'r HttpRequest, name: &str) -> Option<&'r str> {
    request
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// The parameter an error names.
fn named(error: Error) -> String {
    match error {
        Error::InvalidParameter { name, .. } | Error::MissingParameter { name } => name,
        other => panic!("expected a parameter error, got {other:?}"),
    }
}

fn answer(operation: &str, status: u16, body: &str) -> Result<Value, Error> {
    let operation = swr::API.operation(operation).unwrap();
    let request = HttpRequest {
        method: operation.method,
        path: String::new(),
        query: Vec::new(),
        headers: Vec::new(),
        body: None,
    };
    swr::API
        .answer(operation, &request, &HttpResponse::new(status, &[], body))
        .map(|(value, _)| value)
}

const WHERE: [(&str, &str); 2] = [("namespace", "group"), ("repository", "app/web")];

fn with(extra: &[(&'static str, Value)]) -> Vec<(&'static str, Value)> {
    let mut params: Vec<(&'static str, Value)> =
        WHERE.iter().map(|(k, v)| (*k, Value::from(*v))).collect();
    params.extend(extra.iter().cloned());
    params
}

#[test]
fn create_sends_the_documented_body() {
    let req = request(
        "CreateRetention",
        &with(&[("algorithm", "or".into()), ("rules", example_rules())]),
    )
    .unwrap();
    assert_eq!(req.method, HttpMethod::Post);
    assert_eq!(req.path, BASE);
    assert!(req.query.is_empty());
    assert_eq!(header(&req, "Content-Type"), Some("application/json"));
    assert_eq!(header(&req, "X-Auth-Token"), Some("MIIT-iam-token-value"));
    // The reference's example body, member for member (tag_selectors on the wire).
    assert_eq!(
        req.body.as_deref(),
        Some(
            r#"{"algorithm":"or","rules":[{"template":"date_rule","params":{"days":"30"},"tag_selectors":[{"kind":"label","pattern":"v5"},{"kind":"label","pattern":"1.0.1"},{"kind":"regexp","pattern":"^123$"}]}]}"#
        )
    );
}

#[test]
fn update_is_a_patch_of_the_policy_and_list_show_delete_address_it() {
    let update = request(
        "UpdateRetention",
        &with(&[
            ("retentionId", Value::Int(1093)),
            ("algorithm", "or".into()),
            (
                "rules",
                Value::Array(vec![object(&[
                    ("template", "tag_rule".into()),
                    ("params", object(&[("num", "5".into())])),
                    ("tag_selectors", Value::Array(vec![])),
                ])]),
            ),
        ]),
    )
    .unwrap();
    assert_eq!(update.method, HttpMethod::Patch);
    assert_eq!(update.method.as_str(), "PATCH");
    assert_eq!(update.path, format!("{BASE}/1093"));
    assert_eq!(
        update.body.as_deref(),
        Some(
            r#"{"algorithm":"or","rules":[{"template":"tag_rule","params":{"num":"5"},"tag_selectors":[]}]}"#
        )
    );

    let list = request("ListRetentions", &with(&[])).unwrap();
    assert_eq!(
        (list.method, list.path.as_str(), list.body.clone()),
        (HttpMethod::Get, BASE, None)
    );
    let id = [("retention_id", Value::from("1093"))];
    let show = request("ShowRetention", &with(&id)).unwrap();
    assert_eq!(
        (show.method, show.path.clone()),
        (HttpMethod::Get, format!("{BASE}/1093"))
    );
    let delete = request("DeleteRetention", &with(&id)).unwrap();
    assert_eq!(
        (delete.method, delete.path.clone(), delete.body.clone()),
        (HttpMethod::Delete, format!("{BASE}/1093"), None)
    );
}

#[test]
fn bad_policies_are_refused_naming_the_field() {
    let rules_with = |rule: Value| Value::Array(vec![rule]);
    let cases: Vec<(Vec<(&'static str, Value)>, &str)> = vec![
        // Only "or" is documented.
        (
            with(&[("algorithm", "and".into()), ("rules", example_rules())]),
            "algorithm",
        ),
        (with(&[("rules", example_rules())]), "algorithm"),
        (with(&[("algorithm", "or".into())]), "rules"),
        (
            with(&[("algorithm", "or".into()), ("rules", "[]".into())]),
            "rules",
        ),
        // The number is a string, as SWR writes it.
        (
            with(&[
                ("algorithm", "or".into()),
                (
                    "rules",
                    rules_with(object(&[
                        ("template", "date_rule".into()),
                        ("params", object(&[("days", Value::Int(30))])),
                    ])),
                ),
            ]),
            "rules.1.params.days",
        ),
        (
            with(&[
                ("algorithm", "or".into()),
                (
                    "rules",
                    rules_with(object(&[("templat", "tag_rule".into())])),
                ),
            ]),
            "rules.1.templat",
        ),
        (
            with(&[
                ("algorithm", "or".into()),
                (
                    "rules",
                    rules_with(object(&[(
                        "tagSelectors",
                        Value::Array(vec![object(&[("kind", Value::Bool(true))])]),
                    )])),
                ),
            ]),
            "rules.1.tag_selectors.1.kind",
        ),
    ];
    for (params, field) in cases {
        let error = request("CreateRetention", &params).unwrap_err();
        assert_eq!(named(error), field, "{params:?}");
    }
    for id in [Value::Int(0), Value::from("x")] {
        let error = request("ShowRetention", &with(&[("retention_id", id)])).unwrap_err();
        assert_eq!(named(error), "retention_id");
    }
    let error = request("ListRetentions", &[("namespace", Value::from("group"))]).unwrap_err();
    assert_eq!(named(error), "repository");
}

const POLICY: &str = r#"{"algorithm":"or","id":1093,"rules":[{"params":{"num":"10"},"tag_selectors":[{"kind":"label","pattern":"latest"},{"kind":"regexp","pattern":"^v2.*"}],"template":"tag_rule"}],"scope":""}"#;

fn check_policy(policy: &Value) {
    assert_eq!(policy.get("id").and_then(Value::as_i64), Some(1093));
    assert_eq!(policy.get("algorithm").and_then(Value::as_str), Some("or"));
    let rule = &policy.get("rules").and_then(Value::as_array).unwrap()[0];
    assert_eq!(
        rule.get("template").and_then(Value::as_str),
        Some("tag_rule")
    );
    let params = rule.get("params").unwrap();
    assert_eq!(params.get("num").and_then(Value::as_str), Some("10"));
    assert_eq!(params.get("days"), None);
    let selectors = rule.get("tag_selectors").and_then(Value::as_array).unwrap();
    assert_eq!(selectors.len(), 2);
    assert_eq!(
        selectors[1].get("kind").and_then(Value::as_str),
        Some("regexp")
    );
    assert_eq!(
        selectors[1].get("pattern").and_then(Value::as_str),
        Some("^v2.*")
    );
}

#[test]
fn answers_decode() {
    let list = answer("ListRetentions", 200, &format!("[{POLICY}]")).unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1);
    check_policy(&list[0]);
    assert_eq!(
        answer("ListRetentions", 200, "[]").unwrap(),
        Value::Array(vec![])
    );
    check_policy(&answer("ShowRetention", 200, POLICY).unwrap());
    // The reference's example answer of a creation.
    let created = answer("CreateRetention", 201, r#"{"id": 34}"#).unwrap();
    assert_eq!(created.get("id").and_then(Value::as_i64), Some(34));
    assert_eq!(answer("UpdateRetention", 201, "").unwrap(), Value::Null);
    assert_eq!(answer("DeleteRetention", 204, "").unwrap(), Value::Null);
}

#[test]
fn errors_are_the_services() {
    let body =
        r#"{"errorCode":"SVCSTG.SWR.4040004","errorMessage":"Retention policy 7 not found"}"#;
    match answer("ShowRetention", 404, body).unwrap_err() {
        Error::Api(api) => {
            assert_eq!(api.code, "SVCSTG.SWR.4040004");
            assert_eq!(api.message, "Retention policy 7 not found");
            assert_eq!(api.http_status, 404);
        }
        other => panic!("expected the API's error, got {other:?}"),
    }
}
