//! SWR's account-wide listings: `ListRepositories` (the SDK's
//! ListReposDetails, `GET /v2/manage/repos`) and `ListNamespaces`
//! (`GET /v2/manage/namespaces`): the requests, their checks, the decoded
//! answers and `Content-Range` paging of the repositories.

mod common;

use common::{fault, query};
use tagdeck::providers::http::{HttpMethod, HttpRequest, HttpResponse};
use tagdeck::providers::swr;
use tagdeck::providers::AuthToken;
use tagdeck::{Error, Value};

fn request(operation: &str, params: &[(&str, Value)]) -> Result<HttpRequest, Error> {
    let token = AuthToken::new("MIIT-iam-token-value").unwrap();
    let operation = swr::API.operation(operation)?;
    swr::API.build(operation, params, &token)
}

/// What a `ListRepositories` call gives for `request` and an answer of
/// `body` with `Content-Range: range`.
fn repos_page(request: &HttpRequest, body: &str, range: Option<&str>) -> Value {
    let headers: Vec<(String, String)> = range
        .map(|r| vec![("Content-Range".to_string(), r.to_string())])
        .unwrap_or_default();
    let operation = swr::API.operation("ListRepositories").unwrap();
    swr::API
        .answer(operation, request, &HttpResponse::new(200, &headers, body))
        .unwrap()
        .0
}

fn repos_json(names: &[&str]) -> String {
    let repos: Vec<serde_json::Value> = names
        .iter()
        .map(|name| {
            serde_json::json!({
                "name": name, "namespace": "group", "category": "other", "description": "",
                "size": 9_007_199_254_740_993_i64, "is_public": false, "num_images": 3,
                "num_download": 0, "created_at": "2024-01-02T03:04:05Z",
                "updated_at": "2024-02-03T04:05:06Z",
                "path": format!("swr.eu-de.otc.t-systems.com/group/{name}"),
                "internal_path": format!("100.125.0.198:20202/group/{name}"),
                "domain_name": "acme", "tags": ["v1", "latest"], "status": false,
                "total_range": 0, "logo": ""
            })
        })
        .collect();
    serde_json::Value::Array(repos).to_string()
}

#[test]
fn list_repositories_request() {
    let req = request(
        "ListRepositories",
        &[
            ("namespace", "group".into()),
            ("name", "web/api".into()),
            ("offset", Value::Int(20)),
            ("limit", Value::Int(10)),
            ("orderColumn", "name".into()),
            ("orderType", "asc".into()),
        ],
    )
    .unwrap();
    assert_eq!(req.method, HttpMethod::Get);
    assert_eq!(req.path, "/v2/manage/repos");
    assert_eq!(
        query(&req),
        [
            ("namespace", "group"),
            // Repository names are written with `$` for `/`, as in paths.
            ("name", "web$api"),
            ("offset", "20"),
            ("limit", "10"),
            ("order_column", "name"),
            ("order_type", "asc"),
        ]
    );
    assert!(req
        .headers
        .iter()
        .any(|(k, v)| k == "X-Auth-Token" && v == "MIIT-iam-token-value"));
    assert!(req
        .headers
        .iter()
        .any(|(k, v)| k == "Content-Type" && v == "application/json"));

    // Everything is optional: the whole account.
    let all = request("ListRepositories", &[] as &[(&str, Value)]).unwrap();
    assert_eq!(
        (all.path.as_str(), all.query.len()),
        ("/v2/manage/repos", 0)
    );
}

#[test]
fn list_repositories_bad_input_names_the_parameter() {
    for (params, name) in [
        (vec![("namespace", Value::from("Group"))], "namespace"),
        (vec![("name", Value::from("-web"))], "name"),
        (vec![("offset", Value::Int(0))], "limit"),
        (
            vec![("offset", Value::Int(5)), ("limit", Value::Int(10))],
            "offset",
        ),
        (
            vec![("offset", Value::Int(0)), ("limit", Value::Int(1001))],
            "limit",
        ),
        (
            vec![
                ("order_column", Value::from("updated_at")),
                ("order_type", "asc".into()),
            ],
            "order_column",
        ),
        (vec![("tag", Value::from("v1"))], "tag"),
    ] {
        let error = request("ListRepositories", &params).unwrap_err();
        let (_, got) = fault(&error);
        assert!(
            got == name || (name == "limit" && got == "offset"),
            "{params:?}: named {got}"
        );
    }
}

#[test]
fn repositories_decode_every_field_and_page_by_content_range() {
    let first = request(
        "ListRepositories",
        &[("offset", Value::Int(0)), ("limit", Value::Int(2))],
    )
    .unwrap();
    let page = repos_page(&first, &repos_json(&["api", "web"]), Some("0-2/3"));
    assert_eq!(page.get("total"), Some(&Value::Int(3)));
    assert_eq!(page.get("next_offset"), Some(&Value::Int(2)));
    assert_eq!(page.get("content_range"), Some(&Value::from("0-2/3")));
    let repos = page.get("repos").and_then(Value::as_array).unwrap();
    assert_eq!(repos.len(), 2);
    let api = &repos[0];
    assert_eq!(api.get("name"), Some(&Value::from("api")));
    assert_eq!(api.get("namespace"), Some(&Value::from("group")));
    // Sizes exact beyond 2^53.
    assert_eq!(api.get("size"), Some(&Value::Int(9_007_199_254_740_993)));
    assert_eq!(api.get("num_images"), Some(&Value::Int(3)));
    assert_eq!(api.get("is_public"), Some(&Value::Bool(false)));
    assert_eq!(
        api.get("created_at"),
        Some(&Value::from("2024-01-02T03:04:05Z"))
    );
    assert_eq!(
        api.get("internal_path"),
        Some(&Value::from("100.125.0.198:20202/group/api"))
    );
    assert_eq!(
        api.get("tags")
            .and_then(Value::as_array)
            .map(<[Value]>::len),
        Some(2)
    );
    // Fields the table does not keep are left out.
    for dropped in [
        "logo",
        "description",
        "num_download",
        "domain_name",
        "total_range",
    ] {
        assert_eq!(api.get(dropped), None, "{dropped}");
    }

    // The last page.
    let last = request(
        "ListRepositories",
        &[("offset", Value::Int(2)), ("limit", Value::Int(2))],
    )
    .unwrap();
    let page = repos_page(&last, &repos_json(&["zz"]), Some("2-1/3"));
    assert_eq!(page.get("next_offset"), Some(&Value::Null));

    // No window asked for: everything came back, no next page.
    let all = request("ListRepositories", &[] as &[(&str, Value)]).unwrap();
    let page = repos_page(&all, &repos_json(&["a", "b"]), None);
    assert_eq!(page.get("next_offset"), Some(&Value::Null));
    assert_eq!(page.get("total"), Some(&Value::Null));
}

#[test]
fn list_namespaces_request_and_answer() {
    let req = request("ListNamespaces", &[("namespace", "group".into())]).unwrap();
    assert_eq!(req.method, HttpMethod::Get);
    assert_eq!(req.path, "/v2/manage/namespaces");
    assert_eq!(query(&req), [("namespace", "group")]);
    assert_eq!(
        fault(&request("ListNamespaces", &[("namespace", "A b".into())]).unwrap_err()).1,
        "namespace"
    );

    let operation = swr::API.operation("ListNamespaces").unwrap();
    let body = r#"{"namespaces":[{"id":1433,"name":"group","creator_name":"alice","auth":7}]}"#;
    let (answer, _) = swr::API
        .answer(operation, &req, &HttpResponse::new(200, &[], body))
        .unwrap();
    let namespaces = answer.get("namespaces").and_then(Value::as_array).unwrap();
    assert_eq!(namespaces.len(), 1);
    assert_eq!(namespaces[0].get("id"), Some(&Value::Int(1433)));
    assert_eq!(
        namespaces[0].get("creator_name"),
        Some(&Value::from("alice"))
    );
    assert_eq!(namespaces[0].get("auth"), Some(&Value::Int(7)));
}

#[test]
fn listing_errors_are_api_errors() {
    let req = request("ListRepositories", &[] as &[(&str, Value)]).unwrap();
    let operation = swr::API.operation("ListRepositories").unwrap();
    let body = r#"{"errorCode":"SVCSTG.SWR.4010001","errorMessage":"Authentication failed"}"#;
    let error = swr::API
        .answer(operation, &req, &HttpResponse::new(401, &[], body))
        .unwrap_err();
    assert!(
        error.message().contains("Authentication failed"),
        "{error:?}"
    );
}
