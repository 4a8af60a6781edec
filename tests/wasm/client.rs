//! `Client` requests: what is sent (verified signature, common parameters,
//! RegionId filled in, GET or POST) and what comes back.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{
    client, delete_repo_tag, get, get_str, list_params, list_repo_tag, list_repo_tag_answer, obj,
    s, wait, FakeFetch, Recorded, Step,
};

#[wasm_bindgen_test]
async fn get_request_is_signed_and_complete() {
    let fetch = FakeFetch::new(vec![Step::json(200, &list_repo_tag_answer("27107966"))]);
    let client = client(&fetch, &[]);
    let params = obj(&[
        ("instanceId", s("cri-1")),
        ("repoId", s("crr-1")),
        ("pageNo", JsValue::from_f64(2.0)),
        ("pageSize", JsValue::bigint_from_str("50")),
    ]);
    let answer = wait(list_repo_tag(&client, params)).await.unwrap();
    let sent = fetch.request(0);
    assert_eq!(sent.method, "GET");
    assert!(
        sent.url.starts_with("http://registry.test/?"),
        "{}",
        sent.url
    );
    assert!(sent.body.is_none());
    assert!(sent.signature_ok, "signature does not verify: {}", sent.url);
    for (name, value) in [
        ("Action", "ListRepoTag"),
        ("InstanceId", "cri-1"),
        ("RepoId", "crr-1"),
        ("PageNo", "2"),
        ("PageSize", "50"),
        ("AccessKeyId", "test-id"),
        ("Format", "JSON"),
        ("Version", "2018-12-01"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
    ] {
        assert_eq!(sent.param(name), Some(value), "{name}");
    }
    assert!(sent.param("SignatureNonce").is_some_and(|n| n.len() == 36));
    assert!(sent.param("SecurityToken").is_none());
    // ListRepoTag takes no RegionId (the endpoint says the region), so the
    // client's regionId is not sent.
    assert!(sent.param("RegionId").is_none());
    assert!(sent.signal.is_object(), "an AbortSignal is passed");
    // The answer, camelCase, sizes as bigints.
    assert_eq!(get(&answer, "totalCount").as_f64(), Some(1.0));
    let image = js_sys::Array::from(&get(&answer, "images")).get(0);
    assert_eq!(get_str(&image, "tag"), "v1");
    assert_eq!(
        get(&image, "imageSize"),
        JsValue::from(js_sys::BigInt::from(27_107_966_i64))
    );
}

#[wasm_bindgen_test]
async fn post_sends_a_signed_form_body() {
    let fetch = FakeFetch::new(vec![Step::json(
        200,
        r#"{"RequestId":"R","IsSuccess":true}"#,
    )]);
    let client = client(
        &fetch,
        &[("method", s("POST")), ("securityToken", s("sts-token"))],
    );
    let params = obj(&[
        ("instanceId", s("cri-1")),
        ("repoId", s("crr-1")),
        ("tag", s("v1 beta/ü")),
    ]);
    let answer = wait(delete_repo_tag(&client, params)).await.unwrap();
    assert_eq!(get_str(&answer, "requestId"), "R");
    let sent = fetch.request(0);
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.url, "http://registry.test/");
    assert_eq!(
        sent.content_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert!(sent.signature_ok);
    assert!(sent.string_to_sign.starts_with("POST&%2F&"));
    assert_eq!(sent.param("Tag"), Some("v1 beta/ü"));
    assert_eq!(sent.param("SecurityToken"), Some("sts-token"));
    // RFC 3986 in the body: a space is %20, never +.
    assert!(sent.body.unwrap().contains("Tag=v1%20beta%2F%C3%BC"));
}

#[wasm_bindgen_test]
async fn region_id_is_filled_unless_given_and_only_where_taken() {
    let ok = || Step::json(200, r#"{"RequestId":"R","IsSuccess":true}"#);
    let fetch = FakeFetch::new(vec![ok(), ok(), ok(), ok()]);
    let client = client(&fetch, &[]);
    // ListTagResources takes RegionId: the client's is filled in...
    let tags = || obj(&[("resourceType", s("Instance"))]);
    wait(client.call(s("ListTagResources"), tags()))
        .await
        .unwrap();
    // ...unless the call gives its own.
    let own = obj(&[
        ("resourceType", s("Instance")),
        ("regionId", s("eu-central-1")),
    ]);
    wait(client.call(s("ListTagResources"), own)).await.unwrap();
    // PascalCase names are accepted too, through `call`.
    let pascal = obj(&[("ResourceType", s("Instance"))]);
    wait(client.call(s("ListTagResources"), pascal))
        .await
        .unwrap();
    // ListRepoTag takes none: none is sent.
    wait(list_repo_tag(&client, list_params())).await.unwrap();
    assert_eq!(fetch.request(0).param("RegionId"), Some("cn-hangzhou"));
    assert_eq!(fetch.request(1).param("RegionId"), Some("eu-central-1"));
    assert_eq!(fetch.request(2).param("RegionId"), Some("cn-hangzhou"));
    assert_eq!(fetch.request(2).param("ResourceType"), Some("Instance"));
    assert_eq!(fetch.request(3).param("RegionId"), None);
}

#[wasm_bindgen_test]
async fn xml_format_is_asked_for_and_decoded() {
    let xml = "<?xml version=\"1.0\"?><ListRepoTagResponse><RequestId>X</RequestId><TotalCount>2</TotalCount><Images><Tag>a</Tag><ImageSize>1</ImageSize></Images><Images><Tag>b</Tag></Images></ListRepoTagResponse>";
    let fetch = FakeFetch::new(vec![Step::Respond {
        status: 200,
        body: xml.into(),
        headers: vec![],
    }]);
    let client = client(&fetch, &[("format", s("XML"))]);
    let answer = wait(list_repo_tag(&client, list_params())).await.unwrap();
    assert_eq!(fetch.request(0).param("Format"), Some("XML"));
    let images = js_sys::Array::from(&get(&answer, "images"));
    assert_eq!(images.length(), 2);
    assert_eq!(get_str(&images.get(1), "tag"), "b");
}

#[wasm_bindgen_test]
async fn api_errors_reject_with_every_field() {
    let fetch = FakeFetch::new(vec![Step::error(404, "REPO_NOT_EXIST", "repo not exist")]);
    let client = client(&fetch, &[]);
    let error = wait(list_repo_tag(&client, list_params()))
        .await
        .unwrap_err();
    assert!(error.is_instance_of::<js_sys::Error>());
    assert_eq!(get_str(&error, "code"), "REPO_NOT_EXIST");
    assert_eq!(get_str(&error, "message"), "repo not exist");
    assert_eq!(get_str(&error, "requestId"), "REQ-REPO_NOT_EXIST");
    assert_eq!(get(&error, "httpStatus").as_f64(), Some(404.0));
    assert!(get_str(&error, "recommend").contains("REPO_NOT_EXIST"));
    assert_eq!(get(&error, "retryable"), JsValue::FALSE);
}

/// The service's SignatureDoesNotMatch message: its string-to-sign at the end.
fn mismatch(server_string_to_sign: &str) -> Step {
    Step::error(
        400,
        "SignatureDoesNotMatch",
        &format!(
            "Specified signature is not matched with our calculation. server string to sign is:{server_string_to_sign}"
        ),
    )
}

/// A server that answers `SignatureDoesNotMatch` with the string-to-sign
/// it computed from the request, after `change` (a proxy's doing).
fn echo_mismatch(change: fn(String) -> String) -> Step {
    Step::Computed(std::rc::Rc::new(move |request: &Recorded| {
        mismatch(&change(request.string_to_sign.clone()))
    }))
}

#[wasm_bindgen_test]
async fn signature_mismatch_with_the_same_string_means_a_wrong_secret() {
    let fetch = FakeFetch::new(vec![echo_mismatch(|same| same)]);
    let client = client(&fetch, &[]);
    let error = wait(list_repo_tag(&client, list_params()))
        .await
        .unwrap_err();
    let message = get_str(&error, "message");
    assert_eq!(get_str(&error, "code"), "SignatureDoesNotMatch");
    assert!(message.contains("AccessKey secret is wrong"), "{message}");
    assert!(!message.contains(crate::support::SECRET));
    assert_eq!(get(&error, "retryable"), JsValue::FALSE);
    assert_eq!(fetch.count(), 1);
}

#[wasm_bindgen_test]
async fn signature_mismatch_with_another_string_shows_where() {
    // A proxy that decoded `+` as a space: `%252B` became `%2520`.
    let fetch = FakeFetch::new(vec![echo_mismatch(|ours| ours.replace("%252B", "%2520"))]);
    let client = client(&fetch, &[]);
    let params = obj(&[("instanceId", s("cri-1")), ("repoId", s("crr+1"))]);
    let error = wait(list_repo_tag(&client, params)).await.unwrap_err();
    let message = get_str(&error, "message");
    assert!(message.contains("canonicalization difference"), "{message}");
    let ours = fetch.request(0).string_to_sign;
    let position = ours.find("%252B").expect("the request has a +") + 4;
    assert!(
        message.contains(&format!("position {position},")),
        "{message}"
    );
    assert!(message.contains("ours continues with \"B"), "{message}");
    assert!(message.contains("the server's with \"0"), "{message}");
}

#[wasm_bindgen_test]
async fn signature_mismatch_when_one_string_is_a_prefix_of_the_other() {
    for change in [
        (|ours: String| ours[..ours.len() - 3].to_string()) as fn(String) -> String,
        |ours: String| ours + "é€",
    ] {
        let fetch = FakeFetch::new(vec![echo_mismatch(change)]);
        let client = client(&fetch, &[]);
        let error = wait(list_repo_tag(&client, list_params()))
            .await
            .unwrap_err();
        let message = get_str(&error, "message");
        let ours = fetch.request(0).string_to_sign;
        let position = ours.len().min(change(ours.clone()).len());
        assert!(
            message.contains(&format!("position {position},")),
            "{message}"
        );
    }
}
