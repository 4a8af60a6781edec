//! `new Client(...)` signs with V3 by default (as the vendor's SDKs), or
//! with `signatureVersion: "1.0"`: the request the scripted fetch receives
//! is verified by the core's V3 verifier over the headers it names.

use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{client_options, get, get_str, list_repo_tag, obj, s, wait, FakeFetch, Step};

const ANSWER: &str =
    r#"{"RequestId":"R","IsSuccess":true,"Code":"success","TotalCount":0,"Images":[]}"#;

/// A client with the default signature version (no `signatureVersion`).
fn default_client(fetch: &FakeFetch, extra: &[(&str, JsValue)]) -> tagdeck::wasm::Client {
    let options = client_options(fetch, extra);
    js_sys::Reflect::delete_property(&options.clone().into(), &s("signatureVersion")).unwrap();
    tagdeck::wasm::Client::new(options).unwrap()
}

fn params() -> JsValue {
    obj(&[
        ("instanceId", s("cri-1")),
        ("repoId", s("crr-1")),
        ("pageSize", JsValue::from_f64(30.0)),
    ])
}

#[wasm_bindgen_test]
async fn the_default_is_v3_every_parameter_in_the_url_and_the_signature_in_headers() {
    let fetch = FakeFetch::new(vec![Step::json(200, ANSWER)]);
    let client = default_client(&fetch, &[]);
    let answer = wait(list_repo_tag(&client, params())).await.unwrap();
    assert_eq!(get(&answer, "totalCount").as_f64(), Some(0.0));
    let sent = fetch.request(0);
    assert!(sent.signature_ok, "{sent:?}");
    assert_eq!(sent.body, None);
    assert_eq!(sent.header("x-acs-action"), Some("ListRepoTag"));
    assert_eq!(sent.header("x-acs-version"), Some("2018-12-01"));
    assert!(sent
        .header("authorization")
        .is_some_and(|a| a.starts_with("ACS3-HMAC-SHA256 Credential=test-id,")));
    assert_eq!(sent.header("host"), None, "fetch sets host from the URL");
    assert_eq!(sent.param("Action"), None);
    assert_eq!(sent.param("Signature"), None);
    // ListRepoTag takes no RegionId (the endpoint names the region).
    assert_eq!(sent.param("RegionId"), None);
    assert_eq!(sent.param("PageSize"), Some("30"));
}

#[wasm_bindgen_test]
async fn v3_with_sts_sends_the_token_header_and_each_attempt_a_fresh_nonce() {
    let fetch = FakeFetch::new(vec![
        Step::error(503, "ServiceUnavailable", "try again"),
        Step::json(200, ANSWER),
    ]);
    let client = default_client(&fetch, &[("securityToken", s("sts-token"))]);
    wait(list_repo_tag(&client, params())).await.unwrap();
    let (first, second) = (fetch.request(0), fetch.request(1));
    assert!(first.signature_ok && second.signature_ok);
    assert_eq!(first.header("x-acs-security-token"), Some("sts-token"));
    assert_eq!(first.header("x-acs-accesskey-id"), Some("test-id"));
    assert_ne!(
        first.header("x-acs-signature-nonce"),
        second.header("x-acs-signature-nonce")
    );
}

#[wasm_bindgen_test]
fn an_unknown_signature_version_is_named() {
    let fetch = FakeFetch::new(vec![]);
    let options = client_options(&fetch, &[("signatureVersion", s("2"))]);
    let error = tagdeck::wasm::Client::new(options).unwrap_err();
    assert_eq!(get_str(&error, "code"), "InvalidParameter");
    assert!(get_str(&error, "message").contains("signatureVersion"));
}

#[wasm_bindgen_test]
async fn v3_asks_for_xml_with_a_signed_format_parameter() {
    let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListRepoTagResponse><RequestId>R</RequestId><IsSuccess>true</IsSuccess><TotalCount>0</TotalCount></ListRepoTagResponse>";
    let fetch = FakeFetch::new(vec![Step::json(200, xml)]);
    let client = default_client(&fetch, &[("format", s("XML"))]);
    let answer = wait(list_repo_tag(&client, params())).await.unwrap();
    assert_eq!(get(&answer, "totalCount").as_f64(), Some(0.0));
    let sent = fetch.request(0);
    assert!(sent.signature_ok);
    assert_eq!(sent.param("Format"), Some("XML"));
}
