//! The emulator verifies signature V3 (`ACS3-HMAC-SHA256`) as the service
//! does (shared/docs/signature-v3.md): parameters in the query (`+` is a
//! space), `Action`/`Version` in headers, the signature recomputed over the
//! headers the `Authorization` names, the 15-minute window of `x-acs-date`,
//! nonces used once, the body's hash, STS in `x-acs-security-token`, and the
//! vendor's error codes. Requests are signed with the core
//! (`tagdeck::sign_v3`) and sent over plain HTTP.

mod common;

use std::net::SocketAddr;

use common::{http, nonce, now_seconds, start, start_with, Response, INSTANCE, REGION};
use tagdeck::catalog::{Method, API_VERSION};
use tagdeck::sign_v3::{self, SigningContext};
use tagdeck::timestamp::format_timestamp;
use tagdeck::Credentials;
use tagdeck_emulator::clock::ManualClock;
use tagdeck_emulator::config::{DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET};

fn demo() -> Credentials {
    Credentials::new(DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET)
}

/// A V3 request as tagdeck signs it, before it is sent.
struct V3 {
    credentials: Credentials,
    method: Method,
    action: &'static str,
    params: Vec<(String, String)>,
    date: String,
    nonce: String,
    /// Headers signed besides tagdeck's own (the Python SDK adds some).
    extra: Vec<(String, String)>,
}

impl V3 {
    fn new(action: &'static str, params: &[(&str, &str)]) -> V3 {
        V3 {
            credentials: demo(),
            method: Method::Post,
            action,
            params: params
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            date: format_timestamp(now_seconds()),
            nonce: nonce(),
            extra: Vec::new(),
        }
    }

    fn sign(&self, addr: SocketAddr) -> sign_v3::SignedRequest {
        let host = addr.to_string();
        let ctx = SigningContext {
            method: self.method,
            credentials: &self.credentials,
            host: &host,
            action: self.action,
            version: API_VERSION,
            date: &self.date,
            nonce: &self.nonce,
        };
        let mut headers = sign_v3::request_headers(&ctx);
        headers.extend(self.extra.iter().cloned());
        sign_v3::sign_with_headers(
            self.method,
            self.params.clone(),
            headers,
            sign_v3::EMPTY_PAYLOAD_SHA256,
            &self.credentials,
        )
    }

    fn send(&self, addr: SocketAddr) -> Response {
        let signed = self.sign(addr);
        send_signed(addr, &signed, &signed.canonical_query, b"")
    }
}

/// Sends `signed` with `query` as the URL's query and `body`; the `host`
/// header is the one `http` writes.
fn send_signed(
    addr: SocketAddr,
    signed: &sign_v3::SignedRequest,
    query: &str,
    body: &[u8],
) -> Response {
    let headers: Vec<(&str, &str)> = signed
        .headers
        .iter()
        .filter(|(n, _)| n != "host")
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let target = if query.is_empty() {
        "/".to_string()
    } else {
        format!("/?{query}")
    };
    let method = match signed.method {
        Method::Get => "GET",
        Method::Post => "POST",
    };
    http(addr, method, &target, &headers, body)
}

fn code(response: &Response) -> String {
    response.json()["Code"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn list_repository() -> V3 {
    V3::new(
        "ListRepository",
        &[("InstanceId", INSTANCE), ("RegionId", REGION)],
    )
}

#[test]
fn a_v3_post_and_get_are_answered_in_json() {
    let emulator = start();
    let post = list_repository().send(emulator.addr);
    assert_eq!(post.status, 200, "{}", post.body);
    assert!(post.header("content-type").unwrap().contains("json"));
    let json = post.json();
    assert_eq!(json["IsSuccess"], true, "{json}");
    assert!(json["TotalCount"].as_i64().unwrap() > 0, "{json}");

    let mut get = list_repository();
    get.method = Method::Get;
    let answer = get.send(emulator.addr);
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.json()["TotalCount"], json["TotalCount"]);
}

#[test]
fn an_operation_without_parameters_is_a_get_without_a_query() {
    let emulator = start();
    let mut call = V3::new("ListInstance", &[]);
    call.method = Method::Get;
    let answer = call.send(emulator.addr);
    // It reached the operation (not the dashboard's files, not the
    // signature check): a success, or the operation's own parameter
    // check, whichever the catalogue says of ListInstance.
    let json = answer.json();
    assert!(json["RequestId"].is_string(), "{json}");
    let reached = json["IsSuccess"] == true
        || (json["Code"] == "MissingParameter"
            && !json["Message"].as_str().unwrap().contains("x-acs-"));
    assert!(reached, "{json}");
}

#[test]
fn a_plus_in_the_query_is_a_space() {
    let emulator = start();
    let listed = list_repository().send(emulator.addr).json();
    let repo = &listed["Repositories"][0];
    let summary = "tagged by v3+plus ~*";
    let update = V3::new(
        "UpdateRepository",
        &[
            ("InstanceId", INSTANCE),
            ("RegionId", REGION),
            ("RepoId", repo["RepoId"].as_str().unwrap()),
            ("RepoType", repo["RepoType"].as_str().unwrap()),
            ("Summary", summary),
        ],
    );
    let signed = update.sign(emulator.addr);
    // As the Python SDK sends it: form encoding, `+` for a space.
    let plus_query = signed.canonical_query.replace("%20", "+");
    assert!(
        plus_query.contains("Summary=tagged+by+v3%2Bplus+~%2A"),
        "{plus_query}"
    );
    let answer = send_signed(emulator.addr, &signed, &plus_query, b"");
    assert_eq!(answer.status, 200, "{}", answer.body);
    let got = V3::new(
        "GetRepository",
        &[
            ("InstanceId", INSTANCE),
            ("RegionId", REGION),
            ("RepoId", repo["RepoId"].as_str().unwrap()),
        ],
    )
    .send(emulator.addr)
    .json();
    assert_eq!(got["Summary"], summary, "{got}");
}

#[test]
fn headers_the_sdk_adds_are_verified_when_signed_and_repeated_names_joined() {
    let emulator = start();
    let mut call = list_repository();
    call.extra = vec![
        ("accept".into(), "application/json".into()),
        (
            "user-agent".into(),
            "AlibabaCloud (Linux) Python/3.11 TeaDSL/2".into(),
        ),
        ("x-acs-credentials-provider".into(), "static_ak".into()),
        ("x-acs-test".into(), "http".into()),
        ("x-acs-TEST".into(), " https ".into()),
    ];
    let signed = call.sign(emulator.addr);
    assert!(signed
        .header("authorization")
        .unwrap()
        .contains("SignedHeaders=accept;host;user-agent;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-test;x-acs-version,"));
    let answer = send_signed(emulator.addr, &signed, &signed.canonical_query, b"");
    assert_eq!(answer.status, 200, "{}", answer.body);

    // A signed header changed on the way is a wrong signature.
    let mut tampered = call.sign(emulator.addr);
    tampered
        .headers
        .iter_mut()
        .find(|(n, _)| n == "user-agent")
        .unwrap()
        .1 = "other".into();
    tampered
        .headers
        .iter_mut()
        .find(|(n, _)| n == "x-acs-signature-nonce")
        .unwrap()
        .1 = nonce();
    let answer = send_signed(emulator.addr, &tampered, &tampered.canonical_query, b"");
    assert_eq!(code(&answer), "SignatureDoesNotMatch", "{}", answer.body);
}

#[test]
fn a_nonce_is_used_once() {
    let emulator = start();
    let call = list_repository();
    assert_eq!(call.send(emulator.addr).status, 200);
    let again = call.send(emulator.addr);
    assert_eq!(again.status, 400);
    assert_eq!(code(&again), "SignatureNonceUsed", "{}", again.body);
}

#[test]
fn x_acs_date_must_be_within_15_minutes_of_the_emulators_clock() {
    let now_ms = 1_780_000_000_000;
    let clock = ManualClock::at(now_ms);
    let emulator = start_with(|config| config.clock = clock.clone());
    let at = |offset_s: i64| {
        let mut call = list_repository();
        call.date = format_timestamp(now_ms / 1000 + offset_s);
        call.send(emulator.addr)
    };
    assert_eq!(at(-15 * 60).status, 200);
    assert_eq!(at(15 * 60).status, 200);
    let late = at(-15 * 60 - 1);
    assert_eq!(code(&late), "InvalidTimeStamp.Expired", "{}", late.body);
    assert!(late.json()["Message"]
        .as_str()
        .unwrap()
        .contains("x-acs-date"));
    let mut bad = list_repository();
    bad.date = "2026-11-22 10:00:00".into();
    assert_eq!(code(&bad.send(emulator.addr)), "InvalidTimeStamp.Format");
}

#[test]
fn a_wrong_signature_shows_the_servers_canonical_request_and_string_to_sign() {
    let emulator = start();
    let mut call = list_repository();
    call.credentials = Credentials::new(DEMO_ACCESS_KEY_ID, "not-the-secret");
    let signed = call.sign(emulator.addr);
    let answer = send_signed(emulator.addr, &signed, &signed.canonical_query, b"");
    assert_eq!(answer.status, 400);
    assert_eq!(code(&answer), "SignatureDoesNotMatch");
    let message = answer.json()["Message"].as_str().unwrap().to_string();
    // Same inputs, so the server's canonical request is the client's.
    assert!(message.contains(&signed.canonical_request), "{message}");
    assert!(message.contains(&signed.string_to_sign), "{message}");
    assert!(!message.contains(DEMO_ACCESS_KEY_SECRET));
}

#[test]
fn the_content_hash_must_be_the_bodys() {
    let emulator = start();
    let call = list_repository();
    let signed = call.sign(emulator.addr);
    let answer = send_signed(emulator.addr, &signed, &signed.canonical_query, b"Extra=1");
    assert_eq!(code(&answer), "SignatureDoesNotMatch", "{}", answer.body);
    assert!(answer.json()["Message"]
        .as_str()
        .unwrap()
        .contains("x-acs-content-sha256"));
}

#[test]
fn malformed_or_incomplete_authorizations_are_incomplete_signatures() {
    let emulator = start();
    let signed = list_repository().sign(emulator.addr);
    let with_authorization = |value: Option<&str>| {
        let mut changed = signed.clone();
        changed.headers.retain(|(n, _)| n != "authorization");
        if let Some(value) = value {
            changed.headers.push(("authorization".into(), value.into()));
        }
        send_signed(emulator.addr, &changed, &changed.canonical_query, b"")
    };
    let sig = &signed.signature;
    for value in [
        None,
        Some("ACS3-HMAC-SHA256".to_string()),
        Some(format!("ACS3-HMAC-SHA256 Credential={DEMO_ACCESS_KEY_ID},Signature={sig}")),
        Some(format!("ACS3-HMAC-SHA256 Credential={DEMO_ACCESS_KEY_ID},SignedHeaders=host,Signature=xyz")),
        // x-acs-signature-nonce not signed: a replay could change it.
        Some(format!(
            "ACS3-HMAC-SHA256 Credential={DEMO_ACCESS_KEY_ID},SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-version,Signature={sig}"
        )),
        // Named but not sent.
        Some(format!(
            "ACS3-HMAC-SHA256 Credential={DEMO_ACCESS_KEY_ID},SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-missing;x-acs-signature-nonce;x-acs-version,Signature={sig}"
        )),
    ] {
        let answer = with_authorization(value.as_deref());
        assert_eq!(answer.status, 400, "{value:?}: {}", answer.body);
        assert_eq!(code(&answer), "IncompleteSignature", "{value:?}: {}", answer.body);
    }
    let mut unknown_key = list_repository();
    unknown_key.credentials = Credentials::new("LTAI-other", DEMO_ACCESS_KEY_SECRET);
    assert_eq!(
        code(&unknown_key.send(emulator.addr)),
        "InvalidAccessKeyId.NotFound"
    );
}

#[test]
fn an_sts_key_needs_its_token_in_x_acs_security_token() {
    let sts = Credentials::new("STS.v3-key", "sts-secret").with_security_token("sts-token-v3");
    let accepted = sts.clone();
    let emulator = start_with(move |config| config.credentials = accepted);
    let mut call = list_repository();
    call.credentials = sts;
    let signed = call.sign(emulator.addr);
    assert_eq!(signed.header("x-acs-security-token"), Some("sts-token-v3"));
    let answer = send_signed(emulator.addr, &signed, &signed.canonical_query, b"");
    assert_eq!(answer.status, 200, "{}", answer.body);

    let mut without = list_repository();
    without.credentials = Credentials::new("STS.v3-key", "sts-secret");
    assert_eq!(code(&without.send(emulator.addr)), "MissingSecurityToken");
    let mut wrong = list_repository();
    wrong.credentials = Credentials::new("STS.v3-key", "sts-secret").with_security_token("other");
    assert_eq!(
        code(&wrong.send(emulator.addr)),
        "InvalidSecurityToken.Mismatch"
    );
}

#[test]
fn v3_headers_name_the_operation_and_version() {
    let emulator = start();
    let mut unknown = V3::new("ListRepository", &[("InstanceId", INSTANCE)]);
    unknown.action = "NoSuchAction";
    let answer = unknown.send(emulator.addr);
    assert_eq!(code(&answer), "InvalidApi.NotFound", "{}", answer.body);
    // Action in the query is not how V3 names the operation.
    let signed = list_repository().sign(emulator.addr);
    let mut without_action = signed.clone();
    without_action.headers.retain(|(n, _)| n != "x-acs-action");
    let query = format!("Action=ListRepository&{}", signed.canonical_query);
    let answer = send_signed(emulator.addr, &without_action, &query, b"");
    assert_eq!(code(&answer), "MissingParameter", "{}", answer.body);
    assert!(answer.json()["Message"]
        .as_str()
        .unwrap()
        .contains("x-acs-action"));
}

/// pop-core sends V3's `x-acs-action` and `x-acs-version` headers with its
/// V1 requests: the V1 `Signature` decides, and they stay V1.
#[test]
fn a_v1_request_with_x_acs_headers_stays_v1() {
    use tagdeck::sign::{sign, Format, SigningContext as V1Context};
    let emulator = start();
    let credentials = demo();
    let timestamp = format_timestamp(now_seconds());
    let nonce = nonce();
    let signed = sign(
        vec![
            ("Action".into(), "ListRepository".into()),
            ("InstanceId".into(), INSTANCE.into()),
            ("RegionId".into(), REGION.into()),
        ],
        &V1Context {
            method: Method::Get,
            credentials: &credentials,
            timestamp: &timestamp,
            nonce: &nonce,
            version: API_VERSION,
            format: Format::Json,
        },
    );
    let answer = http(
        emulator.addr,
        "GET",
        &format!("/?{}", signed.encoded_params()),
        &[
            ("x-acs-action", "ListRepository"),
            ("x-acs-version", API_VERSION),
        ],
        b"",
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.json()["IsSuccess"], true);
}

/// A page on another local origin sends V3's headers only after a
/// preflight: it allows them, with one `access-control-allow-origin`.
#[test]
fn the_cors_preflight_allows_v3_headers_once() {
    let emulator = start();
    let answer = http(
        emulator.addr,
        "OPTIONS",
        "/",
        &[
            ("Origin", "http://127.0.0.1:5173"),
            ("Access-Control-Request-Method", "GET"),
            ("Access-Control-Request-Headers", "authorization,x-acs-date"),
        ],
        b"",
    );
    assert_eq!(answer.status, 204);
    let origins: Vec<_> = answer
        .headers
        .iter()
        .filter(|(n, _)| n == "access-control-allow-origin")
        .collect();
    assert_eq!(origins.len(), 1, "{:?}", answer.headers);
    let allowed = answer
        .header("access-control-allow-headers")
        .unwrap()
        .to_ascii_lowercase();
    for name in [
        "authorization",
        "x-acs-action",
        "x-acs-version",
        "x-acs-date",
        "x-acs-signature-nonce",
        "x-acs-content-sha256",
        "x-acs-accesskey-id",
        "x-acs-security-token",
    ] {
        assert!(allowed.contains(name), "{allowed}");
    }
}
