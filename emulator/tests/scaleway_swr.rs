//! The Scaleway registry v1 and SWR v2 tag APIs: authentication, paging,
//! ordering, filters, get/delete/create, and their error shapes.

mod common;

use std::collections::HashSet;
use std::net::SocketAddr;

use common::*;

/// `with_token` on `region`'s API: `path` from `/registry/v1/regions/{region}`.
fn scw_at(addr: SocketAddr, region: &str, method: &str, path: &str) -> Response {
    with_token(
        addr,
        method,
        &format!("/registry/v1/regions/{region}{path}"),
    )
}

/// `scw_at` fr-par, where most of the demo data is.
fn fr_par(addr: SocketAddr, method: &str, path: &str) -> Response {
    scw_at(addr, "fr-par", method, path)
}

/// The Scaleway id of image `namespace/name` in fr-par.
fn scw_image_id(addr: SocketAddr, namespace: &str, name: &str) -> String {
    scw_image_id_in(addr, "fr-par", namespace, name)
}

/// The same in `region`, found as a client would: namespaces by name, then
/// images of the namespace by name.
fn scw_image_id_in(addr: SocketAddr, region: &str, namespace: &str, name: &str) -> String {
    let namespaces = scw_at(
        addr,
        region,
        "GET",
        &format!("/namespaces?name={namespace}"),
    )
    .json();
    assert_eq!(namespaces["total_count"], 1);
    let ns_id = namespaces["namespaces"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let images = scw_at(
        addr,
        region,
        "GET",
        &format!("/images?namespace_id={ns_id}&name={name}"),
    )
    .json();
    assert_eq!(images["total_count"], 1, "{images}");
    assert_eq!(images["images"][0]["namespace_id"], ns_id.as_str());
    images["images"][0]["id"].as_str().unwrap().to_string()
}

#[test]
fn scaleway_needs_the_auth_token() {
    let server = start();
    for headers in [
        &[][..],
        &[("X-Auth-Token", "00000000-0000-4000-8000-000000000000")][..],
    ] {
        let response = http(
            server.addr,
            "GET",
            "/registry/v1/regions/fr-par/namespaces",
            headers,
            b"",
        );
        assert_eq!(response.status, 401);
        let body = response.json();
        assert_eq!(body["type"], "denied_authentication");
        assert!(body["message"].is_string());
    }
}

#[test]
fn scaleway_pages_every_tag_of_big_app() {
    let server = start();
    let image = scw_image_id(server.addr, "demo", "big-app");
    let mut names = HashSet::new();
    let mut last_created = String::new();
    for page in 1..=25 {
        let body = fr_par(
            server.addr,
            "GET",
            &format!("/images/{image}/tags?page={page}&page_size=100"),
        )
        .json();
        assert_eq!(body["total_count"], 2_400);
        let tags = body["tags"].as_array().unwrap();
        assert_eq!(tags.len(), if page <= 24 { 100 } else { 0 });
        for tag in tags {
            assert!(names.insert(tag["name"].as_str().unwrap().to_string()));
            assert_eq!(tag["image_id"], image.as_str());
            assert_eq!(tag["status"], "ready");
            assert!(tag["digest"].as_str().unwrap().starts_with("sha256:"));
            let created = tag["created_at"].as_str().unwrap().to_string();
            assert!(created >= last_created, "created_at_asc is the default");
            last_created = created;
        }
    }
    assert_eq!(names.len(), 2_400);
    // The default page size is 20.
    let first = fr_par(server.addr, "GET", &format!("/images/{image}/tags")).json();
    assert_eq!(first["tags"].as_array().unwrap().len(), 20);
}

#[test]
fn scaleway_orders_filters_and_refuses_bad_arguments() {
    let server = start();
    let image = scw_image_id(server.addr, "demo", "web");
    let base = format!("/registry/v1/regions/fr-par/images/{image}/tags");
    let names = |order: &str| -> Vec<String> {
        with_token(
            server.addr,
            "GET",
            &format!("{base}?order_by={order}&page_size=100"),
        )
        .json()["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap().to_string())
            .collect()
    };
    let ascending = names("name_asc");
    let mut sorted = ascending.clone();
    sorted.sort();
    assert_eq!(ascending, sorted);
    let descending = names("name_desc");
    assert_eq!(descending, sorted.into_iter().rev().collect::<Vec<_>>());

    let exact = with_token(server.addr, "GET", &format!("{base}?name=latest")).json();
    assert_eq!(exact["total_count"], 1);
    assert_eq!(exact["tags"][0]["name"], "latest");

    for (query, argument) in [
        ("page_size=101", "page_size"),
        ("page=0", "page"),
        ("order_by=size", "order_by"),
    ] {
        let response = with_token(server.addr, "GET", &format!("{base}?{query}"));
        assert_eq!(response.status, 400, "{query}");
        let body = response.json();
        assert_eq!(body["type"], "invalid_arguments");
        assert_eq!(body["details"][0]["argument_name"], argument);
    }
    let bad_region = with_token(server.addr, "GET", "/registry/v1/regions/mars-1/namespaces");
    assert_eq!(bad_region.json()["details"][0]["argument_name"], "region");
    let bad_id = fr_par(server.addr, "GET", "/tags/not-a-uuid");
    assert_eq!(bad_id.json()["details"][0]["argument_name"], "tag_id");
}

#[test]
fn scaleway_get_and_delete_a_tag() {
    let server = start();
    let image = scw_image_id(server.addr, "demo", "worker");
    let listed = fr_par(
        server.addr,
        "GET",
        &format!("/images/{image}/tags?page_size=100"),
    )
    .json();
    let tags = listed["tags"].as_array().unwrap();
    // Every build has two tags of one digest: deleting one of a pair needs
    // `force`; the other is then alone and goes without it.
    let first = &tags[0];
    let twin = tags[1..]
        .iter()
        .find(|t| t["digest"] == first["digest"])
        .expect("a twin");
    let first_id = first["id"].as_str().unwrap();
    let twin_id = twin["id"].as_str().unwrap();

    let got = fr_par(server.addr, "GET", &format!("/tags/{first_id}")).json();
    assert_eq!(got, *first);

    let refused = fr_par(server.addr, "DELETE", &format!("/tags/{first_id}"));
    assert_eq!(refused.status, 412);
    assert_eq!(refused.json()["type"], "precondition_failed");
    assert!(refused.json()["precondition"].is_string());
    let forced = fr_par(
        server.addr,
        "DELETE",
        &format!("/tags/{first_id}?force=true"),
    );
    assert_eq!(forced.status, 200);
    assert_eq!(forced.json()["status"], "deleting");
    let gone = fr_par(server.addr, "GET", &format!("/tags/{first_id}"));
    assert_eq!(gone.status, 404);
    assert_eq!(gone.json()["type"], "not_found");
    assert_eq!(gone.json()["resource"], "tag");

    let alone = fr_par(server.addr, "DELETE", &format!("/tags/{twin_id}"));
    assert_eq!(alone.status, 200);

    let after = fr_par(server.addr, "GET", &format!("/images/{image}/tags")).json();
    assert_eq!(after["total_count"], tags.len() - 2);
    // Another region does not see fr-par's tags.
    assert_eq!(
        scw_at(server.addr, "nl-ams", "GET", &format!("/images/{image}")).status,
        404
    );
}

#[test]
fn scaleway_deletes_an_image_with_its_tags() {
    let server = start();
    let image = scw_image_id_in(server.addr, "nl-ams", "ml", "notebook");
    let tags = scw_at(
        server.addr,
        "nl-ams",
        "GET",
        &format!("/images/{image}/tags"),
    )
    .json();
    let tag_id = tags["tags"][0]["id"].as_str().unwrap().to_string();
    let deleted = scw_at(server.addr, "nl-ams", "DELETE", &format!("/images/{image}"));
    assert_eq!(deleted.status, 200);
    assert_eq!(deleted.json()["status"], "deleting");
    assert_eq!(
        scw_at(server.addr, "nl-ams", "GET", &format!("/images/{image}")).status,
        404
    );
    assert_eq!(
        scw_at(server.addr, "nl-ams", "GET", &format!("/tags/{tag_id}")).status,
        404
    );
    let ns = with_token(
        server.addr,
        "GET",
        "/registry/v1/regions/nl-ams/namespaces?name=ml",
    )
    .json();
    assert_eq!(ns["namespaces"][0]["image_count"], 1);
}

#[test]
fn swr_needs_the_auth_token() {
    let server = start();
    let response = http(
        server.addr,
        "GET",
        "/v2/manage/namespaces/demo/repos/web/tags",
        &[],
        b"",
    );
    assert_eq!(response.status, 401);
    assert!(response.json()["errorCode"]
        .as_str()
        .unwrap()
        .starts_with("SVCSTG.SWR."));
}

#[test]
fn swr_pages_with_content_range() {
    let server = start();
    let mut names = HashSet::new();
    let mut offset = 0;
    loop {
        let response = swr(
            server.addr,
            "GET",
            &format!("/v2/manage/namespaces/demo/repos/big-app/tags?offset={offset}&limit=500"),
            "",
        );
        assert_eq!(response.status, 200);
        let tags = response.json();
        let tags = tags.as_array().unwrap();
        assert_eq!(
            response.header("content-range"),
            Some(format!("{offset}-{}/2400", tags.len()).as_str())
        );
        if tags.is_empty() {
            break;
        }
        for tag in tags {
            assert!(names.insert(tag["Tag"].as_str().unwrap().to_string()));
            assert_eq!(tag["schema"], 2);
            assert!(tag["size"].as_i64().unwrap() > 0);
            let manifest: serde_json::Value =
                serde_json::from_str(tag["manifest"].as_str().unwrap()).unwrap();
            assert_eq!(
                manifest["config"]["digest"],
                format!("sha256:{}", tag["image_id"].as_str().unwrap())
            );
        }
        offset += tags.len();
    }
    assert_eq!(names.len(), 2_400);

    // Without offset and limit: everything.
    let all = swr(
        server.addr,
        "GET",
        "/v2/manage/namespaces/demo/repos/web/tags",
        "",
    );
    assert_eq!(all.header("content-range"), Some("0-48/48"));
    // The same query as one filter; ascending by update time.
    let filtered = swr(server.addr, "GET", "/v2/manage/namespaces/demo/repos/web/tags?filter=offset::0|limit::5|order_column::updated_at|order_type::asc|tag::sha-", "");
    let body = filtered.json();
    let rows = body.as_array().unwrap();
    assert_eq!(rows.len(), 5);
    assert!(rows
        .iter()
        .all(|t| t["Tag"].as_str().unwrap().contains("sha-")));
    let updated: Vec<&str> = rows
        .iter()
        .map(|t| t["updated"].as_str().unwrap())
        .collect();
    assert!(updated.windows(2).all(|w| w[0] <= w[1]));
    let bad = swr(
        server.addr,
        "GET",
        "/v2/manage/namespaces/demo/repos/web/tags?offset=0",
        "",
    );
    assert_eq!(bad.status, 400);
    assert!(bad.json()["errorMessage"]
        .as_str()
        .unwrap()
        .contains("together"));
}

#[test]
fn swr_creates_from_a_source_tag_gets_and_deletes() {
    let server = start();
    let base = "/v2/manage/namespaces/demo/repos/api/tags";
    let source = swr(server.addr, "GET", &format!("{base}/stable"), "").json();
    let created = swr(
        server.addr,
        "POST",
        base,
        r#"{"source_tag":"stable","destination_tag":"promoted","override":false}"#,
    );
    assert_eq!(created.status, 201);
    let copy = swr(server.addr, "GET", &format!("{base}/promoted"), "").json();
    assert_eq!(copy["digest"], source["digest"]);
    assert_eq!(copy["Tag"], "promoted");
    assert!(copy["path"]
        .as_str()
        .unwrap()
        .ends_with("/demo/api:promoted"));

    let conflict = swr(
        server.addr,
        "POST",
        base,
        r#"{"source_tag":"latest","destination_tag":"promoted"}"#,
    );
    assert_eq!(conflict.status, 409);
    let replaced = swr(
        server.addr,
        "POST",
        base,
        r#"{"source_tag":"latest","destination_tag":"promoted","override":true}"#,
    );
    assert_eq!(replaced.status, 201);
    let latest = swr(server.addr, "GET", &format!("{base}/latest"), "").json();
    assert_eq!(
        swr(server.addr, "GET", &format!("{base}/promoted"), "").json()["digest"],
        latest["digest"]
    );

    assert_eq!(
        swr(
            server.addr,
            "POST",
            base,
            r#"{"source_tag":"nope","destination_tag":"x"}"#
        )
        .status,
        404
    );
    assert_eq!(
        swr(server.addr, "POST", base, r#"{"source_tag":"latest"}"#).status,
        400
    );
    assert_eq!(swr(server.addr, "POST", base, "not json").status, 400);

    assert_eq!(
        swr(server.addr, "DELETE", &format!("{base}/promoted"), "").status,
        204
    );
    assert_eq!(
        swr(server.addr, "GET", &format!("{base}/promoted"), "").status,
        404
    );
    assert_eq!(
        swr(server.addr, "DELETE", &format!("{base}/promoted"), "").status,
        404
    );
    assert_eq!(
        swr(
            server.addr,
            "GET",
            "/v2/manage/namespaces/demo/repos/nope/tags",
            ""
        )
        .status,
        404
    );
}

#[test]
fn rest_apis_share_fault_injection() {
    let server = start_with(|c| c.faults.throttle_rate = 1.0);
    let throttled = fr_par(server.addr, "GET", "/namespaces");
    assert_eq!(throttled.status, 429);
    assert_eq!(throttled.json()["type"], "too_many_requests");
    assert!(throttled.json()["help_message"].is_string());
    assert_eq!(
        swr(
            server.addr,
            "GET",
            "/v2/manage/namespaces/demo/repos/web/tags",
            ""
        )
        .status,
        429
    );
    let failing = start_with(|c| c.faults.fail_rate = 1.0);
    assert_eq!(fr_par(failing.addr, "GET", "/namespaces").status, 503);
    assert_eq!(
        swr(
            failing.addr,
            "GET",
            "/v2/manage/namespaces/demo/repos/web/tags",
            ""
        )
        .status,
        503
    );
}

#[test]
fn swr_lists_namespaces_and_pages_repositories() {
    let server = start();
    let namespaces = swr(server.addr, "GET", "/v2/manage/namespaces", "").json();
    let names: Vec<String> = namespaces["namespaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap().to_string())
        .collect();
    assert!(names.contains(&"demo".to_string()), "{namespaces}");
    let only = swr(
        server.addr,
        "GET",
        "/v2/manage/namespaces?namespace=demo",
        "",
    )
    .json();
    assert_eq!(only["namespaces"].as_array().unwrap().len(), 1);
    assert_eq!(only["namespaces"][0]["name"], "demo");

    // Every repository of the account, two a page, by namespace then name.
    let all = swr(server.addr, "GET", "/v2/manage/repos", "");
    let all = all.json();
    let all = all.as_array().unwrap();
    let mut paged = Vec::new();
    let mut offset = 0;
    loop {
        let response = swr(
            server.addr,
            "GET",
            &format!("/v2/manage/repos?offset={offset}&limit=2"),
            "",
        );
        assert_eq!(response.status, 200);
        let page = response.json();
        let page = page.as_array().unwrap().clone();
        assert_eq!(
            response.header("content-range"),
            Some(format!("{offset}-{}/{}", page.len(), all.len()).as_str())
        );
        if page.is_empty() {
            break;
        }
        offset += page.len();
        paged.extend(page);
    }
    assert_eq!(&paged, all);
    let full: Vec<String> = all
        .iter()
        .map(|r| {
            format!(
                "{}/{}",
                r["namespace"].as_str().unwrap(),
                r["name"].as_str().unwrap()
            )
        })
        .collect();
    let mut sorted = full.clone();
    sorted.sort();
    assert_eq!(full, sorted);
    assert!(full.contains(&"demo/big-app".to_string()), "{full:?}");

    // A repository's own facts agree with its tag listing.
    let big = all.iter().find(|r| r["name"] == "big-app").unwrap();
    assert_eq!(big["num_images"], 2_400);
    assert_eq!(big["tags"].as_array().unwrap().len(), 2_400);
    assert_eq!(big["path"], "swr.eu-de.otc.t-systems.com/demo/big-app");
    assert!(big["size"].as_i64().unwrap() > 0);

    // Filters: one namespace; part of a name.
    let demo = swr(server.addr, "GET", "/v2/manage/repos?namespace=demo", "").json();
    assert!(demo
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["namespace"] == "demo"));
    let none = swr(server.addr, "GET", "/v2/manage/repos?namespace=nobody", "").json();
    assert_eq!(none.as_array().unwrap().len(), 0);
    let big_only = swr(server.addr, "GET", "/v2/manage/repos?name=big-", "").json();
    assert!(big_only
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["name"].as_str().unwrap().contains("big-")));
    assert!(!big_only.as_array().unwrap().is_empty());

    // A bad window is refused, naming the parameter.
    let bad = swr(server.addr, "GET", "/v2/manage/repos?offset=0&limit=0", "");
    assert_eq!(bad.status, 400);
    assert!(bad.json()["errorMessage"]
        .as_str()
        .unwrap()
        .contains("limit"));
    // Other methods are not routes.
    assert_eq!(
        swr(server.addr, "POST", "/v2/manage/repos", "{}").status,
        404
    );
}
