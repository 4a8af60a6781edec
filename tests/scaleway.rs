//! The Scaleway Registry API: every request builder with valid and invalid
//! input, the decoders on the shapes the reference documents, 64-bit sizes
//! and error bodies.

mod common;

use common::providers::*;
use common::{fault, query};
use serde_json::json;
use tagdeck::providers::http::{HttpMethod, HttpResponse};
use tagdeck::providers::scaleway::{self, Scaleway, Status};
use tagdeck::providers::tags::{Registry, ScalewayImage, TagRef};
use tagdeck::providers::AuthToken;
use tagdeck::Value;

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
