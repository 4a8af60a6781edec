//! The Scaleway and SWR tag APIs and the common tag interface: every
//! builder with valid and invalid input, the decoders on the shapes the
//! references document, `Content-Range` paging, 64-bit sizes, error bodies,
//! and the multi-step calls of the common interface.

mod common;

use common::{fault, query};
use serde_json::json;
use tagdeck::providers::http::{HttpMethod, HttpRequest, HttpResponse};
use tagdeck::providers::scaleway::{self, Scaleway, Status};
use tagdeck::providers::swr::{self, ContentRange, Swr};
use tagdeck::providers::tags::{
    AlibabaRepo, Outcome, Paging, Provider, Registry, ScalewayImage, Sort, SortKey, SwrRepo, Tag,
    TagCall, TagRef, TagRequest,
};
use tagdeck::providers::AuthToken;
use tagdeck::{ApiError, Error, Value};

const TOKEN: &str = "5ad1b0a8-93f6-4bb1-9e43-bd8b7a7e1f00";
const IMAGE: &str = "8f0c2a6e-5d3b-4c1a-9e7f-0a1b2c3d4e5f";
const TAG_ID: &str = "1d2e3f40-5a6b-4c7d-8e9f-a0b1c2d3e4f5";

fn scw() -> Scaleway {
    Scaleway::new("fr-par", AuthToken::new(TOKEN).unwrap()).unwrap()
}

/// A `GetTag` or `DeleteTag` request (`force` when given).
fn scw_tag(operation: &str, tag_id: &str, force: Option<bool>) -> Result<HttpRequest, Error> {
    scw().request(
        operation,
        &[("tag_id", Value::from(tag_id)), ("force", opt(force))],
    )
}

fn otc() -> Swr {
    Swr::new(AuthToken::new("MIIT-iam-token-value").unwrap())
}

fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// An optional parameter: `None` is `Null`, which requests leave out.
fn opt<T: Into<Value>>(value: Option<T>) -> Value {
    value.map_or(Value::Null, Into::into)
}

// ---------------------------------------------------------------------------
// Scaleway: requests
// ---------------------------------------------------------------------------

#[test]
fn scaleway_list_tags_request() {
    let request = scw()
        .request(
            "ListTags",
            &[
                ("image_id", IMAGE.into()),
                ("page", Value::Int(2)),
                ("page_size", Value::Int(100)),
                ("order_by", "name_desc".into()),
                ("name", "v 1".into()),
            ],
        )
        .unwrap();
    assert_eq!(request.method, HttpMethod::Get);
    assert_eq!(
        request.path,
        format!("/registry/v1/regions/fr-par/images/{IMAGE}/tags")
    );
    assert_eq!(
        query(&request),
        [
            ("page", "2"),
            ("page_size", "100"),
            ("order_by", "name_desc"),
            ("name", "v 1")
        ]
    );
    assert_eq!(request.header("X-Auth-Token"), Some(TOKEN));
    assert_eq!(request.body, None);
    assert_eq!(
        request.url(scaleway::DEFAULT_ENDPOINT),
        format!("https://api.scaleway.com/registry/v1/regions/fr-par/images/{IMAGE}/tags?page=2&page_size=100&order_by=name_desc&name=v%201")
    );
}

#[test]
fn scaleway_list_tags_sends_only_what_is_given() {
    let request = scw()
        .request("ListTags", &[("image_id", Value::from(IMAGE))])
        .unwrap();
    assert!(request.query.is_empty());
    assert_eq!(request.path_and_query(), request.path);
}

#[test]
fn scaleway_page_bounds_are_checked_before_sending() {
    let list = |page: Option<i64>, page_size: Option<i64>| {
        scw().request(
            "ListTags",
            &[
                ("image_id", IMAGE.into()),
                ("page", opt(page)),
                ("page_size", opt(page_size)),
            ],
        )
    };
    assert!(list(Some(1), Some(1)).is_ok());
    assert!(list(Some(1), Some(100)).is_ok());
    let error = list(None, Some(101)).unwrap_err();
    assert_eq!(fault(&error), ("InvalidParameter", "page_size"));
    assert!(error.message().contains("between 1 and 100"), "{error}");
    assert_eq!(
        fault(&list(None, Some(0)).unwrap_err()),
        ("InvalidParameter", "page_size")
    );
    assert_eq!(
        fault(&list(Some(0), None).unwrap_err()),
        ("InvalidParameter", "page")
    );
}

#[test]
fn scaleway_order_by_is_the_apis_enumeration() {
    for good in scaleway::TAG_ORDERS {
        assert!(scw()
            .request(
                "ListTags",
                &[("image_id", IMAGE.into()), ("order_by", (*good).into())]
            )
            .is_ok());
    }
    // The reference's prose also names these; the API's enumeration does not.
    for bad in ["region", "status_asc", "status_desc", "NAME_ASC", ""] {
        let error = scw()
            .request(
                "ListTags",
                &[("image_id", IMAGE.into()), ("order_by", bad.into())],
            )
            .unwrap_err();
        assert_eq!(fault(&error), ("InvalidParameter", "order_by"), "{bad}");
        assert!(error.message().contains("created_at_asc"), "{error}");
    }
}

#[test]
fn scaleway_ids_must_be_uuids() {
    for bad in ["", "latest", "8f0c2a6e5d3b4c1a9e7f0a1b2c3d4e5f", "../tags"] {
        let error = scw()
            .request("ListTags", &[("image_id", Value::from(bad))])
            .unwrap_err();
        assert_eq!(fault(&error), ("InvalidParameter", "image_id"), "{bad:?}");
        assert_eq!(
            fault(&scw_tag("GetTag", bad, None).unwrap_err()),
            ("InvalidParameter", "tag_id")
        );
        assert_eq!(
            fault(&scw_tag("DeleteTag", bad, None).unwrap_err()),
            ("InvalidParameter", "tag_id")
        );
    }
}

#[test]
fn scaleway_get_and_delete_requests() {
    let get = scw_tag("GetTag", TAG_ID, None).unwrap();
    assert_eq!(get.method, HttpMethod::Get);
    assert_eq!(
        get.path,
        format!("/registry/v1/regions/fr-par/tags/{TAG_ID}")
    );
    assert!(get.query.is_empty());

    let delete = scw_tag("DeleteTag", TAG_ID, None).unwrap();
    assert_eq!(delete.method, HttpMethod::Delete);
    assert_eq!(delete.path, get.path);
    assert!(delete.query.is_empty());
    let forced = scw_tag("DeleteTag", TAG_ID, Some(true)).unwrap();
    assert_eq!(query(&forced), [("force", "true")]);
    assert_eq!(
        query(&scw_tag("DeleteTag", TAG_ID, Some(false)).unwrap()),
        [("force", "false")]
    );
}

#[test]
fn scaleway_namespace_and_image_listings() {
    let namespaces = scw()
        .request(
            "ListNamespaces",
            &[
                ("page", Value::Int(1)),
                ("page_size", Value::Int(50)),
                ("order_by", "description_desc".into()),
                ("name", "team".into()),
                ("project_id", IMAGE.into()),
            ],
        )
        .unwrap();
    assert_eq!(namespaces.path, "/registry/v1/regions/fr-par/namespaces");
    assert_eq!(
        query(&namespaces),
        [
            ("page", "1"),
            ("page_size", "50"),
            ("order_by", "description_desc"),
            ("project_id", IMAGE),
            ("name", "team"),
        ]
    );
    let images = scw()
        .request(
            "ListImages",
            &[("namespace_id", IMAGE.into()), ("name", "web".into())],
        )
        .unwrap();
    assert_eq!(images.path, "/registry/v1/regions/fr-par/images");
    assert_eq!(query(&images), [("namespace_id", IMAGE), ("name", "web")]);
    // Images sort only by creation time and name.
    let error = scw()
        .request(
            "ListImages",
            &[("order_by", Value::from("description_asc"))],
        )
        .unwrap_err();
    assert_eq!(fault(&error), ("InvalidParameter", "order_by"));
    let error = scw()
        .request("ListImages", &[("namespace_id", Value::from("team"))])
        .unwrap_err();
    assert_eq!(fault(&error), ("InvalidParameter", "namespace_id"));
}

#[test]
fn scaleway_generic_requests_take_wire_or_camel_case_names() {
    let request = scw()
        .request(
            "ListTags",
            &[
                ("imageId", Value::from(IMAGE)),
                ("pageSize", Value::Int(10)),
                ("orderBy", Value::from("created_at_desc")),
                ("region", Value::from("nl-ams")),
            ],
        )
        .unwrap();
    assert_eq!(
        request.path,
        format!("/registry/v1/regions/nl-ams/images/{IMAGE}/tags")
    );
    assert_eq!(
        query(&request),
        [("page_size", "10"), ("order_by", "created_at_desc")]
    );
    // Whole numbers given as floats (JS numbers) or decimal text are fine.
    assert!(scw()
        .request(
            "ListTags",
            &[
                ("image_id", Value::from(IMAGE)),
                ("page", Value::Float(3.0))
            ]
        )
        .is_ok());
    assert!(scw()
        .request(
            "ListTags",
            &[("image_id", Value::from(IMAGE)), ("page", Value::from("3"))]
        )
        .is_ok());
}

#[test]
fn a_fractional_integer_is_shown_as_javascript_spells_it() {
    let error = scw()
        .request(
            "ListTags",
            &[
                ("image_id", Value::from(IMAGE)),
                ("page", Value::Float(2.5e-7)),
            ],
        )
        .unwrap_err();
    assert!(
        error.message().ends_with("expected an integer, got 2.5e-7"),
        "{}",
        error.message()
    );
}

#[test]
fn scaleway_generic_requests_refuse_bad_input_naming_it() {
    type Case = (Vec<(&'static str, Value)>, &'static str, &'static str);
    let cases: Vec<Case> = vec![
        (
            vec![("image_id", Value::from(IMAGE)), ("pgae", Value::Int(1))],
            "InvalidParameter",
            "pgae",
        ),
        (
            vec![
                ("image_id", Value::from(IMAGE)),
                ("page", Value::Float(1.5)),
            ],
            "InvalidParameter",
            "page",
        ),
        (
            vec![
                ("image_id", Value::from(IMAGE)),
                ("page", Value::Bool(true)),
            ],
            "InvalidParameter",
            "page",
        ),
        (
            vec![
                ("image_id", Value::from(IMAGE)),
                ("page", Value::from("two")),
            ],
            "InvalidParameter",
            "page",
        ),
        (
            vec![("image_id", Value::from(IMAGE)), ("name", Value::Int(5))],
            "InvalidParameter",
            "name",
        ),
        (
            vec![
                ("image_id", Value::from(IMAGE)),
                ("page", Value::Int(1)),
                ("page", Value::Int(2)),
            ],
            "InvalidParameter",
            "page",
        ),
        (vec![], "MissingParameter", "image_id"),
        (
            vec![("image_id", Value::Null)],
            "MissingParameter",
            "image_id",
        ),
        (
            vec![
                ("image_id", Value::from(IMAGE)),
                ("region", Value::from("FR PAR")),
            ],
            "InvalidParameter",
            "region",
        ),
    ];
    for (params, code, name) in cases {
        let error = scw().request("ListTags", &params).unwrap_err();
        assert_eq!(fault(&error), (code, name), "{params:?}");
    }
    let error = scw()
        .request(
            "DeleteTag",
            &[
                ("tag_id", Value::from(TAG_ID)),
                ("force", Value::from("yes")),
            ],
        )
        .unwrap_err();
    assert_eq!(fault(&error), ("InvalidParameter", "force"));
    let error = scw().request::<&str>("CreateTag", &[]).unwrap_err();
    assert_eq!(error.code(), "InvalidApi.NotFound");
}

#[test]
fn scaleway_configuration_is_checked() {
    let error = Scaleway::new("Paris", AuthToken::new(TOKEN).unwrap()).unwrap_err();
    assert_eq!(fault(&error), ("InvalidParameter", "region"));
    assert_eq!(
        fault(&AuthToken::new("").unwrap_err()),
        ("MissingParameter", "X-Auth-Token")
    );
    assert_eq!(
        fault(&AuthToken::new("a b").unwrap_err()),
        ("InvalidParameter", "X-Auth-Token")
    );
}

#[test]
fn secrets_never_show_in_debug() {
    let request = scw_tag("GetTag", TAG_ID, None).unwrap();
    let registry = Registry::Scaleway(ScalewayImage {
        client: scw(),
        image_id: IMAGE.into(),
    });
    let call = registry.get(&TagRef::named("latest")).unwrap();
    let shown = format!("{request:?} {:?} {registry:?} {call:?} {:#?}", scw(), otc());
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(!shown.contains("MIIT-iam-token-value"), "{shown}");
}

// ---------------------------------------------------------------------------
// Scaleway: decoders
// ---------------------------------------------------------------------------

const SCW_TAG: &str = r#"{
  "id": "1d2e3f40-5a6b-4c7d-8e9f-a0b1c2d3e4f5",
  "name": "latest",
  "image_id": "8f0c2a6e-5d3b-4c1a-9e7f-0a1b2c3d4e5f",
  "status": "ready",
  "digest": "sha256:57b605845a6367c34bfb6ea6477f16852f59aa1861a2b51d10ab77ae0a1dc9c3",
  "created_at": "2024-03-01T10:20:30.123456Z",
  "updated_at": "2024-03-02T00:00:00Z"
}"#;

#[test]
fn scaleway_tag_decodes() {
    let tag = scaleway::decode_tag(&HttpResponse::new(200, &[], SCW_TAG)).unwrap();
    assert_eq!(tag.id, TAG_ID);
    assert_eq!(tag.name, "latest");
    assert_eq!(tag.image_id, IMAGE);
    assert_eq!(tag.status, Status::Ready);
    assert!(tag.digest.starts_with("sha256:57b6"));
    assert_eq!(
        tag.created_at.as_deref(),
        Some("2024-03-01T10:20:30.123456Z")
    );
    assert_eq!(tag.updated_at.as_deref(), Some("2024-03-02T00:00:00Z"));
}

#[test]
fn scaleway_tag_list_decodes_with_every_status() {
    let tags: Vec<serde_json::Value> = scaleway::STATUSES
        .iter()
        .enumerate()
        .map(|(i, status)| {
            json!({"id": format!("00000000-0000-0000-0000-00000000000{i}"), "name": format!("t{i}"),
                   "image_id": IMAGE, "status": status, "digest": "sha256:ab", "created_at": null,
                   "updated_at": "2024-01-01T00:00:00Z", "unexpected_new_field": [1, 2]})
        })
        .collect();
    let body = json!({"tags": tags, "total_count": 42}).to_string();
    let list = scaleway::decode_tag_list(&HttpResponse::new(200, &[], &body)).unwrap();
    assert_eq!(list.total_count, 42);
    let statuses: Vec<&str> = list.tags.iter().map(|t| t.status.as_str()).collect();
    assert_eq!(statuses, scaleway::STATUSES);
    assert_eq!(list.tags[0].created_at, None);

    let empty = scaleway::decode_tag_list(&HttpResponse::new(
        200,
        &[],
        r#"{"tags":[],"total_count":0}"#,
    ))
    .unwrap();
    assert!(empty.tags.is_empty());
}

#[test]
fn scaleway_malformed_answers_are_decode_errors() {
    for body in [
        "",
        "not json",
        r#"{"tags":[]}"#,
        r#"{"tags":[{"name":"x"}],"total_count":1}"#,
        r#"{"tags":"x","total_count":1}"#,
        r#"{"tags":[],"total_count":-1}"#,
    ] {
        let error = scaleway::decode_tag_list(&HttpResponse::new(200, &[], body)).unwrap_err();
        assert_eq!(error.code(), "DecodeError", "{body}");
    }
}

#[test]
fn scaleway_images_and_namespaces_decode_64_bit_sizes_exactly() {
    let body =
        json!({"images": [{"id": IMAGE, "name": "web", "namespace_id": TAG_ID, "status": "ready",
        "status_message": null, "visibility": "inherit", "size": 9_007_199_254_740_993_i64,
        "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z",
        "tags": ["latest", "v1"]}], "total_count": 1})
        .to_string();
    let images = scaleway::decode("ListImages", &HttpResponse::new(200, &[], &body)).unwrap();
    let image = &images.get("images").and_then(Value::as_array).unwrap()[0];
    assert_eq!(image.get("size"), Some(&Value::Int(9_007_199_254_740_993)));
    assert_eq!(
        image.get("tags"),
        Some(&Value::Array(vec!["latest".into(), "v1".into()]))
    );
    assert_eq!(image.get("visibility"), Some(&Value::from("inherit")));

    let body = json!({"namespaces": [{"id": TAG_ID, "name": "team", "description": "d",
        "organization_id": IMAGE, "project_id": IMAGE, "status": "ready", "status_message": "",
        "endpoint": "rg.fr-par.scw.cloud/team", "is_public": false, "size": i64::MAX,
        "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z",
        "image_count": 3, "region": "fr-par"}], "total_count": 1})
    .to_string();
    let namespaces =
        scaleway::decode("ListNamespaces", &HttpResponse::new(200, &[], &body)).unwrap();
    let team = &namespaces
        .get("namespaces")
        .and_then(Value::as_array)
        .unwrap()[0];
    assert_eq!(team.get("size"), Some(&Value::Int(i64::MAX)));
    assert_eq!(
        team.get("endpoint"),
        Some(&Value::from("rg.fr-par.scw.cloud/team"))
    );
    assert_eq!(team.get("image_count"), Some(&Value::Int(3)));
}

/// `api` has `code`, and its message says each of `fragments`.
fn assert_api_error(api: &ApiError, code: &str, fragments: &[&str]) {
    assert_eq!(api.code, code);
    for fragment in fragments {
        assert!(
            api.message.contains(fragment),
            "{fragment:?} is not in {:?}",
            api.message
        );
    }
}

#[test]
fn scaleway_errors_become_api_errors() {
    let request_id = headers(&[("X-Request-Id", "req-42")]);
    let not_found = r#"{"message":"resource is not found","resource":"tag","resource_id":"1d2e3f40-5a6b-4c7d-8e9f-a0b1c2d3e4f5","type":"not_found"}"#;
    let error = scaleway::decode_tag(&HttpResponse::new(404, &request_id, not_found)).unwrap_err();
    let api = error.api().expect("an API error");
    assert_api_error(api, "not_found", &["resource: tag", TAG_ID]);
    assert!(
        api.message.starts_with("resource is not found"),
        "{}",
        api.message
    );
    assert_eq!(api.http_status, 404);
    assert_eq!(api.request_id.as_deref(), Some("req-42"));
    assert!(!error.retryable());

    let invalid = r#"{"details":[{"argument_name":"page_size","reason":"constraint","help_message":"must be lower or equal to 100"}],"message":"invalid argument(s)","type":"invalid_arguments"}"#;
    assert_api_error(
        &scaleway::api_error(&HttpResponse::new(400, &[], invalid)),
        "invalid_arguments",
        &["page_size must be lower or equal to 100"],
    );

    let denied = r#"{"message":"authentication is denied","method":"api_key","reason":"invalid_argument","type":"denied_authentication"}"#;
    assert_api_error(
        &scaleway::api_error(&HttpResponse::new(401, &[], denied)),
        "denied_authentication",
        &["method: api_key"],
    );

    let throttled = r#"{"message":"too many requests","type":"too_many_requests"}"#;
    let error = scaleway::decode_tag_list(&HttpResponse::new(429, &[], throttled)).unwrap_err();
    assert!(error.retryable(), "HTTP 429 must be retryable");

    // A gateway's page is not an error document: the status speaks.
    let error = scaleway::decode_tag(&HttpResponse::new(
        502,
        &request_id,
        "<html>Bad Gateway</html>",
    ))
    .unwrap_err();
    let api = error.api().unwrap();
    assert_eq!(api.http_status, 502);
    assert!(api.message.contains("Bad Gateway"));
    assert_eq!(api.request_id.as_deref(), Some("req-42"));
    assert!(error.retryable());

    // Only a message: the code comes from the status.
    let api = scaleway::api_error(&HttpResponse::new(403, &[], r#"{"message":"nope"}"#));
    assert_eq!(
        (api.code.as_str(), api.message.as_str()),
        ("permissions_denied", "nope")
    );
}

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

fn swr_tags_json(names: impl IntoIterator<Item = String>) -> String {
    let tags: Vec<serde_json::Value> = names
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            json!({"id": i, "repo_id": 7, "Tag": name, "image_id": "741f", "manifest": "",
                   "digest": format!("sha256:{i:064}"), "schema": 2,
                   "path": format!("swr.eu-de.otc.t-systems.com/group/busybox:{name}"),
                   "internal_path": "", "size": 1000 + i, "is_trusted": false,
                   "created": "2018-07-06T06:18:55Z", "updated": "2018-07-06T06:18:55Z",
                   "deleted": null, "domain_id": "d", "tag_type": 0})
        })
        .collect();
    serde_json::Value::Array(tags).to_string()
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

/// The example answer of the SWR API reference ("Querying the List of
/// Image Repository Tags"), verbatim.
const SWR_REFERENCE_SAMPLE: &str = r#"[
{
"id": 0,
"repo_id": 0,
"Tag": "latest",
"image_id": "741f24a795d6d93d7c6edd11780d63c13e16c39615dd9d223378a57a836f2ee6",
"manifest": "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\",\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"size\":1862,\"digest\":\"sha256:741f24a795d6d93d7c6edd11780d63c13e16c39615dd9d223378a57a836f2ee6\"},\"layers\":[{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"size\":1292800,\"digest\":\"sha256:8ac8bfaff55af948c796026ee867448c5b5b5d9dd3549f4006d9759b25d4a893\"},{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"size\":10240,\"digest\":\"sha256:77ddbf3a9fe11e81761a0f9df43a28e3e6f29bbb53c0c8cf71cd7efa69729aed\"}]}",
"digest": "sha256:57b605845a6367c34bfb6ea6477f16852f59aa1861a2b51d10ab77ae0a1dc9c3",
"schema": 2,
"path": "{Repository address}/group/busybox:latest",
"internal_path": "10.125.0.198:20202/namespace/busybox:latest",
"size": 1304902,
"is_trusted": false,
"created": "2018-07-06T06:18:55Z",
"updated": "2018-07-06T06:18:55Z",
"deleted": null,
"domain_id": "0503dda878000fed0f75c0096d70a960",
"tag_type": 0
}
]"#;

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
// The common interface
// ---------------------------------------------------------------------------

fn alibaba() -> Registry {
    Registry::Alibaba(AlibabaRepo {
        instance_id: "cri-abc".into(),
        region_id: "cn-hangzhou".into(),
        repo_id: "crr-123".into(),
        namespace_name: Some("team".into()),
        repo_name: Some("web".into()),
    })
}

fn scaleway_image() -> Registry {
    Registry::Scaleway(ScalewayImage {
        client: scw(),
        image_id: IMAGE.into(),
    })
}

fn swr_repo() -> Registry {
    Registry::Swr(SwrRepo {
        client: otc(),
        namespace: "group".into(),
        repository: "busybox".into(),
    })
}

fn rpc(call: &TagCall) -> Vec<(&str, &str)> {
    match call.request() {
        TagRequest::Rpc(prepared) => prepared
            .params
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect(),
        other => panic!("expected an RPC request, got {other:?}"),
    }
}

fn http(call: &TagCall) -> &HttpRequest {
    match call.request() {
        TagRequest::Http(request) => request,
        other => panic!("expected an HTTP request, got {other:?}"),
    }
}

fn done(call: &mut TagCall, status: u16, head: &[(&str, &str)], body: &str) -> Outcome {
    let head = headers(head);
    call.receive(&HttpResponse::new(status, &head, body))
        .unwrap()
        .expect("the call ends here")
}

fn follow(call: &mut TagCall, status: u16, body: &str) {
    assert_eq!(
        call.receive(&HttpResponse::new(status, &[], body)).unwrap(),
        None,
        "a follow-up request is expected"
    );
}

#[test]
fn alibaba_list_page_through_the_common_interface() {
    let mut call = alibaba()
        .list(
            Paging {
                page: 2,
                page_size: 2,
            },
            None,
        )
        .unwrap();
    assert_eq!(
        rpc(&call),
        [
            ("Action", "ListRepoTag"),
            ("InstanceId", "cri-abc"),
            ("RepoId", "crr-123"),
            ("PageNo", "2"),
            ("PageSize", "2")
        ]
    );
    let body = r#"{"RequestId":"R","IsSuccess":true,"Code":"success","PageNo":2,"PageSize":2,"TotalCount":"5",
        "Images":[{"Tag":"v2","Digest":"sha256:aa","ImageId":"img2","Status":"NORMAL","ImageSize":9007199254740993,
                   "ImageCreate":1530857935000,"ImageUpdate":"1530857936007"},
                  {"Tag":"v3","ImageSize":1}]}"#;
    let Outcome::Page(page) = done(&mut call, 200, &[], body) else {
        panic!("a page")
    };
    assert_eq!(page.total, Some(5));
    assert_eq!(
        page.next,
        Some(Paging {
            page: 3,
            page_size: 2
        })
    );
    let tag = &page.tags[0];
    assert_eq!(tag.provider, Provider::Alibaba);
    assert_eq!(tag.name, "v2");
    assert_eq!(tag.size, Some(9_007_199_254_740_993));
    assert_eq!(tag.created_ms, Some(1_530_857_935_000));
    assert_eq!(tag.created_at.as_deref(), Some("2018-07-06T06:18:55Z"));
    assert_eq!(tag.updated_at.as_deref(), Some("2018-07-06T06:18:56.007Z"));
    assert_eq!(tag.status.as_deref(), Some("NORMAL"));
    assert_eq!(tag.image_id.as_deref(), Some("img2"));
    assert_eq!(page.tags[1].digest, None);
}

#[test]
fn alibaba_get_delete_and_create_through_the_common_interface() {
    let mut get = alibaba().get(&TagRef::named("v1")).unwrap();
    assert_eq!(rpc(&get)[0], ("Action", "GetRepoTag"));
    assert!(rpc(&get).contains(&("Tag", "v1")));
    let hex = "57b605845a6367c34bfb6ea6477f16852f59aa1861a2b51d10ab77ae0a1dc9c3";
    let body = format!(r#"{{"RequestId":"R","Tag":"v1","Digest":"{hex}","ImageSize":3}}"#);
    let Outcome::Tag(tag) = done(&mut get, 200, &[], &body) else {
        panic!("a tag")
    };
    assert_eq!((tag.name.as_str(), tag.size), ("v1", Some(3)));
    // Alibaba's bare hex digest gets the algorithm the other registries show.
    assert_eq!(tag.digest, Some(format!("sha256:{hex}")));

    let mut delete = alibaba().delete(&TagRef::named("v1"), false).unwrap();
    assert_eq!(rpc(&delete)[0], ("Action", "DeleteRepoTag"));
    assert_eq!(
        done(
            &mut delete,
            200,
            &[],
            r#"{"RequestId":"R","IsSuccess":true}"#
        ),
        Outcome::Deleted(None)
    );

    let mut create = alibaba().create("v1", "stable", false).unwrap();
    assert_eq!(
        rpc(&create),
        [
            ("Action", "CreateRepoTag"),
            ("InstanceId", "cri-abc"),
            ("NamespaceName", "team"),
            ("RepoName", "web"),
            ("FromTag", "v1"),
            ("ToTag", "stable")
        ]
    );
    follow(&mut create, 200, r#"{"RequestId":"R","IsSuccess":true}"#);
    assert_eq!(rpc(&create)[0], ("Action", "GetRepoTag"));
    assert!(rpc(&create).contains(&("Tag", "stable")));
    let Outcome::Tag(tag) = done(
        &mut create,
        200,
        &[],
        r#"{"Tag":"stable","Digest":"sha256:bb"}"#,
    ) else {
        panic!("a tag")
    };
    assert_eq!(tag.name, "stable");
}

#[test]
fn alibaba_refusals_and_errors() {
    assert_eq!(
        fault(&alibaba().create("v1", "stable", true).unwrap_err()),
        ("InvalidParameter", "overwrite")
    );
    assert_eq!(
        fault(&alibaba().create("v1", "no/slash", false).unwrap_err()),
        ("InvalidParameter", "ToTag")
    );
    let nameless = Registry::Alibaba(AlibabaRepo {
        namespace_name: None,
        ..match alibaba() {
            Registry::Alibaba(repo) => repo,
            _ => unreachable!(),
        }
    });
    assert_eq!(
        fault(&nameless.create("v1", "v2", false).unwrap_err()),
        ("MissingParameter", "NamespaceName")
    );
    let mut delete = alibaba().delete(&TagRef::named("v1"), false).unwrap();
    let error = delete
        .receive(&HttpResponse::new(
            200,
            &[],
            r#"{"RequestId":"R","IsSuccess":false,"Code":"TAG_NOT_EXIST"}"#,
        ))
        .unwrap_err();
    assert_eq!(error.code(), "TAG_NOT_EXIST");
    assert_eq!(
        fault(
            &alibaba()
                .list(
                    Paging {
                        page: 1,
                        page_size: 101
                    },
                    None
                )
                .unwrap_err()
        ),
        ("InvalidParameter", "pageSize")
    );
    assert_eq!(
        fault(
            &alibaba()
                .list(
                    Paging::first(10),
                    Some(Sort {
                        key: SortKey::Name,
                        descending: false
                    })
                )
                .unwrap_err()
        ),
        ("InvalidParameter", "sort")
    );
}

#[test]
fn scaleway_through_the_common_interface() {
    let mut list = scaleway_image()
        .list(
            Paging {
                page: 1,
                page_size: 1,
            },
            Some(Sort {
                key: SortKey::Name,
                descending: true,
            }),
        )
        .unwrap();
    assert_eq!(
        query(http(&list)),
        [("page", "1"), ("page_size", "1"), ("order_by", "name_desc")]
    );
    let body = format!(r#"{{"tags":[{SCW_TAG}],"total_count":2}}"#);
    let Outcome::Page(page) = done(&mut list, 200, &[], &body) else {
        panic!("a page")
    };
    assert_eq!(
        page.next,
        Some(Paging {
            page: 2,
            page_size: 1
        })
    );
    let tag = &page.tags[0];
    assert_eq!(tag.id.as_deref(), Some(TAG_ID));
    assert_eq!(tag.status.as_deref(), Some("ready"));
    assert_eq!(tag.size, None);
    assert_eq!(tag.created_ms, Some(1_709_288_430_123));

    // Known id: one request each.
    let mut get = scaleway_image().get(&TagRef::from(tag)).unwrap();
    assert_eq!(
        http(&get).path,
        format!("/registry/v1/regions/fr-par/tags/{TAG_ID}")
    );
    assert!(matches!(done(&mut get, 200, &[], SCW_TAG), Outcome::Tag(t) if t.name == "latest"));
    let mut delete = scaleway_image().delete(&TagRef::from(tag), false).unwrap();
    assert_eq!(http(&delete).method, HttpMethod::Delete);
    assert!(http(&delete).query.is_empty(), "never forced unless asked");
    assert!(
        matches!(done(&mut delete, 200, &[], SCW_TAG), Outcome::Deleted(Some(t)) if t.id.as_deref() == Some(TAG_ID))
    );

    // Name only: look the id up (exact name), then act.
    let mut get = scaleway_image().get(&TagRef::named("latest")).unwrap();
    assert_eq!(query(http(&get)), [("name", "latest")]);
    assert!(
        matches!(done(&mut get, 200, &[], &body), Outcome::Tag(t) if t.id.as_deref() == Some(TAG_ID))
    );

    let mut delete = scaleway_image()
        .delete(&TagRef::named("latest"), true)
        .unwrap();
    assert_eq!(http(&delete).method, HttpMethod::Get);
    follow(&mut delete, 200, &body);
    assert_eq!(http(&delete).method, HttpMethod::Delete);
    assert_eq!(
        http(&delete).path,
        format!("/registry/v1/regions/fr-par/tags/{TAG_ID}")
    );
    assert!(matches!(
        done(&mut delete, 200, &[], SCW_TAG),
        Outcome::Deleted(Some(_))
    ));

    // A name that is not there.
    let mut get = scaleway_image().get(&TagRef::named("nope")).unwrap();
    let error = get
        .receive(&HttpResponse::new(
            200,
            &[],
            r#"{"tags":[],"total_count":0}"#,
        ))
        .unwrap_err();
    assert_eq!(error.code(), "not_found");
    assert!(error.message().contains("nope"));

    // No API to create a tag: refused before any request.
    assert_eq!(
        scaleway_image()
            .create("latest", "stable", false)
            .unwrap_err()
            .code(),
        "InvalidApi.NotFound"
    );
    assert!(!scaleway_image().capabilities().create);
    // Scaleway cannot sort by update time.
    assert_eq!(
        fault(
            &scaleway_image()
                .list(
                    Paging::first(10),
                    Some(Sort {
                        key: SortKey::Updated,
                        descending: true
                    })
                )
                .unwrap_err()
        ),
        ("InvalidParameter", "sort")
    );
}

#[test]
fn swr_lists_every_page_through_content_range() {
    let registry = swr_repo();
    let mut paging = Some(Paging::first(100));
    let mut seen: Vec<String> = Vec::new();
    let mut requests = 0;
    while let Some(current) = paging {
        let mut call = registry.list(current, None).unwrap();
        let offset = (current.page - 1) * 100;
        assert_eq!(
            query(http(&call)),
            [("offset", offset.to_string().as_str()), ("limit", "100")]
        );
        let names = (offset..(offset + 100).min(250)).map(|i| format!("v{i}"));
        let body = swr_tags_json(names);
        let count = (250 - offset).min(100);
        let range = format!("{offset}-{}/250", offset + count - 1);
        let Outcome::Page(page) = done(&mut call, 200, &[("Content-Range", &range)], &body) else {
            panic!("a page")
        };
        assert_eq!(page.total, Some(250));
        seen.extend(page.tags.into_iter().map(|t| t.name));
        paging = page.next;
        requests += 1;
    }
    assert_eq!(requests, 3);
    assert_eq!(seen.len(), 250);
    assert_eq!(seen[249], "v249");
}

#[test]
fn swr_through_the_common_interface() {
    let mut get = swr_repo().get(&TagRef::named("latest")).unwrap();
    assert_eq!(
        http(&get).path,
        "/v2/manage/namespaces/group/repos/busybox/tags/latest"
    );
    let one = SWR_REFERENCE_SAMPLE
        .trim()
        .trim_start_matches('[')
        .trim_end_matches(']');
    let Outcome::Tag(tag) = done(&mut get, 200, &[], one) else {
        panic!("a tag")
    };
    assert_eq!(tag.provider, Provider::Swr);
    assert_eq!(tag.size, Some(1_304_902));
    assert_eq!(tag.id.as_deref(), Some("0"));
    assert_eq!(
        tag.path.as_deref(),
        Some("{Repository address}/group/busybox:latest")
    );
    assert_eq!(tag.created_ms, Some(1_530_857_935_000));
    assert_eq!(tag.status, None);

    let mut delete = swr_repo().delete(&TagRef::named("latest"), false).unwrap();
    assert_eq!(http(&delete).method, HttpMethod::Delete);
    assert_eq!(done(&mut delete, 204, &[], ""), Outcome::Deleted(None));

    let mut create = swr_repo().create("latest", "stable", true).unwrap();
    assert_eq!(http(&create).method, HttpMethod::Post);
    let body: serde_json::Value =
        serde_json::from_str(http(&create).body.as_deref().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"source_tag": "latest", "destination_tag": "stable", "override": true})
    );
    follow(&mut create, 201, "");
    assert_eq!(http(&create).method, HttpMethod::Get);
    assert!(http(&create).path.ends_with("/tags/stable"));
    assert!(matches!(
        done(&mut create, 200, &[], r#"{"Tag":"stable","size":1}"#),
        Outcome::Tag(t) if t.name == "stable"
    ));

    // A failed create ends the call with the service's error.
    let mut create = swr_repo().create("latest", "stable", false).unwrap();
    let error = create
        .receive(&HttpResponse::new(
            409,
            &[],
            r#"{"errorCode":"SVCSTG.SWR.4091001","errorMessage":"tag stable exists"}"#,
        ))
        .unwrap_err();
    assert_eq!(error.code(), "SVCSTG.SWR.4091001");

    let mut sorted = swr_repo()
        .list(
            Paging::first(1000),
            Some(Sort {
                key: SortKey::Created,
                descending: false,
            }),
        )
        .unwrap();
    assert_eq!(
        query(http(&sorted)),
        [
            ("offset", "0"),
            ("limit", "1000"),
            ("order_column", "created_at"),
            ("order_type", "asc")
        ]
    );
    let name_sort = Sort {
        key: SortKey::Name,
        descending: false,
    };
    assert_eq!(
        fault(
            &swr_repo()
                .list(Paging::first(10), Some(name_sort))
                .unwrap_err()
        ),
        ("InvalidParameter", "sort")
    );
    let Outcome::Page(page) = done(&mut sorted, 200, &[], "[]") else {
        panic!("a page")
    };
    assert_eq!((page.tags.len(), page.total, page.next), (0, None, None));
    assert_eq!(
        fault(&swr_repo().list(Paging::first(1001), None).unwrap_err()),
        ("InvalidParameter", "pageSize")
    );
    assert_eq!(
        fault(
            &swr_repo()
                .list(
                    Paging {
                        page: 0,
                        page_size: 10
                    },
                    None
                )
                .unwrap_err()
        ),
        ("InvalidParameter", "page")
    );
    assert_eq!(
        fault(&swr_repo().get(&TagRef::named("bad tag")).unwrap_err()),
        ("InvalidParameter", "tag")
    );
}

#[test]
fn common_tag_as_a_js_value() {
    let tag = Tag::from_swr(
        swr::decode_tag(&HttpResponse::new(
            200,
            &[],
            r#"{"id":9223372036854775807,"Tag":"v1","size":9223372036854775807,"digest":"","created":"2018-07-06T06:18:55Z"}"#,
        ))
        .unwrap(),
    );
    let value = tag.to_value();
    assert_eq!(value.get("provider"), Some(&Value::from("swr")));
    assert_eq!(value.get("name"), Some(&Value::from("v1")));
    assert_eq!(value.get("size"), Some(&Value::Int(i64::MAX)));
    assert_eq!(value.get("id"), Some(&Value::from("9223372036854775807")));
    assert_eq!(value.get("createdMs"), Some(&Value::Int(1_530_857_935_000)));
    // Empty digests and absent fields are left out, not sent as "".
    assert_eq!(value.get("digest"), None);
    assert_eq!(value.get("status"), None);
}

#[test]
fn alibaba_steps_take_answers_decoded_by_the_transport() {
    // The JS Client signs, retries and decodes; the call takes its value.
    let decoded = |body: &str, action: &str| {
        tagdeck::decode::decode_action(action, 200, body, tagdeck::sign::Format::Json).unwrap()
    };
    let mut list = alibaba().list(Paging::first(1), None).unwrap();
    let answer = decoded(
        r#"{"TotalCount":3,"Images":[{"Tag":"v1","ImageSize":"27107966"}]}"#,
        "ListRepoTag",
    );
    let Some(Outcome::Page(page)) = list.receive_decoded(&answer).unwrap() else {
        panic!("a page")
    };
    assert_eq!(page.tags[0].size, Some(27_107_966));
    assert_eq!(
        page.next,
        Some(Paging {
            page: 2,
            page_size: 1
        })
    );

    let mut create = alibaba().create("v1", "v2", false).unwrap();
    assert_eq!(
        create
            .receive_decoded(&decoded(r#"{"IsSuccess":true}"#, "CreateRepoTag"))
            .unwrap(),
        None
    );
    assert_eq!(rpc(&create)[0], ("Action", "GetRepoTag"));
    let Some(Outcome::Tag(tag)) = create
        .receive_decoded(&decoded(r#"{"Tag":"v2"}"#, "GetRepoTag"))
        .unwrap()
    else {
        panic!("a tag")
    };
    assert_eq!(tag.name, "v2");

    // REST steps need the HTTP answer (headers carry the paging).
    let mut rest = swr_repo().list(Paging::first(10), None).unwrap();
    assert_eq!(
        rest.receive_decoded(&Value::Array(vec![]))
            .unwrap_err()
            .code(),
        "DecodeError"
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
