//! The common tag interface over Alibaba cr, Scaleway and SWR: the
//! multi-step calls (list, get, delete, create) through each registry.

mod common;

use common::providers::*;
use common::{fault, query};
use serde_json::json;
use tagdeck::providers::http::{HttpMethod, HttpRequest, HttpResponse};
use tagdeck::providers::swr::{self};
use tagdeck::providers::tags::{
    AlibabaRepo, Outcome, Paging, Provider, Registry, ScalewayImage, Sort, SortKey, SwrRepo, Tag,
    TagCall, TagRef, TagRequest,
};
use tagdeck::Value;

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
