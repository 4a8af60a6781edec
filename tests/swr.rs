//! The Open Telekom Cloud SWR API: every request builder with valid and
//! invalid input, the filter form, `Content-Range` paging, the decoders on
//! the shapes the reference documents, 64-bit sizes and error bodies.

mod common;

use common::providers::*;
use common::{fault, query};
use serde_json::json;
use tagdeck::providers::http::{HttpMethod, HttpRequest, HttpResponse};
use tagdeck::providers::swr::{self, ContentRange};
use tagdeck::{Error, Value};

// ---------------------------------------------------------------------------
// SWR: requests
// ---------------------------------------------------------------------------

/// A request of `operation` for group/busybox with these parameters.
fn swr_call(operation: &str, params: &[(&str, Value)]) -> Result<HttpRequest, Error> {
    let mut all = vec![
        ("namespace", Value::from("group")),
        ("repository", "busybox".into()),
    ];
    all.extend_from_slice(params);
    otc().request(operation, &all)
}

/// A `ListRepositoryTags` request of group/busybox with these parameters.
fn swr_list(params: &[(&str, Value)]) -> Result<HttpRequest, Error> {
    swr_call("ListRepositoryTags", params)
}

/// A `ShowRepoTag`, `DeleteRepoTag` request of one tag.
fn swr_tag(
    operation: &str,
    namespace: &str,
    repository: &str,
    tag: &str,
) -> Result<HttpRequest, Error> {
    otc().request(
        operation,
        &[
            ("namespace", Value::from(namespace)),
            ("repository", repository.into()),
            ("tag", tag.into()),
        ],
    )
}

/// A `CreateRepoTag` request of group/busybox.
fn swr_create(
    source: &str,
    destination: &str,
    overwrite: Option<bool>,
) -> Result<HttpRequest, Error> {
    swr_call(
        "CreateRepoTag",
        &[
            ("source_tag", source.into()),
            ("destination_tag", destination.into()),
            ("override", opt(overwrite)),
        ],
    )
}

#[test]
fn swr_list_tags_request_with_separate_parameters() {
    let request = swr_list(&[
        ("offset", Value::Int(200)),
        ("limit", Value::Int(100)),
        ("order_column", "updated_at".into()),
        ("order_type", "desc".into()),
        ("tag", "v1".into()),
    ])
    .unwrap();
    assert_eq!(request.method, HttpMethod::Get);
    assert_eq!(
        request.path,
        "/v2/manage/namespaces/group/repos/busybox/tags"
    );
    assert_eq!(
        query(&request),
        [
            ("offset", "200"),
            ("limit", "100"),
            ("order_column", "updated_at"),
            ("order_type", "desc"),
            ("tag", "v1")
        ]
    );
    assert_eq!(request.header("X-Auth-Token"), Some("MIIT-iam-token-value"));
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.url(&swr::endpoint_for_region("eu-de").unwrap()),
        "https://swr-api.eu-de.otc.t-systems.com/v2/manage/namespaces/group/repos/busybox/tags?offset=200&limit=100&order_column=updated_at&order_type=desc&tag=v1"
    );
    // Without paging, the reference returns everything.
    let all = swr_list(&[]).unwrap();
    assert!(all.query.is_empty());
}

#[test]
fn swr_list_tags_request_in_the_filter_form() {
    let filter = swr::filter(&[
        ("tag", Value::from("v1")),
        ("order_type", "asc".into()),
        ("order_column", "updated_at".into()),
        ("limit", Value::Int(10)),
        ("offset", Value::Int(0)),
    ])
    .unwrap()
    .unwrap();
    let request = swr_list(&[("filter", filter.into())]).unwrap();
    assert_eq!(
        query(&request),
        [(
            "filter",
            "offset::0|limit::10|order_column::updated_at|order_type::asc|tag::v1"
        )]
    );
    assert!(request
        .url("swr")
        .ends_with("?filter=offset%3A%3A0%7Climit%3A%3A10%7Corder_column%3A%3Aupdated_at%7Corder_type%3A%3Aasc%7Ctag%3A%3Av1"));
    // The filter form obeys the same rules.
    let error = swr::filter(&[("offset", Value::Int(10))]).unwrap_err();
    assert_eq!(fault(&error), ("InvalidParameter", "offset"));
    // Nothing to filter by: no filter at all.
    assert!(swr::filter::<&str>(&[]).unwrap().is_none());
}

#[test]
fn swr_raw_filter_is_checked_and_canonicalized() {
    let list = |filter: &str| {
        otc().request(
            "ListRepositoryTags",
            &[
                ("namespace", Value::from("group")),
                ("repository", Value::from("busybox")),
                ("filter", Value::from(filter)),
            ],
        )
    };
    let request = list("tag::v1|limit::50|offset::100").unwrap();
    assert_eq!(
        query(&request),
        [("filter", "offset::100|limit::50|tag::v1")]
    );
    assert_eq!(
        query(&list("order_type::desc|order_column::created_at").unwrap()),
        [("filter", "order_column::created_at|order_type::desc")]
    );
    for (filter, mentions) in [
        ("", "empty"),
        ("offset::0|limit::5000", "limit"),
        ("offset::10", "offset"),
        ("limit::10", "limit"),
        ("offset::15|limit::10", "multiple of limit"),
        ("order_column::updated_at", "order_column"),
        ("order_column::size|order_type::asc", "order_column"),
        ("order_column::tag|order_type::asc", "order_column"),
        ("order_column::updated_at|order_type::up", "order_type"),
        ("colour::red", "unknown part"),
        ("tag=v1", "not name::value"),
        ("tag::v1|tag::v2", "twice"),
        ("tag::a b", "tag"),
        ("offset::-1|limit::10", "offset"),
    ] {
        let error = list(filter).unwrap_err();
        assert_eq!(fault(&error), ("InvalidParameter", "filter"), "{filter:?}");
        assert!(
            error.message().contains(mentions),
            "{filter:?}: {}",
            error.message()
        );
    }
    // Mixing the two forms is refused: which would win is not documented.
    let error = otc()
        .request(
            "ListRepositoryTags",
            &[
                ("namespace", Value::from("group")),
                ("repository", Value::from("busybox")),
                ("filter", Value::from("tag::v1")),
                ("limit", Value::Int(10)),
                ("offset", Value::Int(0)),
            ],
        )
        .unwrap_err();
    assert_eq!(fault(&error), ("InvalidParameter", "filter"));
    assert!(error.message().contains("offset"), "{error}");
}

#[test]
fn swr_paging_and_sorting_rules_are_checked_before_sending() {
    let cases: Vec<(Vec<(&str, Value)>, &str)> = vec![
        (
            vec![("offset", Value::Int(0)), ("limit", Value::Int(0))],
            "limit",
        ),
        (
            vec![("offset", Value::Int(0)), ("limit", Value::Int(1001))],
            "limit",
        ),
        (vec![("offset", Value::Int(100))], "offset"),
        (vec![("limit", Value::Int(100))], "limit"),
        (
            vec![("offset", Value::Int(150)), ("limit", Value::Int(100))],
            "offset",
        ),
        (
            vec![
                ("offset", Value::from(u64::MAX.to_string())),
                ("limit", Value::Int(10)),
            ],
            "offset",
        ),
        (vec![("order_column", "updated_at".into())], "order_column"),
        (vec![("order_type", "asc".into())], "order_type"),
        (
            vec![("order_column", "tag".into()), ("order_type", "asc".into())],
            "order_column",
        ),
        (
            vec![
                ("order_column", "created_at".into()),
                ("order_type", "ASC".into()),
            ],
            "order_type",
        ),
        (vec![("tag", "v1|x".into())], "tag"),
        (vec![("tag", "".into())], "tag"),
    ];
    for (params, name) in cases {
        let shown = format!("{params:?}");
        let error = swr_list(&params).unwrap_err();
        assert_eq!(fault(&error), ("InvalidParameter", name), "{shown}");
    }
    for (offset, limit) in [(0, 1), (0, 1000), (1000, 1000), (300, 100)] {
        assert!(swr_list(&[("offset", Value::Int(offset)), ("limit", Value::Int(limit))]).is_ok());
    }
    for column in swr::ORDER_COLUMNS {
        assert!(swr_list(&[
            ("order_column", Value::from(*column)),
            ("order_type", "desc".into()),
        ])
        .is_ok());
    }
}

#[test]
fn swr_names_in_the_path_are_checked_and_slashes_become_dollars() {
    let request = swr_tag("ShowRepoTag", "my-org", "apps/web", "v1.0").unwrap();
    assert_eq!(
        request.path,
        "/v2/manage/namespaces/my-org/repos/apps$web/tags/v1.0"
    );
    assert_eq!(
        fault(&swr_tag("ShowRepoTag", "My Org", "web", "v1").unwrap_err()),
        ("InvalidParameter", "namespace")
    );
    assert_eq!(
        fault(&swr_tag("ShowRepoTag", "org", "../web", "v1").unwrap_err()),
        ("InvalidParameter", "repository")
    );
    assert_eq!(
        fault(&swr_tag("DeleteRepoTag", "org", "web", "v1/../x").unwrap_err()),
        ("InvalidParameter", "tag")
    );
    assert_eq!(
        fault(&swr_tag("DeleteRepoTag", "org", "web", "").unwrap_err()),
        ("InvalidParameter", "tag")
    );
}

#[test]
fn swr_get_delete_and_create_requests() {
    let get = swr_tag("ShowRepoTag", "group", "busybox", "latest").unwrap();
    assert_eq!(
        (get.method, get.path.as_str()),
        (
            HttpMethod::Get,
            "/v2/manage/namespaces/group/repos/busybox/tags/latest"
        )
    );
    let delete = swr_tag("DeleteRepoTag", "group", "busybox", "latest").unwrap();
    assert_eq!(
        (delete.method, delete.path.as_str()),
        (HttpMethod::Delete, get.path.as_str())
    );
    assert_eq!(delete.body, None);

    let create = swr_create("latest", "stable", Some(false)).unwrap();
    assert_eq!(create.method, HttpMethod::Post);
    assert_eq!(
        create.path,
        "/v2/manage/namespaces/group/repos/busybox/tags"
    );
    let body: serde_json::Value = serde_json::from_str(create.body.as_deref().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"source_tag": "latest", "destination_tag": "stable", "override": false})
    );
    assert_eq!(create.header("Content-Type"), Some("application/json"));
    let no_override = swr_create("latest", "stable", None).unwrap();
    let body: serde_json::Value =
        serde_json::from_str(no_override.body.as_deref().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"source_tag": "latest", "destination_tag": "stable"})
    );

    assert_eq!(
        fault(&swr_create("latest", "a:b", None).unwrap_err()),
        ("InvalidParameter", "destination_tag")
    );
    let error = otc()
        .request(
            "CreateRepoTag",
            &[
                ("namespace", Value::from("group")),
                ("repository", Value::from("busybox")),
                ("destinationTag", Value::from("stable")),
            ],
        )
        .unwrap_err();
    assert_eq!(fault(&error), ("MissingParameter", "source_tag"));
    let error = otc()
        .request(
            "CreateRepoTag",
            &[
                ("namespace", Value::from("group")),
                ("repository", Value::from("busybox")),
                ("source_tag", Value::from("a")),
                ("destination_tag", Value::from("b")),
                ("override", Value::from("maybe")),
            ],
        )
        .unwrap_err();
    assert_eq!(fault(&error), ("InvalidParameter", "override"));
}

// ---------------------------------------------------------------------------
// SWR: Content-Range and paging
// ---------------------------------------------------------------------------

#[test]
fn content_range_forms() {
    let parse = |text| swr::parse_content_range(text).unwrap();
    assert_eq!(
        parse("0-99/250"),
        ContentRange {
            range: Some((0, 99)),
            total: 250
        }
    );
    assert_eq!(
        parse(" items 100-199/250 "),
        ContentRange {
            range: Some((100, 199)),
            total: 250
        }
    );
    assert_eq!(
        parse("*/0"),
        ContentRange {
            range: None,
            total: 0
        }
    );
    assert_eq!(parse("0-0/18446744073709551615").total, u64::MAX);
}

#[test]
fn malformed_content_range_is_a_decode_error_naming_the_header() {
    for bad in [
        "",
        "0-99",
        "0-99/",
        "/250",
        "0-/250",
        "-99/250",
        "a-b/c",
        "0-99/25x",
        "0_99/250",
        "0-99/250/1",
        "0-99/-250",
        "bytes=0-99/250",
        "2 0-99/250",
        "0-99/18446744073709551616",
    ] {
        let error = swr::parse_content_range(bad).unwrap_err();
        assert_eq!(error.code(), "DecodeError", "{bad:?}");
        assert!(error.message().contains("Content-Range"), "{bad:?}");
    }
}

#[test]
fn swr_pages_by_offset_received_and_total() {
    let body = swr_tags_json((0..100).map(|i| format!("v{i}")));
    let range = headers(&[("Content-Range", "0-99/250")]);
    let page =
        swr::decode_tag_page(&HttpResponse::new(200, &range, &body), Some((0, 100))).unwrap();
    assert_eq!(page.tags.len(), 100);
    assert_eq!(page.range.unwrap().total, 250);
    assert_eq!(page.next_offset, Some(100));

    // The last page; the middle number in either reading (count 50, last 249).
    let body = swr_tags_json((200..250).map(|i| format!("v{i}")));
    for header in ["200-249/250", "200-50/250"] {
        let range = headers(&[("content-range", header)]);
        let page =
            swr::decode_tag_page(&HttpResponse::new(200, &range, &body), Some((200, 100))).unwrap();
        assert_eq!(page.next_offset, None, "{header}");
    }

    // No Content-Range: pages continue while they come back full.
    let full = swr_tags_json((0..10).map(|i| format!("v{i}")));
    let page = swr::decode_tag_page(&HttpResponse::new(200, &[], &full), Some((20, 10))).unwrap();
    assert_eq!((page.range, page.next_offset), (None, Some(30)));
    let short = swr_tags_json((0..3).map(|i| format!("v{i}")));
    let page = swr::decode_tag_page(&HttpResponse::new(200, &[], &short), Some((30, 10))).unwrap();
    assert_eq!(page.next_offset, None);

    // An empty page ends the listing even if the total says otherwise.
    let range = headers(&[("Content-Range", "*/250")]);
    let page =
        swr::decode_tag_page(&HttpResponse::new(200, &range, "[]"), Some((300, 100))).unwrap();
    assert_eq!(page.next_offset, None);

    // Nothing asked (everything returned): no next page.
    let page = swr::decode_tag_page(&HttpResponse::new(200, &[], &full), None).unwrap();
    assert_eq!(page.next_offset, None);

    // A malformed header on a good body is still an error: paging can't be trusted.
    let range = headers(&[("Content-Range", "zero-ninety/250")]);
    let error =
        swr::decode_tag_page(&HttpResponse::new(200, &range, &full), Some((0, 10))).unwrap_err();
    assert!(error.message().contains("Content-Range"));
}

#[test]
fn next_offset_rules() {
    assert_eq!(swr::next_offset(0, 100, 100, Some(250)), Some(100));
    assert_eq!(swr::next_offset(100, 100, 100, Some(250)), Some(200));
    assert_eq!(swr::next_offset(200, 100, 50, Some(250)), None);
    assert_eq!(swr::next_offset(0, 100, 100, Some(100)), None);
    assert_eq!(swr::next_offset(0, 100, 0, Some(250)), None);
    assert_eq!(swr::next_offset(0, 10, 10, None), Some(10));
    assert_eq!(swr::next_offset(0, 10, 9, None), None);
}

// ---------------------------------------------------------------------------
// SWR: decoders
// ---------------------------------------------------------------------------

#[test]
fn swr_reference_sample_decodes_every_field() {
    let page =
        swr::decode_tag_page(&HttpResponse::new(200, &[], SWR_REFERENCE_SAMPLE), None).unwrap();
    let tag = &page.tags[0];
    assert_eq!(tag.id, Some(0));
    assert_eq!(tag.repo_id, Some(0));
    assert_eq!(tag.tag, "latest");
    assert_eq!(
        tag.image_id.as_deref(),
        Some("741f24a795d6d93d7c6edd11780d63c13e16c39615dd9d223378a57a836f2ee6")
    );
    assert!(tag
        .manifest
        .as_deref()
        .unwrap()
        .contains("\"size\":1292800"));
    assert_eq!(
        tag.digest.as_deref(),
        Some("sha256:57b605845a6367c34bfb6ea6477f16852f59aa1861a2b51d10ab77ae0a1dc9c3")
    );
    assert_eq!(tag.schema, Some(2));
    assert_eq!(
        tag.path.as_deref(),
        Some("{Repository address}/group/busybox:latest")
    );
    assert_eq!(
        tag.internal_path.as_deref(),
        Some("10.125.0.198:20202/namespace/busybox:latest")
    );
    assert_eq!(tag.size, Some(1_304_902));
    assert!(!tag.is_trusted);
    assert_eq!(tag.created.as_deref(), Some("2018-07-06T06:18:55Z"));
    assert_eq!(tag.updated.as_deref(), Some("2018-07-06T06:18:55Z"));
    assert_eq!(tag.deleted, None);
    assert_eq!(
        tag.domain_id.as_deref(),
        Some("0503dda878000fed0f75c0096d70a960")
    );
    assert_eq!(tag.tag_type, Some(0));
}

#[test]
fn swr_sizes_are_exact_to_64_bits() {
    for (size, expected) in [
        ("9223372036854775807", Some(i64::MAX)),
        ("9007199254740993", Some(9_007_199_254_740_993)),
        ("0", Some(0)),
        ("\"9223372036854775806\"", Some(i64::MAX - 1)),
    ] {
        let body = format!(r#"{{"Tag":"big","size":{size}}}"#);
        let tag = swr::decode_tag(&HttpResponse::new(200, &[], &body)).unwrap();
        assert_eq!(tag.size, expected, "{size}");
    }
    // Beyond the documented range: refused, never rounded.
    let error = swr::decode_tag(&HttpResponse::new(
        200,
        &[],
        r#"{"Tag":"big","size":9223372036854775808}"#,
    ))
    .unwrap_err();
    assert_eq!(error.code(), "DecodeError");
}

#[test]
fn swr_tag_key_case_and_missing_name() {
    let tag = swr::decode_tag(&HttpResponse::new(200, &[], r#"{"tag":"lower"}"#)).unwrap();
    assert_eq!(tag.tag, "lower");
    let error = swr::decode_tag(&HttpResponse::new(200, &[], r#"{"id":1}"#)).unwrap_err();
    assert_eq!(error.code(), "DecodeError");
    let error = swr::decode_tag_page(&HttpResponse::new(200, &[], r#"{"Tag":"x"}"#), None);
    // A single object where a list is expected counts as a one-item list.
    assert_eq!(error.unwrap().tags.len(), 1);
}

#[test]
fn swr_empty_success_answers() {
    assert!(swr::decode_empty("DeleteRepoTag", &HttpResponse::new(204, &[], "")).is_ok());
    assert!(swr::decode_empty("CreateRepoTag", &HttpResponse::new(201, &[], "")).is_ok());
    assert!(swr::decode_empty("CreateRepoTag", &HttpResponse::new(200, &[], "{}")).is_ok());
}

#[test]
fn swr_error_bodies_in_every_documented_shape() {
    let id = headers(&[("X-Request-Id", "swr-req-1")]);
    let cases = [
        (
            404,
            r#"{"errorCode":"SVCSTG.SWR.4040010","errorMessage":"Repository not found"}"#,
            "SVCSTG.SWR.4040010",
            "Repository not found",
        ),
        (
            401,
            r#"{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information","request_id":"gw-9"}"#,
            "APIGW.0301",
            "Incorrect IAM authentication information",
        ),
        (
            401,
            r#"{"error":{"code":401,"message":"The request you have made requires authentication.","title":"Unauthorized"}}"#,
            "401",
            "The request you have made requires authentication.",
        ),
        (
            409,
            r#"{"errorMessage":"tag exists"}"#,
            "Conflict",
            "tag exists",
        ),
    ];
    for (status, body, code, message) in cases {
        let error =
            swr::decode_empty("DeleteRepoTag", &HttpResponse::new(status, &id, body)).unwrap_err();
        let api = error.api().unwrap();
        assert_eq!(
            (api.code.as_str(), api.message.as_str(), api.http_status),
            (code, message, status)
        );
        assert_eq!(api.request_id.as_deref(), Some("swr-req-1"));
    }
    let api = swr::api_error(&HttpResponse::new(
        401,
        &[],
        r#"{"error_code":"APIGW.0301","error_msg":"x","request_id":"gw-9"}"#,
    ));
    assert_eq!(api.request_id.as_deref(), Some("gw-9"));
    assert_api_error(
        &swr::api_error(&HttpResponse::new(500, &[], "upstream reset")),
        "InternalError",
        &["upstream reset"],
    );
}

// ---------------------------------------------------------------------------
// SWR: a call's page (the paging state the core reads from the exchange)
// ---------------------------------------------------------------------------

/// The page a `ListRepositoryTags` call gives for `request` and an answer
/// of `tags` tags with `Content-Range: range`.
fn swr_call_page(request: &HttpRequest, tags: usize, range: Option<&str>) -> Value {
    let body = format!("[{}]", vec![r#"{"Tag":"v"}"#; tags].join(","));
    let headers: Vec<(String, String)> = range
        .map(|r| vec![("Content-Range".to_string(), r.to_string())])
        .unwrap_or_default();
    let operation = swr::API.operation("ListRepositoryTags").unwrap();
    let (page, _) = swr::API
        .answer(operation, request, &HttpResponse::new(200, &headers, &body))
        .unwrap();
    page
}

#[test]
fn swr_call_pages_by_the_window_it_asked_for() {
    let separate = swr_list(&[("offset", Value::Int(0)), ("limit", Value::Int(2))]).unwrap();
    let page = swr_call_page(&separate, 2, Some("0-1/5"));
    assert_eq!(page.get("total"), Some(&Value::Int(5)));
    assert_eq!(page.get("next_offset"), Some(&Value::Int(2)));
    assert_eq!(page.get("content_range"), Some(&Value::from("0-1/5")));
    assert_eq!(
        page.get("tags")
            .and_then(Value::as_array)
            .map(<[Value]>::len),
        Some(2)
    );

    // The filter form carries the same window.
    let filter = swr_list(&[("filter", "offset::4|limit::2".into())]).unwrap();
    let last = swr_call_page(&filter, 1, Some("4-4/5"));
    assert_eq!(last.get("next_offset"), Some(&Value::Null));

    // No window asked for, no next page; no header, no total.
    let all = swr_call_page(&swr_list(&[]).unwrap(), 3, None);
    assert_eq!(all.get("next_offset"), Some(&Value::Null));
    assert_eq!(all.get("total"), Some(&Value::Null));
    assert_eq!(all.get("content_range"), Some(&Value::Null));
}

#[test]
fn swr_endpoints_are_made_only_of_region_names() {
    assert_eq!(
        swr::endpoint_for_region("eu-nl").unwrap(),
        "https://swr-api.eu-nl.otc.t-systems.com"
    );
    for bad in ["", "EU-DE", "eu_de", "eu-de.evil.example/", "eu de"] {
        let error = swr::endpoint_for_region(bad).unwrap_err();
        assert_eq!(fault(&error), ("InvalidParameter", "region"), "{bad:?}");
    }
}
