//! Decoding of the shapes real answers take, beyond the API reference's sample answers:
//! XML roots, flat/one-item/absent/wrapped lists, CDATA, entities, numbers
//! as strings and strings as numbers, 64-bit integers, error bodies, and
//! malformed bodies that must give a decode error naming where.

mod common;

use common::to_json;
use serde_json::json;
use tagdeck::catalog;
use tagdeck::decode::{api_error, decode_action, decode_response};
use tagdeck::sign::Format;
use tagdeck::Error;

fn list_tags_xml(images: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListRepoTagResponse>\n  <RequestId>R</RequestId>\n  <IsSuccess>true</IsSuccess>\n  <TotalCount>2</TotalCount>\n{images}\n</ListRepoTagResponse>"
    )
}

fn tags(body: &str, format: Format) -> serde_json::Value {
    to_json(&decode_action("ListRepoTag", 200, body, format).expect("decodes"))["Images"].clone()
}

#[test]
fn flat_repeated_xml_elements_are_a_list() {
    let body = list_tags_xml("<Images><Tag>a</Tag></Images><Images><Tag>b</Tag></Images>");
    assert_eq!(
        tags(&body, Format::Xml),
        json!([{"Tag": "a"}, {"Tag": "b"}])
    );
}

#[test]
fn one_xml_element_is_a_one_item_list() {
    let body = list_tags_xml("<Images><Tag>only</Tag><ImageSize>5</ImageSize></Images>");
    assert_eq!(
        tags(&body, Format::Xml),
        json!([{"Tag": "only", "ImageSize": 5}])
    );
}

#[test]
fn an_absent_list_is_empty() {
    assert_eq!(tags(&list_tags_xml(""), Format::Xml), json!([]));
    assert_eq!(tags(r#"{"RequestId":"R"}"#, Format::Json), json!([]));
    assert_eq!(
        tags(r#"{"RequestId":"R","Images":null}"#, Format::Json),
        json!([])
    );
}

#[test]
fn wrapper_style_lists_are_accepted() {
    // Other Alibaba products wrap items: <Images><Image>..</Image></Images>.
    let body =
        list_tags_xml("<Images><Image><Tag>a</Tag></Image><Image><Tag>b</Tag></Image></Images>");
    assert_eq!(
        tags(&body, Format::Xml),
        json!([{"Tag": "a"}, {"Tag": "b"}])
    );
    // The JSON form of the same: {"Images": {"Image": [...]}} is not used by
    // this API; a single object where a list is expected is one item.
    assert_eq!(
        tags(r#"{"Images":{"Tag":"x"}}"#, Format::Json),
        json!([{"Tag": "x"}])
    );
}

#[test]
fn a_one_item_list_whose_item_has_only_an_unknown_field_is_not_a_wrapper() {
    let body = list_tags_xml("<Images><Enable>true</Enable></Images>");
    assert_eq!(tags(&body, Format::Xml), json!([{}]));
}

#[test]
fn cdata_entities_and_character_references_are_resolved() {
    let body = list_tags_xml(
        "<Images><Tag><![CDATA[v1<beta>&]]></Tag><Digest>a&amp;b&lt;c&gt;&quot;&apos;&#65;&#x42;&#x1F433;</Digest></Images>",
    );
    assert_eq!(
        tags(&body, Format::Xml),
        json!([{"Tag": "v1<beta>&", "Digest": "a&b<c>\"'AB🐳"}])
    );
}

#[test]
fn pretty_printed_whitespace_does_not_leak_into_values() {
    let body = list_tags_xml(
        "  <Images>\n    <Tag>v1</Tag>\n    <ImageSize>\n      42\n    </ImageSize>\n  </Images>\n",
    );
    assert_eq!(
        tags(&body, Format::Xml),
        json!([{"Tag": "v1", "ImageSize": 42}])
    );
}

#[test]
fn numbers_as_strings_and_strings_as_numbers() {
    let body = r#"{"TotalCount":"7","PageNo":2,"Images":[{"Tag":1.5,"ImageSize":"27107966","ImageCreate":"1572839125000"}],"IsSuccess":"true"}"#;
    let v = to_json(&decode_action("ListRepoTag", 200, body, Format::Json).unwrap());
    assert_eq!(v["TotalCount"], json!(7));
    assert_eq!(v["IsSuccess"], json!(true));
    assert_eq!(
        v["Images"][0],
        json!({"Tag": "1.5", "ImageSize": 27107966, "ImageCreate": 1572839125000_i64})
    );
}

#[test]
fn a_long_written_as_a_whole_float_is_an_integer() {
    // A Long `Progress` arrives as `1.0` (docs/api-facts.md).
    let body = r#"{"Images":[{"ImageSize":1.0,"ImageCreate":"2.0"}]}"#;
    assert_eq!(
        tags(body, Format::Json),
        json!([{"ImageSize": 1, "ImageCreate": 2}])
    );
}

#[test]
fn sixty_four_bit_integers_are_exact() {
    // 2^63-1 and 2^53+1 would both be damaged by an f64 on the way.
    for (text, n) in [
        ("9223372036854775807", i64::MAX),
        ("9007199254740993", 9_007_199_254_740_993),
    ] {
        let json_body = format!(r#"{{"Images":[{{"ImageSize":{text}}}]}}"#);
        assert_eq!(tags(&json_body, Format::Json)[0]["ImageSize"], json!(n));
        let xml_body = list_tags_xml(&format!("<Images><ImageSize>{text}</ImageSize></Images>"));
        assert_eq!(tags(&xml_body, Format::Xml)[0]["ImageSize"], json!(n));
    }
}

#[test]
fn unknown_fields_are_ignored() {
    let body = r#"{"Unknown":{"deep":[1,2,{"x":null}]},"Images":[{"Tag":"a","ModifedTime":1}]}"#;
    assert_eq!(tags(body, Format::Json), json!([{"Tag": "a"}]));
    let xml = list_tags_xml(
        "<Surprise><A>1</A></Surprise><Images><Tag>a</Tag><Enable>true</Enable></Images>",
    );
    assert_eq!(tags(&xml, Format::Xml), json!([{"Tag": "a"}]));
}

#[test]
fn json_error_body() {
    let body = r#"{"RequestId":"7A0B","HostId":"cr.cn-hangzhou.aliyuncs.com","Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:GET&%2F&A%3D1","Recommend":"https://next.api.aliyun.com/troubleshoot?q=SignatureDoesNotMatch"}"#;
    let Err(Error::Api(e)) = decode_action("ListRepoTag", 400, body, Format::Json) else {
        panic!("not an API error")
    };
    assert_eq!(e.code, "SignatureDoesNotMatch");
    assert_eq!(e.request_id.as_deref(), Some("7A0B"));
    assert_eq!(e.host_id.as_deref(), Some("cr.cn-hangzhou.aliyuncs.com"));
    assert_eq!(e.http_status, 400);
    assert!(e.recommend.as_deref().unwrap().contains("troubleshoot"));
    assert_eq!(e.server_string_to_sign(), Some("GET&%2F&A%3D1"));
    assert!(!e.retryable());
}

#[test]
fn xml_error_body_with_cdata_recommend() {
    let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <RequestId>R-9</RequestId>\n  <HostId>cr.cn-shanghai.aliyuncs.com</HostId>\n  <Code>Throttling.User</Code>\n  <Message>Request was denied due to user flow control.</Message>\n  <Recommend><![CDATA[https://error-center.aliyun.com/status/search?Keyword=Throttling.User&source=PopGw]]></Recommend>\n</Error>";
    let Err(Error::Api(e)) = decode_action("ListRepoTag", 400, body, Format::Xml) else {
        panic!("not an API error")
    };
    assert_eq!(e.code, "Throttling.User");
    assert_eq!(
        e.recommend.as_deref(),
        Some("https://error-center.aliyun.com/status/search?Keyword=Throttling.User&source=PopGw")
    );
    assert!(e.retryable(), "throttling may pass later");
    // An <Error> root is an error even with HTTP 200.
    assert!(matches!(
        decode_action("ListRepoTag", 200, body, Format::Xml),
        Err(Error::Api(_))
    ));
}

#[test]
fn success_200_with_is_success_false_is_an_error() {
    let body = "<GetRepoTagResponse><IsSuccess>false</IsSuccess><Code>TAG_NOT_EXIST</Code><Message>tag not exist</Message><RequestId>R2</RequestId></GetRepoTagResponse>";
    let Err(Error::Api(e)) = decode_action("GetRepoTag", 200, body, Format::Xml) else {
        panic!("not an API error")
    };
    assert_eq!(
        (e.code.as_str(), e.message.as_str(), e.http_status),
        ("TAG_NOT_EXIST", "tag not exist", 200)
    );
}

#[test]
fn unreadable_error_bodies_keep_what_the_server_said() {
    let e = api_error(502, "<html><body>Bad gateway</body></html>", Format::Json);
    assert_eq!(e.code, "InternalError");
    assert!(e.message.contains("Bad gateway") && e.message.contains("502"));
    assert!(e.retryable());
    assert_eq!(api_error(503, "", Format::Xml).code, "ServiceUnavailable");
}

#[test]
fn malformed_json_names_line_and_column() {
    let err = decode_action(
        "ListRepoTag",
        200,
        "{\n  \"Images\": [ {\"Tag\": \"a\",} ]\n}",
        Format::Json,
    )
    .unwrap_err();
    assert_eq!(err.code(), "DecodeError");
    assert!(err.message().contains("line 2"), "{}", err.message());
}

#[test]
fn a_wrong_type_names_the_field_path() {
    let err = decode_action(
        "ListRepoTag",
        200,
        r#"{"Images":[{"Tag":"a"},{"ImageSize":"huge"}]}"#,
        Format::Json,
    )
    .unwrap_err();
    assert!(
        err.message().contains("Images[1].ImageSize"),
        "{}",
        err.message()
    );
    let xml =
        list_tags_xml("<Images><Tag>a</Tag></Images><Images><ImageSize>huge</ImageSize></Images>");
    let err = decode_action("ListRepoTag", 200, &xml, Format::Xml).unwrap_err();
    assert!(
        err.message().contains("Images[1].ImageSize"),
        "{}",
        err.message()
    );
}

#[test]
fn malformed_xml_names_the_position() {
    for (body, needle) in [
        ("<A>\n<B>x</C></A>", "line 2"),
        ("<A><B>x</B>", "ends inside <A>"),
        ("<A>&bogus;</A>", "unknown entity"),
        ("<A><B x=1/></A>", "malformed XML"),
        ("", "no element"),
    ] {
        let err = decode_action("ListRepoTag", 200, body, Format::Xml).unwrap_err();
        assert_eq!(err.code(), "DecodeError", "{body:?}");
        assert!(
            err.message().contains(needle),
            "{body:?}: {}",
            err.message()
        );
    }
}

#[test]
fn deeply_nested_xml_is_refused_not_a_stack_overflow() {
    let body = "<a>".repeat(100_000);
    assert_eq!(
        decode_action("ListRepoTag", 200, &body, Format::Xml)
            .unwrap_err()
            .code(),
        "DecodeError"
    );
}

#[test]
fn truncated_fixtures_never_panic() {
    // Every prefix of every fixture gives an error or a value, never a panic.
    for op in catalog::operations() {
        for (file, format) in [
            ("response.json", Format::Json),
            ("response.xml", Format::Xml),
        ] {
            let Some(body) = common::read_fixture(op.action, file) else {
                continue;
            };
            for cut in (0..body.len())
                .filter(|i| body.is_char_boundary(*i))
                .step_by(7)
            {
                let _ = decode_response(op, 200, &body[..cut], format);
            }
        }
    }
}

/// Member names are borrowed from the body when they can be; a name
/// written with escapes (`"T\u0061g"`) is the same name, members in any
/// order land in the same fields, and a repeated member keeps the last value.
#[test]
fn member_names_with_escapes_and_in_any_order_are_matched() {
    let plain = r#"{"Images":[{"Tag":"v1","ImageSize":5,"Digest":"d"}]}"#;
    let variants = [
        r#"{"Images":[{"T\u0061g":"v1","ImageSize":5,"Digest":"d"}]}"#,
        r#"{"Images":[{"Digest":"d","ImageSize":5,"Tag":"v1"}]}"#,
        r#"{"Images":[{"Tag":"v0","Digest":"d","ImageSize":5,"Tag":"v1"}]}"#,
        r#"{"Images":[{"tag":"v1","imagesize":5,"digest":"d"}]}"#,
    ];
    for variant in variants {
        assert_eq!(
            tags(variant, Format::Json),
            tags(plain, Format::Json),
            "{variant}"
        );
    }
}

#[test]
fn a_json_top_level_that_is_not_an_object_is_named() {
    for (body, found) in [
        ("true", "boolean `true`"),
        ("-3", "integer `-3`"),
        ("7", "integer `7`"),
        ("1.5", "floating point `1.5`"),
        ("\"ok\"", "string \"ok\""),
        ("null", "null"),
        ("[1, 2]", "sequence"),
    ] {
        let error = decode_action("ListRepoTag", 200, body, Format::Json).unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains(&format!(
                "invalid type: {found}, expected an object at the top level at line 1"
            )),
            "{body}: {message}"
        );
    }
}

/// An error document rejects with whatever status came with it: 200 is
/// what `decodeResponse` assumes when given none.
#[test]
fn an_error_document_rejects_without_an_error_status() {
    let json = r#"{"RequestId":"R-9","HostId":"cr.cn-hangzhou.aliyuncs.com","Code":"InvalidParameter","Message":"The parameter RepoId is invalid.","Recommend":"https://api.aliyun.com/troubleshoot?q=InvalidParameter"}"#;
    let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><RequestId>R-9</RequestId><HostId>cr.cn-hangzhou.aliyuncs.com</HostId><Code>InvalidParameter</Code><Message>The parameter RepoId is invalid.</Message><Recommend><![CDATA[https://api.aliyun.com/troubleshoot?q=InvalidParameter]]></Recommend></Error>";
    // The same document under an answer's root, as a gateway may send it.
    let rooted = "<ListRepoTagResponse><RequestId>R-9</RequestId><HostId>cr.cn-hangzhou.aliyuncs.com</HostId><Code>InvalidParameter</Code><Message>The parameter RepoId is invalid.</Message><Recommend>https://api.aliyun.com/troubleshoot?q=InvalidParameter</Recommend></ListRepoTagResponse>";
    for (body, format) in [
        (json, Format::Json),
        (xml, Format::Xml),
        (rooted, Format::Xml),
    ] {
        for action in ["ListRepoTag", "DeleteRepoTag", "TagResources"] {
            match decode_action(action, 200, body, format) {
                Err(Error::Api(e)) => {
                    assert_eq!(e.code, "InvalidParameter");
                    assert_eq!(e.message, "The parameter RepoId is invalid.");
                    assert_eq!(e.request_id.as_deref(), Some("R-9"));
                    assert_eq!(e.host_id.as_deref(), Some("cr.cn-hangzhou.aliyuncs.com"));
                    assert_eq!(
                        e.recommend.as_deref(),
                        Some("https://api.aliyun.com/troubleshoot?q=InvalidParameter")
                    );
                    assert_eq!(e.http_status, 200);
                }
                other => panic!("{action} {format:?}: {other:?}"),
            }
        }
    }
}

/// Successful answers carry `success` (or `200`, `OK`, as the vendor's
/// Node client accepts), or no code at all; `IsSuccess: true` wins over an
/// unusual code (the SDK's examples show `"Code": "true"`).
#[test]
fn success_codes_and_is_success_decide_a_success() {
    for body in [
        r#"{"RequestId":"R","Code":"success"}"#,
        r#"{"RequestId":"R","Code":"Success"}"#,
        r#"{"RequestId":"R","Code":"200"}"#,
        r#"{"RequestId":"R","Code":200}"#,
        r#"{"RequestId":"R","Code":"OK"}"#,
        r#"{"RequestId":"R"}"#,
        r#"{"RequestId":"R","Code":"true","IsSuccess":true}"#,
        r#"{"RequestId":"R","Code":"","IsSuccess":"True"}"#,
    ] {
        assert!(
            decode_action(
                "DeleteInstanceVpcEndpointLinkedVpc",
                200,
                body,
                Format::Json
            )
            .is_ok(),
            "{body}"
        );
    }
    for body in [
        r#"{"RequestId":"R","Code":"REPO_NOT_EXIST","IsSuccess":false}"#,
        r#"{"RequestId":"R","Code":"success","IsSuccess":false}"#,
        r#"{"RequestId":"R","Code":"Forbidden.RAM"}"#,
    ] {
        assert!(
            matches!(
                decode_action(
                    "DeleteInstanceVpcEndpointLinkedVpc",
                    200,
                    body,
                    Format::Json
                ),
                Err(Error::Api(_))
            ),
            "{body}"
        );
    }
}

/// What tagdeck does with the SDK's oddities (docs/catalogue-changes.md).
#[test]
fn the_sdks_oddities_decode_as_documented() {
    // `Code` typed as a number by the SDK, `"success"` on the wire.
    let answer = decode_action(
        "CreateScanRule",
        200,
        r#"{"RequestId":"R","Code":"success","ScanRuleId":"sr-1"}"#,
        Format::Json,
    )
    .unwrap();
    assert_eq!(
        to_json(&answer),
        json!({"RequestId": "R", "Code": "success", "ScanRuleId": "sr-1"})
    );
    // `TotalCount` typed as a String by the SDK: a number either way.
    for total in ["\"12\"", "12"] {
        let body = format!(r#"{{"RequestId":"R","Code":"success","TotalCount":{total}}}"#);
        let answer = decode_action("ListRepoTag", 200, &body, Format::Json).unwrap();
        assert_eq!(to_json(&answer)["TotalCount"], json!(12));
    }
    // Booleans written `True`.
    let answer = decode_action(
        "GetStorageDomainRoutingRule",
        200,
        "<GetStorageDomainRoutingRuleResponse><RequestId>R</RequestId><Code>success</Code><Success>True</Success></GetStorageDomainRoutingRuleResponse>",
        Format::Xml,
    )
    .unwrap();
    assert_eq!(to_json(&answer)["Success"], json!(true));
    // Times the SDK types Long with date text as example: read as text.
    let answer = decode_action(
        "GetScanRule",
        200,
        r#"{"RequestId":"R","Code":"success","ScanRule":{"CreateTime":"2018-03-15T17:08Z","UpdateTime":1700000000000}}"#,
        Format::Json,
    )
    .unwrap();
    assert_eq!(
        to_json(&answer)["ScanRule"],
        json!({"CreateTime": "2018-03-15T17:08Z", "Namespaces": [], "RepoNames": [], "UpdateTime": "1700000000000"})
    );
}
