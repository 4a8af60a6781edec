//! `signRequest({ ..., signatureVersion: "3" })` against the vendor's
//! published V3 vector (tests/vectors/v3-signature.json), through the JS API
//! (SHA-256 here is sha2's compact loop, the one the package carries).

use tagdeck::wasm::sign_request;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{get, get_str, json, obj, s};

const VECTORS: &str = include_str!("../vectors/v3-signature.json");

/// The RunInstances vector's inputs as `signRequest` options.
fn run_instances(extra: &[(&str, JsValue)]) -> (JsValue, JsValue) {
    let vector = js_sys::Array::from(&json(VECTORS)).get(0);
    assert_eq!(get_str(&vector, "name"), "run-instances");
    let header = |name: &str| {
        js_sys::Array::from(&get(&vector, "headers"))
            .iter()
            .map(|pair| js_sys::Array::from(&pair))
            .find(|pair| pair.get(0).as_string().as_deref() == Some(name))
            .unwrap()
            .get(1)
    };
    let params = obj(&[
        ("Action", header("x-acs-action")),
        (
            "ImageId",
            s("win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"),
        ),
        ("RegionId", s("cn-shanghai")),
    ]);
    let mut options = vec![
        ("signatureVersion", s("3")),
        ("method", get(&vector, "method")),
        ("endpoint", s("ecs.cn-shanghai.aliyuncs.com")),
        ("accessKeyId", get(&vector, "access_key_id")),
        ("accessKeySecret", get(&vector, "secret")),
        ("version", header("x-acs-version")),
        ("timestamp", header("x-acs-date")),
        ("nonce", header("x-acs-signature-nonce")),
        ("params", params),
    ];
    options.extend(extra.iter().cloned());
    (obj(&options), vector)
}

#[wasm_bindgen_test]
fn the_vendors_v3_vector_through_sign_request() {
    let (opts, vector) = run_instances(&[]);
    let signed = sign_request(opts).unwrap();
    assert_eq!(get_str(&signed, "signature"), get_str(&vector, "signature"));
    assert_eq!(
        get_str(&signed, "canonicalRequest"),
        get_str(&vector, "canonical_request")
    );
    assert_eq!(
        get_str(&signed, "stringToSign"),
        get_str(&vector, "string_to_sign")
    );
    assert_eq!(get_str(&signed, "method"), "POST");
    assert_eq!(
        get_str(&signed, "url"),
        format!(
            "https://ecs.cn-shanghai.aliyuncs.com/?{}",
            get_str(&vector, "canonical_query")
        )
    );
    let headers = get(&signed, "headers");
    assert_eq!(
        get_str(&headers, "authorization"),
        get_str(&vector, "authorization")
    );
    assert_eq!(get_str(&headers, "host"), "ecs.cn-shanghai.aliyuncs.com");
    assert_eq!(get_str(&headers, "x-acs-action"), "RunInstances");
    assert_eq!(
        get_str(&headers, "x-acs-content-sha256"),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert!(get(&headers, "x-acs-security-token").is_undefined());
    assert!(get(&signed, "params").is_undefined());
}

#[wasm_bindgen_test]
fn sts_adds_the_key_id_and_token_headers() {
    let (opts, _) = run_instances(&[("securityToken", s("sts-token"))]);
    let headers = get(&sign_request(opts).unwrap(), "headers");
    assert_eq!(get_str(&headers, "x-acs-security-token"), "sts-token");
    assert_eq!(get_str(&headers, "x-acs-accesskey-id"), "YourAccessKeyId");
    assert!(get_str(&headers, "authorization").contains("x-acs-accesskey-id;x-acs-action;"));
}

#[wasm_bindgen_test]
fn an_origin_endpoint_signs_its_host_and_keeps_its_scheme() {
    let (opts, _) = run_instances(&[("endpoint", s("http://127.0.0.1:8080"))]);
    let signed = sign_request(opts).unwrap();
    assert_eq!(get_str(&get(&signed, "headers"), "host"), "127.0.0.1:8080");
    assert!(get_str(&signed, "url").starts_with("http://127.0.0.1:8080/?ImageId="));
}

#[wasm_bindgen_test]
fn bad_signature_versions_are_named_and_xml_is_a_query_parameter() {
    for (extra, field) in [
        (vec![("signatureVersion", s("2"))], "signatureVersion"),
        (vec![("format", s("YAML"))], "format"),
    ] {
        let (opts, _) = run_instances(&extra);
        let error = sign_request(opts).unwrap_err();
        assert_eq!(get_str(&error, "code"), "InvalidParameter");
        let message = get_str(&error, "message");
        assert!(message.contains(field), "{message}");
    }
    let (opts, _) = run_instances(&[("format", s("XML"))]);
    let signed = sign_request(opts).unwrap();
    let url = get_str(&signed, "url");
    assert!(url.contains("/?Format=XML&ImageId="), "{url}");
    assert!(get_str(&signed, "canonicalRequest").contains("\nFormat=XML&ImageId="));
    // "1.0" is V1: the signature among the parameters.
    let (opts, _) = run_instances(&[("signatureVersion", s("1.0"))]);
    let signed = sign_request(opts).unwrap();
    assert!(get(&signed, "headers").is_undefined());
    assert_eq!(get_str(&get(&signed, "params"), "SignatureVersion"), "1.0");
}
