//! The published signature V3 vectors (shared/docs/signature-v3.md), kept as
//! data in `tests/vectors/v3-signature.json`: one test per vector per stage,
//! each stage checked on its own, then the whole signer and the verifier.

use serde_json::Value as Json;
use tagdeck::catalog::Method;
use tagdeck::sign_v3::{self, Authorization, Received};
use tagdeck::Credentials;

struct Vector {
    json: Json,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    method: Method,
}

impl Vector {
    fn load(name: &str) -> Vector {
        let path = format!(
            "{}/tests/vectors/v3-signature.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let all: Vec<Json> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let json = all
            .into_iter()
            .find(|v| v["name"] == name)
            .unwrap_or_else(|| panic!("no vector {name}"));
        let pairs = |field: &str| -> Vec<(String, String)> {
            json[field]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| (p[0].as_str().unwrap().into(), p[1].as_str().unwrap().into()))
                .collect()
        };
        let (query, headers) = (pairs("query"), pairs("headers"));
        let method = if json["method"] == "POST" {
            Method::Post
        } else {
            Method::Get
        };
        Vector {
            json,
            query,
            headers,
            method,
        }
    }

    fn text(&self, field: &str) -> &str {
        self.json[field]
            .as_str()
            .unwrap_or_else(|| panic!("{field} of {}", self.json["name"]))
    }

    fn credentials(&self) -> Credentials {
        Credentials::new(self.text("access_key_id"), self.text("secret"))
    }
}

fn check_canonical_query(name: &str) {
    let v = Vector::load(name);
    assert_eq!(
        sign_v3::canonical_query(&v.query),
        v.text("canonical_query")
    );
}

fn check_canonical_headers(name: &str) {
    let v = Vector::load(name);
    let headers = sign_v3::canonical_headers(&v.headers);
    assert_eq!(headers.canonical, v.text("canonical_headers"));
    assert_eq!(headers.signed_headers, v.text("signed_headers"));
}

fn check_canonical_request(name: &str) {
    let v = Vector::load(name);
    let request = sign_v3::canonical_request(
        v.method,
        v.text("canonical_query"),
        &sign_v3::canonical_headers(&v.headers),
        v.text("hashed_payload"),
    );
    assert_eq!(request, v.text("canonical_request"));
    assert_eq!(
        sign_v3::hex_sha256(request.as_bytes()),
        v.text("canonical_request_sha256")
    );
}

fn check_string_to_sign(name: &str) {
    let v = Vector::load(name);
    assert_eq!(
        sign_v3::string_to_sign(v.text("canonical_request")),
        v.text("string_to_sign")
    );
}

fn check_signature(name: &str) {
    let v = Vector::load(name);
    assert_eq!(
        sign_v3::signature(v.text("string_to_sign"), v.text("secret")),
        v.text("signature")
    );
}

fn check_authorization(name: &str) {
    let v = Vector::load(name);
    let built = sign_v3::authorization(
        v.text("access_key_id"),
        v.text("signed_headers"),
        v.text("signature"),
    );
    assert_eq!(built, v.text("authorization"));
    assert_eq!(
        sign_v3::parse_authorization(&built).unwrap(),
        Authorization {
            access_key_id: v.text("access_key_id"),
            signed_headers: v.text("signed_headers"),
            signature: v.text("signature"),
        }
    );
}

/// All stages at once: the same Authorization from the parameters.
fn check_whole_signer(name: &str) {
    let v = Vector::load(name);
    let signed = sign_v3::sign_with_headers(
        v.method,
        v.query.clone(),
        v.headers.clone(),
        v.text("hashed_payload"),
        &v.credentials(),
    );
    assert_eq!(signed.canonical_query, v.text("canonical_query"));
    assert_eq!(signed.canonical_request, v.text("canonical_request"));
    assert_eq!(signed.string_to_sign, v.text("string_to_sign"));
    assert_eq!(signed.signature, v.text("signature"));
    assert_eq!(
        signed.headers.last().unwrap(),
        &(
            "authorization".to_string(),
            v.text("authorization").to_string()
        )
    );
}

#[test]
fn run_instances_canonical_query() {
    check_canonical_query("run-instances");
}
#[test]
fn run_instances_canonical_headers() {
    check_canonical_headers("run-instances");
}
#[test]
fn run_instances_canonical_request() {
    check_canonical_request("run-instances");
}
#[test]
fn run_instances_string_to_sign() {
    check_string_to_sign("run-instances");
}
#[test]
fn run_instances_signature() {
    check_signature("run-instances");
}
#[test]
fn run_instances_authorization() {
    check_authorization("run-instances");
}
#[test]
fn run_instances_whole_signer() {
    check_whole_signer("run-instances");
}

#[test]
fn darabonba_canonical_query() {
    check_canonical_query("darabonba-duplicate-headers");
}
#[test]
fn darabonba_canonical_headers() {
    check_canonical_headers("darabonba-duplicate-headers");
}
#[test]
fn darabonba_canonical_request() {
    check_canonical_request("darabonba-duplicate-headers");
}
#[test]
fn darabonba_string_to_sign() {
    check_string_to_sign("darabonba-duplicate-headers");
}
#[test]
fn darabonba_signature() {
    check_signature("darabonba-duplicate-headers");
}
#[test]
fn darabonba_authorization() {
    check_authorization("darabonba-duplicate-headers");
}
#[test]
fn darabonba_whole_signer() {
    check_whole_signer("darabonba-duplicate-headers");
}

/// The cr signer with the vector's inputs makes the vector's request: the
/// headers tagdeck signs are exactly the page's.
#[test]
fn run_instances_through_the_request_signer() {
    let v = Vector::load("run-instances");
    let credentials = v.credentials();
    let header = |name: &str| {
        v.headers
            .iter()
            .find(|(n, _)| n == name)
            .unwrap()
            .1
            .as_str()
    };
    let signed = sign_v3::sign(
        v.query.clone(),
        &sign_v3::SigningContext {
            method: v.method,
            credentials: &credentials,
            host: header("host"),
            action: header("x-acs-action"),
            version: header("x-acs-version"),
            date: header("x-acs-date"),
            nonce: header("x-acs-signature-nonce"),
        },
    );
    assert_eq!(
        signed.header("authorization"),
        Some(v.text("authorization"))
    );
    assert_eq!(
        signed.url("ecs.cn-shanghai.aliyuncs.com"),
        format!(
            "https://ecs.cn-shanghai.aliyuncs.com/?{}",
            v.text("canonical_query")
        )
    );
}

/// A server verifying the vector's request accepts it, and refuses it with
/// another secret, handing back the canonical request it computed.
#[test]
fn run_instances_verifies() {
    let v = Vector::load("run-instances");
    let mut headers: Vec<(&str, &str)> = v
        .headers
        .iter()
        .map(|(n, x)| (n.as_str(), x.as_str()))
        .collect();
    headers.push(("Authorization", v.text("authorization")));
    // Headers the client did not sign change nothing.
    headers.push(("user-agent", "unsigned"));
    let auth = sign_v3::parse_authorization(v.text("authorization")).unwrap();
    let received = Received {
        method: v.method,
        query: &v.query,
        headers: &headers,
        body: b"",
    };
    sign_v3::verify(&received, &auth, v.text("secret")).unwrap();
    match sign_v3::verify(&received, &auth, "wrong") {
        Err(sign_v3::VerifyError::SignatureMismatch {
            canonical_request,
            string_to_sign,
        }) => {
            assert_eq!(canonical_request, v.text("canonical_request"));
            assert_eq!(string_to_sign, v.text("string_to_sign"));
        }
        other => panic!("{other:?}"),
    }
}

/// The repeated header of the darabonba vector, as a server receives it:
/// both values are found under either spelling of the name.
#[test]
fn darabonba_verifies_with_repeated_header_names() {
    let v = Vector::load("darabonba-duplicate-headers");
    let headers: Vec<(&str, &str)> = v
        .headers
        .iter()
        .map(|(n, x)| (n.as_str(), x.as_str()))
        .collect();
    let auth = sign_v3::parse_authorization(v.text("authorization")).unwrap();
    // The vector's payload hash is a literal, not a body's hash: the
    // signature is checked stage by stage instead of through `verify`.
    let names = sign_v3::signed_headers(&headers, &auth).unwrap();
    assert_eq!(names, headers);
    let request = sign_v3::canonical_request(
        v.method,
        &sign_v3::canonical_query(&v.query),
        &sign_v3::canonical_headers(&names),
        v.text("hashed_payload"),
    );
    assert_eq!(
        sign_v3::signature(&sign_v3::string_to_sign(&request), v.text("secret")),
        auth.signature
    );
}
