//! The RPC API refuses requests as the real gateway does: each check, its
//! code, its HTTP status, a RequestId on every answer, in XML and JSON.

mod common;

use std::time::{Duration, Instant};

use common::*;
use tagdeck::catalog::Method;
use tagdeck::sign::Format;
use tagdeck::Credentials;

const LIST: &[(&str, &str)] = &[("InstanceId", INSTANCE), ("RegionId", REGION)];

#[test]
fn a_signed_request_succeeds_by_get_and_post_in_both_formats() {
    let server = start();
    for method in [Method::Get, Method::Post] {
        for format in [Format::Xml, Format::Json] {
            let exchange = send(
                server.addr,
                "ListNamespace",
                LIST,
                &Signing::demo(method, format),
            );
            assert_eq!(exchange.response.status, 200, "{method:?} {format:?}");
            let value = exchange.ok();
            assert_eq!(int(&value, "TotalCount"), 4);
            assert!(!text(&value, "RequestId").is_empty());
            assert_eq!(
                exchange.response.header("x-acs-request-id"),
                Some(text(&value, "RequestId"))
            );
            let content_type = exchange.response.header("content-type").unwrap();
            match format {
                Format::Xml => {
                    assert!(content_type.starts_with("text/xml"));
                    assert!(exchange.response.body.starts_with(
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListNamespaceResponse>"
                    ));
                }
                Format::Json => assert!(content_type.starts_with("application/json")),
            }
        }
    }
}

#[test]
fn xml_is_the_default_format() {
    let server = start();
    let mut signing = Signing::demo(Method::Get, Format::Xml);
    signing.nonce = nonce();
    // Sign without Format at all: the signer always adds one, so build the
    // parameters by hand.
    let params = vec![
        (
            "AccessKeyId".to_string(),
            signing.credentials.access_key_id().to_string(),
        ),
        ("Action".into(), "GetInstance".into()),
        ("InstanceId".into(), INSTANCE.into()),
        ("RegionId".into(), REGION.into()),
        ("SignatureMethod".into(), "HMAC-SHA1".into()),
        ("SignatureNonce".into(), signing.nonce.clone()),
        ("SignatureVersion".into(), "1.0".into()),
        ("Timestamp".into(), signing.timestamp.clone()),
        ("Version".into(), "2018-12-01".into()),
    ];
    let signed =
        tagdeck::sign::sign_all(Method::Get, params, signing.credentials.access_key_secret());
    let response = http(
        server.addr,
        "GET",
        &format!("/?{}", signed.encoded_params()),
        &[],
        b"",
    );
    assert_eq!(response.status, 200, "{}", response.body);
    assert!(response.body.starts_with("<?xml"), "{}", response.body);
    assert!(response
        .body
        .contains("<InstanceId>cri-tagdeckdemo00001</InstanceId>"));
}

#[test]
fn a_wrong_secret_gives_signature_does_not_match_with_the_servers_string_to_sign() {
    let server = start();
    for format in [Format::Xml, Format::Json] {
        let mut signing = Signing::demo(Method::Get, format);
        signing.credentials = Credentials::new(signing.credentials.access_key_id(), "wrong-secret");
        let exchange = send(server.addr, "ListNamespace", LIST, &signing);
        assert_eq!(exchange.response.status, 400);
        let error = exchange.api_error();
        assert_eq!(error.code, "SignatureDoesNotMatch");
        // The server signed the same string: the client can tell a wrong
        // secret from a canonicalisation bug.
        assert!(
            error
                .message
                .ends_with(&format!(":{}", exchange.string_to_sign)),
            "{}",
            error.message
        );
        assert!(error.request_id.is_some());
        assert!(error
            .recommend
            .as_deref()
            .unwrap()
            .contains("SignatureDoesNotMatch"));
    }
}

#[test]
fn the_http_method_is_signed() {
    let server = start();
    let signing = Signing::demo(Method::Get, Format::Json);
    // Signed as GET, sent as POST: the server signs "POST&…".
    let mut own = vec![("Action".to_string(), "ListNamespace".to_string())];
    own.extend(LIST.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let signed = tagdeck::sign::sign(own, &signing.context());
    let response = http(
        server.addr,
        "POST",
        "/",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        signed.encoded_params().as_bytes(),
    );
    assert_eq!(response.status, 400);
    let body = response.json();
    assert_eq!(body["Code"], "SignatureDoesNotMatch");
    assert!(body["Message"].as_str().unwrap().contains(":POST&%2F&"));
}

#[test]
fn an_unknown_key_is_not_found() {
    let server = start();
    let mut signing = Signing::demo(Method::Get, Format::Json);
    signing.credentials = Credentials::new("LTAI5tNoSuchKey", "x");
    let exchange = send(server.addr, "ListNamespace", LIST, &signing);
    assert_eq!(exchange.response.status, 404);
    assert_eq!(exchange.api_error().code, "InvalidAccessKeyId.NotFound");
}

#[test]
fn timestamps_must_be_well_formed_and_within_15_minutes() {
    let server = start();
    for (timestamp, code) in [
        ("2024-06-01 00:00:00".to_string(), "InvalidTimeStamp.Format"),
        ("yesterday".to_string(), "InvalidTimeStamp.Format"),
        (
            tagdeck::timestamp::format_timestamp(now_seconds() - 16 * 60),
            "InvalidTimeStamp.Expired",
        ),
        (
            tagdeck::timestamp::format_timestamp(now_seconds() + 16 * 60),
            "InvalidTimeStamp.Expired",
        ),
    ] {
        let mut signing = Signing::demo(Method::Get, Format::Xml);
        signing.timestamp = timestamp.clone();
        let exchange = send(server.addr, "ListNamespace", LIST, &signing);
        assert_eq!(exchange.response.status, 400, "{timestamp}");
        assert_eq!(exchange.api_error().code, code, "{timestamp}");
    }
    // 14 minutes off is still fine.
    let mut signing = Signing::demo(Method::Get, Format::Json);
    signing.timestamp = tagdeck::timestamp::format_timestamp(now_seconds() - 14 * 60);
    send(server.addr, "ListNamespace", LIST, &signing).ok();
}

#[test]
fn a_nonce_is_used_once() {
    let server = start();
    let signing = Signing::demo(Method::Post, Format::Json);
    send(server.addr, "ListNamespace", LIST, &signing).ok();
    let again = send(server.addr, "ListNamespace", LIST, &signing);
    assert_eq!(again.response.status, 400);
    assert_eq!(again.api_error().code, "SignatureNonceUsed");
    // The same nonce with another key's request would be another nonce; a
    // fresh nonce passes.
    send(
        server.addr,
        "ListNamespace",
        LIST,
        &Signing::demo(Method::Post, Format::Json),
    )
    .ok();
}

#[test]
fn nonce_checking_can_be_turned_off_for_load_tests() {
    let server = start_with(|c| c.check_nonces = false);
    let signing = Signing::demo(Method::Get, Format::Json);
    for _ in 0..3 {
        send(server.addr, "ListNamespace", LIST, &signing).ok();
    }
}

#[test]
fn missing_and_invalid_parameters_are_named() {
    let server = start();
    let missing = call(server.addr, "ListRepoTag", LIST);
    assert_eq!(missing.response.status, 400);
    let error = missing.api_error();
    assert_eq!(error.code, "MissingParameter");
    assert!(error.message.contains("\"RepoId\""), "{}", error.message);

    let web = repo_id(server.addr, "demo", "web");
    let invalid = call(
        server.addr,
        "ListRepository",
        &[("InstanceId", INSTANCE), ("RepoStatus", "SLEEPING")],
    );
    assert_eq!(invalid.response.status, 400);
    let error = invalid.api_error();
    assert_eq!(error.code, "InvalidParameter");
    assert!(
        error.message.contains("\"RepoStatus\""),
        "{}",
        error.message
    );

    let not_a_number = call(
        server.addr,
        "ListRepoTag",
        &[
            ("InstanceId", INSTANCE),
            ("RegionId", REGION),
            ("RepoId", &web),
            ("PageNo", "two"),
        ],
    );
    assert!(not_a_number.api_error().message.contains("\"PageNo\""));

    let bad_enum = call(
        server.addr,
        "CreateRepository",
        &[
            ("InstanceId", INSTANCE),
            ("RegionId", REGION),
            ("RepoNamespaceName", "demo"),
            ("RepoName", "x1"),
            ("RepoType", "SECRET"),
            ("Summary", "s"),
        ],
    );
    assert!(bad_enum.api_error().message.contains("\"RepoType\""));
}

#[test]
fn missing_signature_parameters_are_named() {
    let server = start();
    for dropped in [
        "AccessKeyId",
        "Timestamp",
        "SignatureNonce",
        "Signature",
        "SignatureMethod",
        "SignatureVersion",
    ] {
        let signing = Signing::demo(Method::Get, Format::Json);
        let signed = tagdeck::sign::sign(
            vec![
                ("Action".into(), "ListInstanceRegion".into()),
                ("RegionId".into(), REGION.into()),
            ],
            &signing.context(),
        );
        let query: Vec<String> = signed
            .params
            .iter()
            .filter(|(k, _)| k != dropped)
            .map(|(k, v)| {
                format!(
                    "{}={}",
                    tagdeck::encode::percent_encode(k),
                    tagdeck::encode::percent_encode(v)
                )
            })
            .collect();
        let response = http(
            server.addr,
            "GET",
            &format!("/?{}", query.join("&")),
            &[],
            b"",
        );
        assert_eq!(response.status, 400, "{dropped}");
        let body = response.json();
        assert_eq!(body["Code"], "MissingParameter", "{dropped}");
        assert!(
            body["Message"]
                .as_str()
                .unwrap()
                .contains(&format!("\"{dropped}\"")),
            "{dropped}: {body}"
        );
    }
}

#[test]
fn unknown_actions_and_versions_are_not_found() {
    let server = start();
    let unknown = call(server.addr, "DescribeRegions", &[]);
    assert_eq!(unknown.response.status, 404);
    let body = unknown.response.json();
    assert_eq!(body["Code"], "InvalidApi.NotFound");
    assert!(body["RequestId"].as_str().is_some_and(|r| !r.is_empty()));

    let response = http(
        server.addr,
        "GET",
        "/?Action=ListInstance&Version=2014-05-26&Format=JSON",
        &[],
        b"",
    );
    assert_eq!(response.status, 404);
    assert_eq!(response.json()["Code"], "InvalidApi.NotFound");
}

#[test]
fn sts_credentials_need_their_security_token() {
    let sts =
        Credentials::new("STS.NTagdeckTemp", "sts-secret").with_security_token("CAIS-token-value");
    let accepted = sts.clone();
    let server = start_with(move |c| c.credentials = accepted);
    let mut signing = Signing::demo(Method::Get, Format::Json);
    signing.credentials = sts;
    let exchange = send(server.addr, "ListNamespace", LIST, &signing);
    assert_eq!(int(&exchange.ok(), "TotalCount"), 4);

    signing.nonce = nonce();
    signing.credentials = Credentials::new("STS.NTagdeckTemp", "sts-secret");
    assert_eq!(
        send(server.addr, "ListNamespace", LIST, &signing)
            .api_error()
            .code,
        "MissingSecurityToken"
    );

    signing.nonce = nonce();
    signing.credentials =
        Credentials::new("STS.NTagdeckTemp", "sts-secret").with_security_token("other");
    assert_eq!(
        send(server.addr, "ListNamespace", LIST, &signing)
            .api_error()
            .code,
        "InvalidSecurityToken.Mismatch"
    );
}

#[test]
fn throttling_is_answered_with_retry_after() {
    let server = start_with(|c| c.faults.throttle_rate = 1.0);
    for format in [Format::Xml, Format::Json] {
        let signing = Signing::demo(Method::Get, format);
        let exchange = send(server.addr, "ListNamespace", LIST, &signing);
        assert_eq!(exchange.response.status, 400);
        assert_eq!(exchange.response.header("x-acs-retry-after"), Some("200"));
        let error = exchange.api_error();
        assert_eq!(error.code, "Throttling.User");
        assert!(tagdeck::error::is_retryable(&error.code, error.http_status));
        // A throttled request did not use up its nonce: the retry may reuse it.
        let again = send(server.addr, "ListNamespace", LIST, &signing);
        assert_eq!(again.api_error().code, "Throttling.User");
    }
}

#[test]
fn failures_are_503_service_unavailable() {
    let server = start_with(|c| c.faults.fail_rate = 1.0);
    let exchange = call(server.addr, "ListNamespace", LIST);
    assert_eq!(exchange.response.status, 503);
    let error = exchange.api_error();
    assert_eq!(error.code, "ServiceUnavailable");
    assert!(error.request_id.is_some());
}

#[test]
fn fault_rates_are_honoured_roughly() {
    let server = start_with(|c| c.faults.throttle_rate = 0.3);
    let throttled = (0..100)
        .filter(|_| {
            call(server.addr, "ListInstanceRegion", &[("RegionId", REGION)])
                .response
                .status
                == 400
        })
        .count();
    assert!(
        (10..=55).contains(&throttled),
        "{throttled} of 100 throttled at rate 0.3"
    );
}

#[test]
fn latency_delays_every_answer() {
    let server = start_with(|c| c.faults.latency = Duration::from_millis(150));
    let started = Instant::now();
    call(server.addr, "ListInstanceRegion", &[("RegionId", REGION)]).ok();
    assert!(started.elapsed() >= Duration::from_millis(150));
}

#[test]
fn unreadable_parameters_are_refused_by_name() {
    let server = start();
    let response = http(
        server.addr,
        "GET",
        "/?Action=ListInstance&RegionId=%FF",
        &[],
        b"",
    );
    assert_eq!(response.status, 400);
    assert!(response.body.contains("RegionId"), "{}", response.body);
}

#[test]
fn business_errors_are_200_with_is_success_false_in_both_formats() {
    let server = start();
    for format in [Format::Xml, Format::Json] {
        let exchange = call_as(
            server.addr,
            "GetRepoTag",
            &with_instance(&[("RepoId", "crr-doesnotexist0000"), ("Tag", "x")]),
            format,
        );
        assert_eq!(exchange.response.status, 200);
        let error = exchange.api_error();
        assert_eq!(error.code, "REPO_NOT_EXIST");
        assert!(error.message.contains("crr-doesnotexist0000"));
        assert!(error.request_id.is_some());
    }
}

#[test]
fn weak_passwords_are_refused_without_repeating_them() {
    let server = start();
    let error = fails(server.addr, "ResetLoginPassword", &[("Password", "short1")]);
    assert_eq!(
        (error.code.as_str(), error.http_status),
        ("InvalidParameter", 400)
    );
    assert!(error.message.contains("Password") && !error.message.contains("short1"));
    ok(
        server.addr,
        "ResetLoginPassword",
        &[("Password", "Str0ng-enough")],
    );
}
