//! `decodeResponse`: camelCase keys, `Long` fields as exact bigints, XML and
//! JSON alike, error answers thrown as `TagdeckError`s.

use tagdeck::wasm::decode_response;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{get, get_str, n, s, stringify};

const LIST_JSON: &str = include_str!("../fixtures/cr/ListRepoTag/response.json");
const LIST_XML: &str = include_str!("../fixtures/cr/ListRepoTag/response.xml");
const MANIFEST_JSON: &str = include_str!("../fixtures/cr/GetRepoTagManifest/response.json");

fn decode(action: &str, body: &str, format: &str) -> Result<JsValue, JsValue> {
    decode_response(s(action), s(body), s(format), JsValue::UNDEFINED)
}

#[wasm_bindgen_test]
fn list_repo_tag_json_has_camel_case_keys_and_bigints() {
    let answer = decode("ListRepoTag", LIST_JSON, "JSON").unwrap();
    assert_eq!(
        get_str(&answer, "requestId"),
        "031572FA-7D8F-4C05-B790-1071E0E05DE6"
    );
    assert_eq!(get(&answer, "totalCount").as_f64(), Some(1.0));
    assert_eq!(get(&answer, "isSuccess"), JsValue::TRUE);
    let image = js_sys::Array::from(&get(&answer, "images")).get(0);
    assert_eq!(get_str(&image, "tag"), "v0.1");
    assert!(get(&image, "imageSize").is_bigint());
    assert_eq!(
        get(&image, "imageCreate"),
        JsValue::from(js_sys::BigInt::from(1_572_839_125_000_i64))
    );
    // Wire names are not there.
    assert!(get(&answer, "RequestId").is_undefined());
}

#[wasm_bindgen_test]
fn xml_and_json_decode_to_the_same_object() {
    let from_json = decode("ListRepoTag", LIST_JSON, "JSON").unwrap();
    let from_xml = decode("ListRepoTag", LIST_XML, "XML").unwrap();
    assert_eq!(stringify(&from_json), stringify(&from_xml));
    // Format names are case-insensitive.
    assert_eq!(
        stringify(&decode("ListRepoTag", LIST_XML, "xml").unwrap()),
        stringify(&from_xml)
    );
}

#[wasm_bindgen_test]
fn sixty_four_bit_sizes_stay_exact() {
    // 2^53 + 1 is not a double; as a bigint it survives.
    let body =
        r#"{"RequestId":"r","IsSuccess":true,"Images":[{"Tag":"t","ImageSize":9007199254740993}]}"#;
    let answer = decode("ListRepoTag", body, "JSON").unwrap();
    let image = js_sys::Array::from(&get(&answer, "images")).get(0);
    let size = js_sys::BigInt::from(get(&image, "imageSize"));
    assert_eq!(size.to_string(10).unwrap(), "9007199254740993");
    // The largest 64-bit value too, from XML text.
    let xml = "<ListRepoTagResponse><Images><Tag>t</Tag><ImageSize>9223372036854775807</ImageSize></Images></ListRepoTagResponse>";
    let answer = decode("ListRepoTag", xml, "XML").unwrap();
    let image = js_sys::Array::from(&get(&answer, "images")).get(0);
    let size = js_sys::BigInt::from(get(&image, "imageSize"));
    assert_eq!(size.to_string(10).unwrap(), "9223372036854775807");
}

#[wasm_bindgen_test]
fn absent_lists_are_empty_arrays() {
    let answer = decode(
        "ListRepoTag",
        "<ListRepoTagResponse><TotalCount>0</TotalCount></ListRepoTagResponse>",
        "XML",
    )
    .unwrap();
    assert_eq!(js_sys::Array::from(&get(&answer, "images")).length(), 0);
    assert_eq!(get(&answer, "totalCount").as_f64(), Some(0.0));
}

#[wasm_bindgen_test]
fn manifest_keeps_docker_keys_with_types() {
    let answer = decode("GetRepoTagManifest", MANIFEST_JSON, "JSON").unwrap();
    let manifest = get(&answer, "manifest");
    assert_eq!(get(&manifest, "schemaVersion").as_f64(), Some(2.0));
    let config = get(&manifest, "config");
    assert!(get(&config, "size").is_bigint());
    assert!(get_str(&config, "digest").starts_with("sha256:"));
    assert_eq!(js_sys::Array::from(&get(&manifest, "layers")).length(), 3);
}

#[wasm_bindgen_test]
fn free_form_data_keeps_its_keys_and_cannot_touch_prototypes() {
    let body = r#"{"Manifest":{"schemaVersion":1,"history":[{"v1Compatibility":{"__proto__":{"polluted":true},"Big":9007199254740993,"small":5}}]}}"#;
    let answer = decode("GetRepoTagManifest", body, "JSON").unwrap();
    let history = js_sys::Array::from(&get(&get(&answer, "manifest"), "history")).get(0);
    let free = get(&history, "v1Compatibility");
    assert!(get(&free, "Big").is_bigint());
    assert_eq!(get(&free, "small").as_f64(), Some(5.0));
    // `__proto__` became an own property, not the prototype.
    assert!(get(&free, "polluted").is_undefined());
    assert!(
        js_sys::Object::get_own_property_descriptor(&free.clone().into(), &s("__proto__"))
            .is_object()
    );
}

#[wasm_bindgen_test]
fn error_answers_throw_tagdeck_errors() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<Error><RequestId>REQ-9</RequestId><HostId>cr.cn-hangzhou.aliyuncs.com</HostId><Code>REPO_NOT_EXIST</Code><Message>repo not exist</Message><Recommend><![CDATA[https://next.api.aliyun.com/troubleshoot?q=REPO_NOT_EXIST]]></Recommend></Error>"#;
    let error = decode_response(s("GetRepoTag"), s(xml), s("XML"), n(404.0)).unwrap_err();
    assert!(error.is_instance_of::<js_sys::Error>());
    assert_eq!(get_str(&error, "code"), "REPO_NOT_EXIST");
    assert_eq!(get_str(&error, "message"), "repo not exist");
    assert_eq!(get_str(&error, "requestId"), "REQ-9");
    assert_eq!(get(&error, "httpStatus").as_f64(), Some(404.0));
    assert!(get_str(&error, "recommend").contains("troubleshoot"));
    assert_eq!(get(&error, "retryable"), JsValue::FALSE);

    // An XML <Error> document is an error even without a status.
    let error = decode("GetRepoTag", xml, "XML").unwrap_err();
    assert_eq!(get_str(&error, "code"), "REPO_NOT_EXIST");

    // A 200 answer with IsSuccess false, in JSON.
    let error = decode(
        "ListRepoTag",
        r#"{"RequestId":"R","IsSuccess":false,"Code":"REPO_NOT_EXIST"}"#,
        "JSON",
    )
    .unwrap_err();
    assert_eq!(get_str(&error, "code"), "REPO_NOT_EXIST");
    assert_eq!(get_str(&error, "requestId"), "R");

    // Throttling is retryable.
    let error = decode_response(
        s("ListRepoTag"),
        s(r#"{"Code":"Throttling.User","Message":"slow down"}"#),
        s("JSON"),
        n(400.0),
    )
    .unwrap_err();
    assert_eq!(get(&error, "retryable"), JsValue::TRUE);
}

#[wasm_bindgen_test]
fn malformed_answers_are_decode_errors_with_a_position() {
    let error = decode("ListRepoTag", r#"{"TotalCount": 1,"#, "JSON").unwrap_err();
    assert_eq!(get_str(&error, "code"), "DecodeError");
    assert!(
        get_str(&error, "message").contains("line 1"),
        "{}",
        get_str(&error, "message")
    );
    let error = decode("ListRepoTag", r#"{"TotalCount": "many"}"#, "JSON").unwrap_err();
    assert_eq!(get_str(&error, "code"), "DecodeError");
    assert!(get_str(&error, "message").contains("TotalCount"));
}

#[wasm_bindgen_test]
fn bad_arguments_name_the_argument() {
    let cases = [
        (
            s("Nope"),
            s("{}"),
            s("JSON"),
            JsValue::UNDEFINED,
            "InvalidApi.NotFound",
            "Nope",
        ),
        (
            n(1.0),
            s("{}"),
            s("JSON"),
            JsValue::UNDEFINED,
            "InvalidParameter",
            "action",
        ),
        (
            s("ListRepoTag"),
            JsValue::NULL,
            s("JSON"),
            JsValue::UNDEFINED,
            "InvalidParameter",
            "body",
        ),
        (
            s("ListRepoTag"),
            s("{}"),
            s("YAML"),
            JsValue::UNDEFINED,
            "InvalidParameter",
            "format",
        ),
        (
            s("ListRepoTag"),
            s("{}"),
            s("JSON"),
            n(42.5),
            "InvalidParameter",
            "httpStatus",
        ),
    ];
    for (action, body, format, status, code, named) in cases {
        let error = decode_response(action, body, format, status).unwrap_err();
        assert!(error.is_instance_of::<js_sys::Error>());
        assert_eq!(get_str(&error, "code"), code);
        assert!(
            get_str(&error, "message").contains(named),
            "{}",
            get_str(&error, "message")
        );
    }
}

use wasm_bindgen::JsCast;

/// Strings cross as one text sliced by UTF-16 lengths: characters beyond
/// the Basic Multilingual Plane (two code units), combining marks and
/// multi-byte UTF-8 must not shift the strings after them.
#[wasm_bindgen_test]
fn non_ascii_text_keeps_every_string_in_place() {
    let tags = ["🐳-v1", "中文", "e\u{301}", "plain", "𝔘𝔫𝔦"];
    let images: Vec<String> = tags
        .iter()
        .map(|tag| format!(r#"{{"Tag":"{tag}","Digest":"d-{tag}","ImageSize":1}}"#))
        .collect();
    let body = format!(r#"{{"Images":[{}],"TotalCount":5}}"#, images.join(","));
    for (format, body) in [
        ("JSON", body.clone()),
        (
            "XML",
            format!(
                "<ListRepoTagResponse>{}<TotalCount>5</TotalCount></ListRepoTagResponse>",
                tags.iter()
                    .map(|tag| format!("<Images><Tag>{tag}</Tag><Digest>d-{tag}</Digest><ImageSize>1</ImageSize></Images>"))
                    .collect::<String>()
            ),
        ),
    ] {
        let answer = decode("ListRepoTag", &body, format).unwrap();
        let images = js_sys::Array::from(&get(&answer, "images"));
        for (i, tag) in tags.iter().enumerate() {
            let image = images.get(i as u32);
            assert_eq!(get_str(&image, "tag"), *tag, "{format}");
            assert_eq!(get_str(&image, "digest"), format!("d-{tag}"), "{format}");
        }
        assert_eq!(get(&answer, "totalCount").as_f64(), Some(5.0));
    }
}
