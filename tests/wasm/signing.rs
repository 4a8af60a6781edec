//! `signRequest` against the published vectors (tests/vectors/signature.json),
//! and what it adds by itself.

use tagdeck::wasm::sign_request;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{get, get_str, json, obj, s, stringify};

const VECTORS: &str = include_str!("../vectors/signature.json");

/// Signs vector `index` through the JS API: its parameters (common ones
/// included, which win over the defaults) given as `params`.
fn check_vector(index: u32) {
    let vector = js_sys::Array::from(&json(VECTORS)).get(index);
    let params = get(&vector, "params");
    let opts = obj(&[
        ("method", get(&vector, "method")),
        ("endpoint", s("cr.cn-hangzhou.aliyuncs.com")),
        ("accessKeyId", get(&params, "AccessKeyId")),
        ("accessKeySecret", get(&vector, "secret")),
        ("params", params.clone()),
    ]);
    let signed = sign_request(opts).unwrap();
    let name = get_str(&vector, "name");
    assert_eq!(
        get_str(&signed, "signature"),
        get_str(&vector, "signature"),
        "{name}"
    );
    if let Some(expected) = get(&vector, "string_to_sign").as_string() {
        assert_eq!(get_str(&signed, "stringToSign"), expected, "{name}");
    }
    if let Some(canonical) = get(&vector, "canonical_query").as_string() {
        // A GET carries the canonical query and then the signature.
        let url = get_str(&signed, "url");
        assert_eq!(
            url,
            format!(
                "https://cr.cn-hangzhou.aliyuncs.com/?{canonical}&Signature={}",
                js_sys::encode_uri_component(&get_str(&signed, "signature"))
            ),
            "{name}"
        );
    }
    assert_eq!(
        get_str(&get(&signed, "params"), "Signature"),
        get_str(&vector, "signature")
    );
}

#[wasm_bindgen_test]
fn signing_page_worked_example() {
    check_vector(0);
}

#[wasm_bindgen_test]
fn go_sdk_empty_values() {
    check_vector(1);
}

#[wasm_bindgen_test]
fn go_sdk_security_token() {
    check_vector(2);
}

/// `params` signed by the core directly, as `fixed_opts` signs (GET, JSON).
fn core_signed(params: &[(&str, &str)]) -> tagdeck::sign::SignedRequest {
    tagdeck::sign::sign(
        params
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        &tagdeck::sign::SigningContext {
            method: tagdeck::catalog::Method::Get,
            credentials: &tagdeck::Credentials::new("testid", "testsecret"),
            timestamp: "2016-02-23T12:46:24Z",
            nonce: "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
            version: "2018-12-01",
            format: tagdeck::sign::Format::Json,
        },
    )
}

fn fixed_opts(extra: &[(&str, JsValue)]) -> JsValue {
    let mut pairs = vec![
        ("endpoint", s("http://127.0.0.1:8080/")),
        ("accessKeyId", s("testid")),
        ("accessKeySecret", s("testsecret")),
        ("timestamp", s("2016-02-23T12:46:24Z")),
        ("nonce", s("3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf")),
        (
            "params",
            obj(&[("Action", s("ListRepoTag")), ("RepoId", s("crr-1"))]),
        ),
    ];
    pairs.extend(extra.iter().cloned());
    obj(&pairs)
}

#[wasm_bindgen_test]
fn adds_exactly_the_common_parameters() {
    let signed = sign_request(fixed_opts(&[])).unwrap();
    let params = get(&signed, "params");
    let keys: Vec<String> = js_sys::Object::keys(params.unchecked_ref::<js_sys::Object>())
        .iter()
        .map(|k| k.as_string().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "AccessKeyId",
            "Action",
            "Format",
            "RepoId",
            "SignatureMethod",
            "SignatureNonce",
            "SignatureVersion",
            "Timestamp",
            "Version",
            "Signature"
        ]
    );
    assert_eq!(get_str(&params, "Format"), "JSON");
    assert_eq!(get_str(&params, "Version"), "2018-12-01");
    assert_eq!(get_str(&params, "SignatureMethod"), "HMAC-SHA1");
    assert_eq!(get_str(&params, "SignatureVersion"), "1.0");
    assert_eq!(get_str(&signed, "method"), "GET");
    assert!(get_str(&signed, "url")
        .starts_with("http://127.0.0.1:8080/?AccessKeyId=testid&Action=ListRepoTag&"));
    // The same request signed by the core directly.
    let expected = core_signed(&[("Action", "ListRepoTag"), ("RepoId", "crr-1")]);
    assert_eq!(get_str(&signed, "signature"), expected.signature);
    assert_eq!(get_str(&signed, "stringToSign"), expected.string_to_sign);
}

#[wasm_bindgen_test]
fn post_security_token_format_and_version() {
    let signed = sign_request(fixed_opts(&[
        ("method", s("POST")),
        ("securityToken", s("sts-token")),
        ("format", s("XML")),
        ("version", s("2014-05-26")),
    ]))
    .unwrap();
    let params = get(&signed, "params");
    assert_eq!(get_str(&signed, "method"), "POST");
    assert_eq!(get_str(&signed, "url"), "http://127.0.0.1:8080/");
    assert!(get_str(&signed, "stringToSign").starts_with("POST&%2F&"));
    assert_eq!(get_str(&params, "SecurityToken"), "sts-token");
    assert_eq!(get_str(&params, "Format"), "XML");
    assert_eq!(get_str(&params, "Version"), "2014-05-26");
}

#[wasm_bindgen_test]
fn defaults_a_fresh_timestamp_and_random_nonce() {
    let opts = |_: ()| {
        obj(&[
            ("endpoint", s("cr.cn-hangzhou.aliyuncs.com")),
            ("accessKeyId", s("id")),
            ("accessKeySecret", s("secret")),
            ("params", obj(&[("Action", s("ListInstance"))])),
        ])
    };
    let a = get(&sign_request(opts(())).unwrap(), "params");
    let b = get(&sign_request(opts(())).unwrap(), "params");
    let nonce = get_str(&a, "SignatureNonce");
    assert_ne!(nonce, get_str(&b, "SignatureNonce"));
    // A version 4 UUID.
    assert_eq!(nonce.len(), 36);
    assert_eq!(&nonce[14..15], "4");
    let timestamp = get_str(&a, "Timestamp");
    let seconds = tagdeck::timestamp::parse_timestamp(&timestamp).expect("a valid timestamp");
    let now = (js_sys::Date::now() / 1000.0) as i64;
    assert!((now - seconds).abs() <= 5, "{timestamp} is not now");
}

#[wasm_bindgen_test]
fn flattens_lists_and_structures_and_numbers() {
    let signed = sign_request(fixed_opts(&[(
        "params",
        obj(&[
            ("Action", s("DescribeThings")),
            ("Tag", json(r#"[{"Key":"a","Value":"b"},{"Key":"c"}]"#)),
            ("PageSize", JsValue::from_f64(30.0)),
            ("Big", JsValue::bigint_from_str("9007199254740993")),
            ("Flag", JsValue::TRUE),
        ]),
    )]))
    .unwrap();
    let params = get(&signed, "params");
    assert_eq!(get_str(&params, "Tag.1.Key"), "a");
    assert_eq!(get_str(&params, "Tag.1.Value"), "b");
    assert_eq!(get_str(&params, "Tag.2.Key"), "c");
    assert_eq!(get_str(&params, "PageSize"), "30");
    assert_eq!(get_str(&params, "Big"), "9007199254740993");
    assert_eq!(get_str(&params, "Flag"), "true");
}

#[wasm_bindgen_test]
fn the_result_never_contains_the_secret() {
    let signed = sign_request(fixed_opts(&[])).unwrap();
    assert!(!stringify(&signed).contains("testsecret"));
}

use wasm_bindgen::JsCast;

/// Signs `params` with the fixed options; the result as JSON text.
fn signed_json(params: JsValue, extra: &[(&str, JsValue)]) -> String {
    let mut pairs = vec![("params", params)];
    pairs.extend(extra.iter().cloned());
    stringify(&sign_request(fixed_opts(&pairs)).unwrap())
}

/// `signRequest` reads simple options in one packed string (boundary.js)
/// and anything else property by property; both must sign alike. A bigint
/// parameter takes the second path, the same number the first.
#[wasm_bindgen_test]
fn the_packed_and_the_property_by_property_paths_sign_alike() {
    let values: Vec<(&str, JsValue)> = vec![
        ("Text", s("a b*c~d/e+f%g=h&i?j'k")),
        ("Unicode", s("中文 é 🐳 e\u{301}")),
        ("Empty", s("")),
        ("Float", JsValue::from_f64(0.1)),
        ("Huge", JsValue::from_f64(1e21)),
        ("Tiny", JsValue::from_f64(1e-7)),
        ("NegativeZero", JsValue::from_f64(-0.0)),
        ("Beyond", JsValue::from_f64(9007199254740992.0)),
        ("Flag", JsValue::FALSE),
        ("Skipped", JsValue::NULL),
    ];
    let params = |count: JsValue| {
        let mut pairs = vec![("Action", s("ListRepoTag")), ("PageSize", count)];
        pairs.extend(values.iter().cloned());
        obj(&pairs)
    };
    let packed = signed_json(params(JsValue::from_f64(30.0)), &[]);
    let by_property = signed_json(params(JsValue::bigint_from_str("30")), &[]);
    assert_eq!(packed, by_property);
    assert!(packed.contains(r#""Huge":"1e+21""#), "{packed}");
    assert!(packed.contains(r#""NegativeZero":"0""#), "{packed}");
    assert!(!packed.contains("Skipped"), "{packed}");

    // Options too: POST, a token, a version and a format, both ways.
    let options = [
        ("method", s("post")),
        ("securityToken", s("sts-token")),
        ("version", s("2018-12-01")),
        ("format", s("xml")),
    ];
    assert_eq!(
        signed_json(params(JsValue::from_f64(30.0)), &options),
        signed_json(params(JsValue::bigint_from_str("30")), &options)
    );
}

/// What the packed path cannot carry (a NUL, its separator) and what it
/// must not touch (a `__proto__` parameter) still sign exactly.
#[wasm_bindgen_test]
fn nul_characters_and_proto_names_are_signed_exactly() {
    let params = obj(&[("Action", s("ListRepoTag")), ("Name", s("a\0b"))]);
    js_sys::Reflect::define_property(
        params.unchecked_ref::<js_sys::Object>(),
        &s("__proto__"),
        obj(&[
            ("value", s("x")),
            ("enumerable", JsValue::TRUE),
            ("writable", JsValue::TRUE),
            ("configurable", JsValue::TRUE),
        ])
        .unchecked_ref(),
    )
    .unwrap();
    let signed = sign_request(fixed_opts(&[("params", params)])).unwrap();
    let wire = get(&signed, "params");
    assert_eq!(get_str(&wire, "Name"), "a\0b");
    assert!(js_sys::Object::get_own_property_descriptor(
        wire.unchecked_ref::<js_sys::Object>(),
        &s("__proto__")
    )
    .is_object());
    assert!(get_str(&signed, "url").contains("&Name=a%00b&"));

    let core = core_signed(&[
        ("Action", "ListRepoTag"),
        ("Name", "a\0b"),
        ("__proto__", "x"),
    ]);
    assert_eq!(get_str(&signed, "signature"), core.signature);
}

/// A getter that throws (or a Proxy) is read property by property and the
/// error names the parameter; nothing unwinds through wasm.
#[wasm_bindgen_test]
fn a_throwing_getter_is_an_error_naming_the_parameter() {
    let params = obj(&[("Action", s("ListRepoTag"))]);
    let getter = js_sys::Function::new_no_args("throw new Error('no')");
    js_sys::Reflect::define_property(
        params.unchecked_ref::<js_sys::Object>(),
        &s("RepoId"),
        obj(&[("get", getter.into()), ("enumerable", JsValue::TRUE)]).unchecked_ref(),
    )
    .unwrap();
    let error = sign_request(fixed_opts(&[("params", params)])).unwrap_err();
    assert_eq!(get_str(&error, "code"), "InvalidParameter");
    assert!(get_str(&error, "message").contains("RepoId"));
    // The instance still works.
    assert!(sign_request(fixed_opts(&[])).is_ok());
}
