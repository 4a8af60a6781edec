//! The request pipeline end to end: catalogue validation, common
//! parameters, signing, URL and form body, with a fixed clock and nonce.

use tagdeck::catalog::{Method, API_VERSION};
use tagdeck::request::{flatten, prepare, to_js_name, to_wire_name};
use tagdeck::sign::{sign, Format, SigningContext};
use tagdeck::{Credentials, Value};

fn list_tags() -> tagdeck::request::Prepared {
    prepare(
        "ListRepoTag",
        &[
            ("InstanceId", Value::from("cri-kmsiwlxxdcvaduwb")),
            ("RepoId", "crr-tquyps22md8purzx".into()),
            ("PageNo", Value::Int(1)),
            ("PageSize", Value::Int(30)),
        ],
    )
    .unwrap()
}

/// `(name, value)` pairs of a prepared request, `Action` left out.
fn sent(action: &str, params: &[(&str, Value)]) -> Vec<(String, String)> {
    let prepared = prepare(action, params).unwrap_or_else(|e| panic!("{action}: {e}"));
    prepared.params[1..].to_vec()
}

fn pair(k: &str, v: &str) -> (String, String) {
    (k.to_string(), v.to_string())
}

fn object(members: &[(&'static str, Value)]) -> Value {
    Value::Object(
        members
            .iter()
            .map(|(k, v)| ((*k).into(), v.clone()))
            .collect(),
    )
}

fn context<'a>(method: Method, creds: &'a Credentials) -> SigningContext<'a> {
    SigningContext {
        method,
        credentials: creds,
        timestamp: "2026-11-22T10:00:00Z",
        nonce: "6a1f2c3e-0000-4000-8000-000000000001",
        version: API_VERSION,
        format: Format::Json,
    }
}

#[test]
fn a_get_request_carries_every_parameter_sorted_with_the_signature_last() {
    let creds = Credentials::new("testid", "testsecret");
    let signed = sign(list_tags().params, &context(Method::Get, &creds));
    assert_eq!(
        signed.url("cr.cn-shanghai.aliyuncs.com"),
        format!(
            "https://cr.cn-shanghai.aliyuncs.com/?AccessKeyId=testid&Action=ListRepoTag&Format=JSON\
             &InstanceId=cri-kmsiwlxxdcvaduwb&PageNo=1&PageSize=30&RepoId=crr-tquyps22md8purzx\
             &SignatureMethod=HMAC-SHA1&SignatureNonce=6a1f2c3e-0000-4000-8000-000000000001&SignatureVersion=1.0\
             &Timestamp=2026-11-22T10%3A00%3A00Z&Version=2018-12-01&Signature={}",
            tagdeck::encode::percent_encode(&signed.signature)
        )
    );
    assert!(signed.body().is_none());
    // The signature is the one the stages give for this string-to-sign.
    assert_eq!(
        signed.signature,
        tagdeck::sign::signature(&signed.string_to_sign, "testsecret")
    );
}

#[test]
fn a_post_request_puts_the_parameters_in_the_body() {
    let creds = Credentials::new("testid", "testsecret");
    let signed = sign(list_tags().params, &context(Method::Post, &creds));
    assert_eq!(
        signed.url("http://127.0.0.1:9000/"),
        "http://127.0.0.1:9000/"
    );
    let body = signed.body().unwrap();
    assert!(body.starts_with("AccessKeyId=testid&Action=ListRepoTag&"));
    assert!(signed.string_to_sign.starts_with("POST&%2F&"));
}

#[test]
fn an_sts_token_is_a_signed_parameter() {
    let creds = Credentials::new("STS.id", "s").with_security_token("tok/en+=");
    let signed = sign(list_tags().params, &context(Method::Get, &creds));
    assert!(signed
        .canonical_query
        .contains("&SecurityToken=tok%2Fen%2B%3D&"));
    assert!(signed
        .string_to_sign
        .contains("SecurityToken%3Dtok%252Fen%252B%253D"));
}

#[test]
fn the_secret_never_appears_in_what_is_sent_or_shown() {
    let creds = Credentials::new("testid", "s3cr3t-XYZ").with_security_token("tok");
    let signed = sign(list_tags().params, &context(Method::Get, &creds));
    for shown in [format!("{signed:?}"), signed.url("h"), format!("{creds:?}")] {
        assert!(!shown.contains("s3cr3t-XYZ"), "{shown}");
    }
}

#[test]
fn passwords_and_tokens_are_redacted_from_debug_output() {
    let creds = Credentials::new("id", "key-secret").with_security_token("sts-token-123");
    let p = prepare(
        "ResetLoginPassword",
        &[
            ("InstanceId", Value::from("cri-1")),
            ("Password", "hunter2-pass".into()),
        ],
    )
    .unwrap();
    let shown = format!("{p:?}");
    assert!(
        shown.contains("Password") && !shown.contains("hunter2-pass"),
        "{shown}"
    );
    let signed = sign(p.params, &context(Method::Post, &creds));
    let shown = format!("{signed:?} {signed:#?}");
    for secret in ["hunter2-pass", "sts-token-123", "key-secret"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    assert!(shown.contains("SecurityToken"));
}

#[test]
fn values_are_converted_by_parameter_type() {
    let p = prepare(
        "ListRepoTag",
        &[
            ("InstanceId", Value::from("i")),
            ("RepoId", "x".into()),
            ("PageNo", "2".into()), // numeric text is accepted for an Integer
            ("PageSize", Value::Float(50.0)), // JS numbers arrive as floats
            ("Unset", Value::Null), // null counts as absent, even when unknown
        ],
    )
    .unwrap();
    assert!(p.params.contains(&("PageNo".into(), "2".into())));
    assert!(p.params.contains(&("PageSize".into(), "50".into())));
}

#[test]
fn refusals_name_the_parameter() {
    let base = |extra: (&'static str, Value)| {
        let mut v = vec![("InstanceId", Value::from("i")), ("RepoId", "x".into())];
        v.push(extra);
        prepare("ListRepoTag", &v).unwrap_err()
    };
    let e = prepare(
        "GetAuthorizationToken",
        &[
            ("InstanceId", Value::from("i")),
            ("ExpiresInHours", 25.into()),
        ],
    )
    .unwrap_err();
    assert_eq!(e.code(), "InvalidParameter");
    assert_eq!(
        e.message(),
        "the parameter ExpiresInHours is invalid: must be between 1 and 24, got 25"
    );
    assert!(base(("PageNo", Value::Float(1.5)))
        .message()
        .contains("PageNo"));
    assert!(base(("PageNo", "1e3".into()))
        .message()
        .contains("expected an integer"));
    let e = base(("Signature", "x".into()));
    assert!(e.message().contains("common parameter"), "{}", e.message());
    let e = prepare("ListRepoTag", &[("InstanceId", Value::from("i"))]).unwrap_err();
    assert_eq!(
        (e.code(), e.message().as_str()),
        (
            "MissingParameter",
            "the required parameter RepoId is missing"
        )
    );
    let e = prepare(
        "ListRepoTag",
        &[("InstanceId", Value::from("")), ("RepoId", "x".into())],
    );
    assert!(e.unwrap_err().message().contains("InstanceId"));
    assert_eq!(
        prepare::<&str>("ListRepoTags", &[]).unwrap_err().code(),
        "InvalidApi.NotFound"
    );
}

#[test]
fn nested_values_flatten_like_the_sdks() {
    let mut out = Vec::new();
    let rules = Value::Array(vec![
        Value::Object(vec![
            ("Name".into(), "a".into()),
            ("Ports".into(), Value::Array(vec![80.into(), 443.into()])),
        ]),
        Value::Object(vec![
            ("Name".into(), "b".into()),
            ("On".into(), true.into()),
        ]),
    ]);
    flatten("Rule", &rules, &mut out);
    let got: Vec<String> = out.iter().map(|(k, v)| format!("{k}={v}")).collect();
    assert_eq!(
        got,
        [
            "Rule.1.Name=a",
            "Rule.1.Ports.1=80",
            "Rule.1.Ports.2=443",
            "Rule.2.Name=b",
            "Rule.2.On=true"
        ]
    );
}

#[test]
fn js_and_wire_names_convert_both_ways() {
    assert_eq!(to_wire_name("pageSize"), "PageSize");
    assert_eq!(to_wire_name("RepoId"), "RepoId");
    assert_eq!(to_js_name("RequestId"), "requestId");
    assert_eq!(to_js_name("schemaVersion"), "schemaVersion");
    assert_eq!(to_js_name(&to_wire_name("layerCMD")), "layerCMD");
}

/// A JSON-text parameter: camelCase members at every depth go out under the
/// API's names, in the SDK's order, Booleans as `true`/`false`.
#[test]
fn json_text_parameters_carry_the_apis_names_at_every_depth() {
    let config = object(&[
        ("tagImmutability", true.into()),
        ("repoType", "PRIVATE".into()),
        (
            "artifactBuildRuleParameters",
            object(&[("imageIndexOnly", false.into())]),
        ),
    ]);
    assert_eq!(
        sent(
            "CreateNamespace",
            &[
                ("InstanceId", "cri-1".into()),
                ("NamespaceName", "ns".into()),
                ("DefaultRepoConfiguration", config),
            ],
        ),
        [
            pair("InstanceId", "cri-1"),
            pair("NamespaceName", "ns"),
            pair(
                "DefaultRepoConfiguration",
                r#"{"ArtifactBuildRuleParameters":{"ImageIndexOnly":false},"RepoType":"PRIVATE","TagImmutability":true}"#
            ),
        ]
    );
    // A list of strings, and JSON text given as it is.
    let rule = |namespaces: Value| {
        sent(
            "UpdateEventCenterRule",
            &[
                ("InstanceId", "cri-1".into()),
                ("RuleId", "r-1".into()),
                ("Namespaces", namespaces),
            ],
        )
    };
    let expected = pair("Namespaces", r#"["ns1","n\"s2"]"#);
    assert!(rule(Value::Array(vec!["ns1".into(), "n\"s2".into()])).contains(&expected));
    assert!(rule(r#"["ns1","n\"s2"]"#.into()).contains(&expected));
    // A list of structures.
    let entries = Value::Array(vec![object(&[
        ("entry", "10.0.0.0/8".into()),
        ("comment", "office".into()),
    ])]);
    assert!(sent(
        "CreateInstanceEndpointAclPolicy",
        &[
            ("InstanceId", "cri-1".into()),
            ("EndpointType", "internet".into()),
            ("Entries", entries),
        ],
    )
    .contains(&pair(
        "Entries",
        r#"[{"Comment":"office","Entry":"10.0.0.0/8"}]"#
    )));
    // Free-form data (the SDK's Map) keeps its keys as given.
    assert!(sent(
        "CreateArtifactBuildRule",
        &[
            ("InstanceId", "cri-1".into()),
            ("ArtifactType", "ACCELERATED_IMAGE".into()),
            ("ScopeType", "REPOSITORY".into()),
            ("ScopeId", "crr-1".into()),
            ("Parameters", object(&[("imageIndexOnly", true.into())])),
        ],
    )
    .contains(&pair("Parameters", r#"{"imageIndexOnly":true}"#)));
}

/// A flat parameter: `Name.N` per item, `Name.N.Member` per member.
#[test]
fn flat_parameters_are_numbered_pairs() {
    let tags = Value::Array(vec![
        object(&[("key", "team".into()), ("value", "web".into())]),
        object(&[("Key", "env".into())]),
    ]);
    assert_eq!(
        sent(
            "TagResources",
            &[
                ("RegionId", "cn-hangzhou".into()),
                ("ResourceType", "INSTANCE".into()),
                (
                    "ResourceId",
                    Value::Array(vec!["cri-1".into(), "cri-2".into()])
                ),
                ("Tag", tags),
            ],
        ),
        [
            pair("RegionId", "cn-hangzhou"),
            pair("ResourceType", "INSTANCE"),
            pair("ResourceId.1", "cri-1"),
            pair("ResourceId.2", "cri-2"),
            pair("Tag.1.Key", "team"),
            pair("Tag.1.Value", "web"),
            pair("Tag.2.Key", "env"),
        ]
    );
}

#[test]
fn lists_and_structures_refuse_what_they_cannot_carry_naming_the_member() {
    let refused = |action: &str, params: &[(&str, Value)]| prepare(action, params).unwrap_err();
    let e = refused(
        "CreateNamespace",
        &[
            ("InstanceId", "cri-1".into()),
            ("NamespaceName", "ns".into()),
            (
                "DefaultRepoConfiguration",
                object(&[("repoTyp", "PRIVATE".into())]),
            ),
        ],
    );
    assert_eq!(e.code(), "InvalidParameter");
    assert!(
        e.message().contains("DefaultRepoConfiguration.repoTyp")
            && e.message().contains("RepoType"),
        "{}",
        e.message()
    );
    let e = refused(
        "CreateNamespace",
        &[
            ("InstanceId", "cri-1".into()),
            ("NamespaceName", "ns".into()),
            (
                "DefaultRepoConfiguration",
                object(&[("tagImmutability", "yes".into())]),
            ),
        ],
    );
    assert!(
        e.message()
            .contains("DefaultRepoConfiguration.TagImmutability"),
        "{}",
        e.message()
    );
    let e = refused(
        "TagResources",
        &[
            ("RegionId", "r".into()),
            ("ResourceType", "INSTANCE".into()),
            ("ResourceId", "cri-1".into()),
        ],
    );
    assert!(e.message().contains("ResourceId") && e.message().contains("expected a list"));
    let e = refused(
        "TagResources",
        &[
            ("ResourceType", "INSTANCE".into()),
            ("ResourceId", Value::Array(vec![])),
        ],
    );
    assert_eq!(e.message(), "the required parameter RegionId is missing");
}

/// The names the service reads (issue: wrong or missing names refused
/// calls the service accepts).
#[test]
fn the_names_the_service_reads_are_accepted() {
    let ok = |action: &str, params: &[(&str, Value)]| {
        prepare(action, params).unwrap_or_else(|e| panic!("{action}: {e}"));
    };
    ok(
        "CreateNamespace",
        &[
            ("InstanceId", "i".into()),
            ("NamespaceName", "n".into()),
            ("DefaultRepoType", "PRIVATE".into()),
        ],
    );
    assert!(prepare(
        "CreateNamespace",
        &[
            ("InstanceId", Value::from("i")),
            ("NamespaceName", "n".into()),
            ("DefaultRepositoryType", "PRIVATE".into()),
        ],
    )
    .unwrap_err()
    .message()
    .contains("DefaultRepositoryType"));
    ok(
        "CreateRepoSyncRule",
        &[
            ("InstanceId", "i".into()),
            ("SyncRuleName", "r".into()),
            ("SyncScope", "REPO".into()),
            ("TagFilter", ".*".into()),
            ("TargetInstanceId", "i2".into()),
            ("TargetRegionId", "cn-beijing".into()),
        ],
    );
    ok(
        "CreateRepository",
        &[
            ("InstanceId", "i".into()),
            ("RepoNamespaceName", "n".into()),
            ("RepoName", "r".into()),
            ("RepoType", "PRIVATE".into()),
            ("Summary", "s".into()),
            ("TagImmutability", true.into()),
        ],
    );
    ok(
        "ListRepoTag",
        &[
            ("InstanceId", "i".into()),
            ("RepoId", "r".into()),
            ("NextToken", "t".into()),
            ("MaxResults", 50.into()),
        ],
    );
    ok(
        "CreateRepoTagScanTask",
        &[
            ("InstanceId", "i".into()),
            ("RepoId", "r".into()),
            ("Tag", "v1".into()),
            ("Digest", "sha256:aa".into()),
        ],
    );
    // RegionId only where the operation declares it.
    let e = prepare(
        "ListRepoTag",
        &[
            ("InstanceId", Value::from("i")),
            ("RepoId", "r".into()),
            ("RegionId", "cn-hangzhou".into()),
        ],
    )
    .unwrap_err();
    assert!(e.message().contains("RegionId"), "{}", e.message());
}
