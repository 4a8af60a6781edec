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
            ("RegionId", "cn-shanghai".into()),
            ("RepoId", "crr-tquyps22md8purzx".into()),
            ("PageNo", Value::Int(1)),
            ("PageSize", Value::Int(30)),
        ],
    )
    .unwrap()
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
             &InstanceId=cri-kmsiwlxxdcvaduwb&PageNo=1&PageSize=30&RegionId=cn-shanghai&RepoId=crr-tquyps22md8purzx\
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
            ("RegionId", "r".into()),
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
            ("RegionId", "r".into()),
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
        let mut v = vec![
            ("InstanceId", Value::from("i")),
            ("RegionId", "r".into()),
            ("RepoId", "x".into()),
        ];
        v.push(extra);
        prepare("ListRepoTag", &v).unwrap_err()
    };
    let e = base(("PageSize", Value::Int(101)));
    assert_eq!(e.code(), "InvalidParameter");
    assert_eq!(
        e.message(),
        "the parameter PageSize is invalid: must be between 1 and 100, got 101"
    );
    assert!(base(("PageNo", Value::Float(1.5)))
        .message()
        .contains("PageNo"));
    assert!(base(("PageNo", "1e3".into()))
        .message()
        .contains("expected an integer"));
    let e = base(("Signature", "x".into()));
    assert!(e.message().contains("common parameter"), "{}", e.message());
    let e = prepare(
        "ListRepoTag",
        &[("InstanceId", Value::from("i")), ("RegionId", "r".into())],
    )
    .unwrap_err();
    assert_eq!(
        (e.code(), e.message().as_str()),
        (
            "MissingParameter",
            "the required parameter RepoId is missing"
        )
    );
    let e = prepare(
        "ListRepoTag",
        &[
            ("InstanceId", Value::from("")),
            ("RegionId", "r".into()),
            ("RepoId", "x".into()),
        ],
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
