//! Cross-check of tagdeck's signature V3 against the vendor's official
//! Python SDK, `alibabacloud-cr20181201` 2.2.5 (issue 12, item 3).
//!
//! `tests/python/capture_v3.py` sends [`CASES`] generated calls (every SDK
//! operation in turn; non-ASCII, spaces, `+ * ~ / % = & ?`, empty values,
//! JSON-text and flat parameters, STS credentials in a third) through the
//! unchanged SDK to a capture server on 127.0.0.1, and records what the SDK
//! signed (its query map, its own canonical query, its payload hash) and
//! what arrived. For every request:
//! - (a) tagdeck's verifier (`sign_v3::verify`), given only what arrived
//!   (URL with `+` for spaces, headers, body) and the secret, accepts it;
//!   the query decoded from the URL is exactly the map the SDK signed;
//! - (b) tagdeck signs the SDK's parameters with the SDK's date and nonce
//!   (`sign_v3::request_headers` + `sign_with_headers`) over the headers the
//!   SDK signed: its own headers carry the SDK's values, it signs no header
//!   the SDK does not, and the canonical query string, the payload hash,
//!   the signature and the whole Authorization are the SDK's.
//!
//! Zero mismatches required. The SDK also signs `accept`, `user-agent` and
//! `x-acs-credentials-provider`, which tagdeck does not send: for (b) those
//! are taken from the request, as a server would.
//!
//! Needs the venv of `scripts/python-env.sh` (made once by
//! `scripts/setup.sh`, cached; the test itself never installs): the test
//! fails without it (a skipped cross-check proves nothing). `scripts/test.sh`
//! runs it: `cargo test --test signing_v3_python -- --ignored --nocapture`.

#[path = "support/python_venv.rs"]
mod python_venv;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;

use base64::Engine as _;
use serde_json::Value as Json;
use tagdeck::catalog::{Method, API_VERSION};
use tagdeck::encode::form_decode;
use tagdeck::sign_v3::{self, Received, SigningContext};
use tagdeck::Credentials;

/// How many calls the SDK makes: ten of each of its 119 operations.
const CASES: usize = 1_190;
/// The generator's seed; any change gives a new, equally valid run.
const SEED: u64 = 12;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the SDK and returns its captures.
fn capture() -> Json {
    let venv = python_venv::venv(&root());
    let out = std::env::temp_dir().join(format!("tagdeck-v3-captures-{}.json", std::process::id()));
    let run = Command::new(venv.join("bin/python"))
        .arg(root().join("tests/python/capture_v3.py"))
        .args(["--cases", &CASES.to_string(), "--seed", &SEED.to_string()])
        .arg("--out")
        .arg(&out)
        .output()
        .expect("the venv's python runs");
    assert!(
        run.status.success(),
        "capture_v3.py failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text = std::fs::read_to_string(&out).expect("capture_v3.py wrote its file");
    let _ = std::fs::remove_file(&out);
    serde_json::from_str(&text).expect("the captures are JSON")
}

fn pairs(json: &Json) -> Vec<(String, String)> {
    json.as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap().to_string(),
                p[1].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn sorted(mut pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    pairs.sort();
    pairs
}

/// The query of a request target, decoded as a server does (`+` is a
/// space).
fn decoded_query(target: &str) -> Result<Vec<(String, String)>, String> {
    let Some((_, query)) = target.split_once('?') else {
        return Ok(Vec::new());
    };
    query
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (name, value) = part.split_once('=').unwrap_or((part, ""));
            match (form_decode(name), form_decode(value)) {
                (Some(name), Some(value)) => Ok((name, value)),
                _ => Err(format!("not UTF-8 once decoded: {part}")),
            }
        })
        .collect()
}

/// How often each feature occurred, so that a generator that stopped
/// producing one shows.
#[derive(Default)]
struct Counts {
    calls: usize,
    get: usize,
    sts: usize,
    json_params: usize,
    flat_params: usize,
    empty_values: usize,
    non_ascii: usize,
    chars: BTreeMap<char, usize>,
}

impl Counts {
    fn add(&mut self, case: &Json, query: &[(String, String)], method: Method) {
        self.calls += 1;
        self.get += usize::from(method == Method::Get);
        self.sts += usize::from(case["security_token"].is_string());
        for name in case["structured"].as_array().unwrap() {
            let name = name.as_str().unwrap();
            let flat_prefix = format!("{name}.");
            if query.iter().any(|(k, _)| k == name) {
                self.json_params += 1;
            } else if query.iter().any(|(k, _)| k.starts_with(&flat_prefix)) {
                self.flat_params += 1;
            }
        }
        for (_, value) in query {
            self.empty_values += usize::from(value.is_empty());
            self.non_ascii += usize::from(!value.is_ascii());
            for c in [' ', '+', '*', '~', '/', '%', '=', '&', '?'] {
                if value.contains(c) {
                    *self.chars.entry(c).or_default() += 1;
                }
            }
        }
    }

    fn summary(&self, mismatches: usize) -> String {
        let mut chars = String::new();
        for (c, n) in &self.chars {
            let _ = write!(chars, " '{c}' {n}");
        }
        format!(
            "python V3 cross-check (alibabacloud-cr20181201): {} calls ({} GET, {} STS; params: {} JSON-text, {} flat, {} empty, {} non-ASCII; values with{chars}), {mismatches} mismatches",
            self.calls, self.get, self.sts, self.json_params, self.flat_params, self.empty_values, self.non_ascii
        )
    }
}

/// Checks one capture; each difference is one line in `out`.
fn check(index: usize, case: &Json, counts: &mut Counts, out: &mut Vec<String>) {
    let op = case["operation"].as_str().unwrap();
    let mut fail = |what: String| out.push(format!("case {index} ({op}): {what}"));
    if let Some(error) = case["error"].as_str() {
        return fail(format!("the SDK call failed: {error}"));
    }
    let (sdk, received) = (&case["sdk"], &case["received"]);
    if sdk.is_null() || received.is_null() {
        return fail("nothing was signed or nothing arrived".into());
    }
    let method = match received["method"].as_str().unwrap() {
        "GET" => Method::Get,
        "POST" => Method::Post,
        other => return fail(format!("method {other}")),
    };
    let sdk_query = pairs(&sdk["query"]);
    counts.add(case, &sdk_query, method);
    let headers = pairs(&received["headers"]);
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
            .unwrap_or("")
    };
    let body = base64::engine::general_purpose::STANDARD
        .decode(received["body_base64"].as_str().unwrap())
        .unwrap();
    let mut credentials = Credentials::new(
        case["access_key_id"].as_str().unwrap(),
        case["access_key_secret"].as_str().unwrap(),
    );
    if let Some(token) = case["security_token"].as_str() {
        credentials = credentials.with_security_token(token);
    }

    // (a) what arrived, verified and decoded by tagdeck.
    let query = match decoded_query(received["target"].as_str().unwrap()) {
        Ok(query) => query,
        Err(e) => return fail(e),
    };
    if sorted(query.clone()) != sorted(sdk_query.clone()) {
        fail(format!(
            "the URL's query decodes to {query:?}, the SDK signed {sdk_query:?}"
        ));
    }
    let authorization = header("authorization");
    let auth = match sign_v3::parse_authorization(authorization) {
        Ok(auth) => auth,
        Err(e) => return fail(format!("Authorization not read: {e}")),
    };
    let arrived = Received {
        method,
        query: &query,
        headers: &headers,
        body: &body,
    };
    if let Err(e) = sign_v3::verify(&arrived, &auth, credentials.access_key_secret()) {
        fail(format!("tagdeck's verifier refused it: {e:?}"));
    }

    // (b) the same parameters, date and nonce, signed by tagdeck.
    let ctx = SigningContext {
        method,
        credentials: &credentials,
        host: header("host"),
        action: op,
        version: API_VERSION,
        date: header("x-acs-date"),
        nonce: header("x-acs-signature-nonce"),
    };
    let own = sign_v3::request_headers(&ctx);
    for (name, value) in &own {
        if !auth.header_names().any(|signed| signed == name) {
            fail(format!("tagdeck signs {name}, the SDK does not"));
        } else if header(name) != value {
            fail(format!(
                "tagdeck's {name} is {value:?}, the SDK's {:?}",
                header(name)
            ));
        }
    }
    let mut signed_headers = own.clone();
    for name in auth
        .header_names()
        .filter(|name| !own.iter().any(|(n, _)| n == name))
    {
        signed_headers.extend(
            headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(n, v)| (n.to_string(), v.to_string())),
        );
    }
    let ours = sign_v3::sign_with_headers(
        method,
        sdk_query,
        signed_headers,
        sign_v3::EMPTY_PAYLOAD_SHA256,
        &credentials,
    );
    let sdk_text = |field: &str| sdk[field].as_str().unwrap();
    if ours.canonical_query != sdk_text("canonical_query") {
        fail(format!(
            "canonical query: tagdeck {:?}, SDK {:?}",
            ours.canonical_query,
            sdk_text("canonical_query")
        ));
    }
    if sign_v3::EMPTY_PAYLOAD_SHA256 != sdk_text("payload_hash")
        || sign_v3::hex_sha256(&body) != sdk_text("payload_hash")
    {
        fail(format!("payload hash: SDK {}", sdk_text("payload_hash")));
    }
    if ours.signature != auth.signature {
        fail(format!(
            "signature: tagdeck {}, SDK {}",
            ours.signature, auth.signature
        ));
    }
    if ours.header("authorization") != Some(authorization)
        || authorization != sdk_text("authorization")
    {
        fail(format!(
            "Authorization: tagdeck {:?}, sent {authorization:?}",
            ours.header("authorization")
        ));
    }
}

#[test]
#[ignore = "runs the Python SDK (scripts/python-env.sh); scripts/test.sh runs it with --ignored"]
fn the_python_sdk_and_tagdeck_sign_v3_alike() {
    let captures = capture();
    let cases = captures["cases"].as_array().unwrap();
    assert_eq!(cases.len(), CASES, "one capture per case");
    assert_eq!(captures["operations"], 119, "the SDK's operations");
    let mut counts = Counts::default();
    let mut mismatches = Vec::new();
    for (index, case) in cases.iter().enumerate() {
        check(index, case, &mut counts, &mut mismatches);
    }
    eprintln!("{}", counts.summary(mismatches.len()));
    assert!(
        mismatches.is_empty(),
        "{} mismatches, the first ones:\n{}",
        mismatches.len(),
        mismatches
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    // Every feature the generator is meant to produce occurred.
    assert_eq!(counts.calls, CASES);
    for (what, n) in [
        ("GET", counts.get),
        ("STS", counts.sts),
        ("JSON-text params", counts.json_params),
        ("flat params", counts.flat_params),
        ("empty values", counts.empty_values),
        ("non-ASCII values", counts.non_ascii),
    ] {
        assert!(n > 0, "no {what} among the calls");
    }
    for c in [' ', '+', '*', '~', '/', '%', '=', '&', '?'] {
        assert!(counts.chars.contains_key(&c), "no value with {c:?}");
    }
}
