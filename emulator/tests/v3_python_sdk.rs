//! The vendor's official Python SDK (`alibabacloud-cr20181201` 2.2.5, V3 by
//! default), unchanged, against the emulator: every generated call
//! (`tests/python/capture_v3.py --against`, the values of the V3
//! cross-check: non-ASCII, spaces, `+ * ~ / % = & ?`, empty, JSON-text and
//! flat parameters) passes the emulator's V3 verification, with a long-term
//! key and with STS, and a wrong secret is refused as `SignatureDoesNotMatch`
//! on every call. A business answer (success, a missing or invalid
//! parameter, an unknown resource) is fine here; every operation's own
//! behaviour is the every-operation interop test's.
//!
//! V1 keeps working beside V3: the vendor's V1 Python SDK
//! (`aliyun-python-sdk-core`) by GET and by POST.
//!
//! Needs the venv of `scripts/python-env.sh` (made by `scripts/setup.sh`);
//! fails without it.

mod common;
#[path = "../../tests/support/python_venv.rs"]
mod python_venv;

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value as Json;
use tagdeck::Credentials;
use tagdeck_emulator::config::{DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET};

/// Codes that mean the signature, the key, the token, the time or the
/// nonce was refused (or the API is unknown): none may answer a call the SDK
/// signed. The list `tests/python/sdk_every_operation.py` shares.
fn signature_codes() -> Vec<String> {
    let path = root().join("tests/python/signature_refusals.json");
    let text = std::fs::read_to_string(&path).expect("tests/python/signature_refusals.json");
    serde_json::from_str(&text).expect("a JSON list of codes")
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The SDKs' venv (`scripts/python-env.sh`; never installed from a test).
fn venv() -> PathBuf {
    python_venv::venv(&root())
}

/// Runs `cases` generated SDK calls of the operations the catalogue knows
/// against `endpoint`; the answers' codes (`None` for a success).
fn sdk_calls(
    endpoint: &str,
    credentials: &Credentials,
    cases: usize,
) -> Vec<(String, Option<String>)> {
    let venv = venv();
    let operations: Vec<&str> = tagdeck::catalog::operations().map(|op| op.action).collect();
    let out = std::env::temp_dir().join(format!(
        "tagdeck-v3-sdk-{}-{}.json",
        std::process::id(),
        common::nonce()
    ));
    let mut command = Command::new(venv.join("bin/python"));
    command
        .arg(root().join("tests/python/capture_v3.py"))
        .args([
            "--cases",
            &cases.to_string(),
            "--seed",
            "5",
            "--against",
            endpoint,
        ])
        .args(["--access-key-id", credentials.access_key_id()])
        .args(["--access-key-secret", credentials.access_key_secret()])
        .args(["--operations", &operations.join(",")])
        .arg("--out")
        .arg(&out);
    if let Some(token) = credentials.security_token() {
        command.args(["--security-token", token]);
    }
    let run = command.output().expect("the venv's python runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let answers: Json = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let _ = std::fs::remove_file(&out);
    assert!(answers["operations"].as_u64().unwrap() > 0);
    answers["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|case| {
            (
                case["operation"].as_str().unwrap().to_string(),
                case["code"].as_str().map(str::to_string),
            )
        })
        .collect()
}

/// Every call was answered by the API (a code without spaces, or success)
/// and none was refused for its signature.
fn assert_signatures_accepted(calls: &[(String, Option<String>)]) {
    let signature_codes = signature_codes();
    let refused: Vec<_> = calls
        .iter()
        .filter(|(_, code)| {
            code.as_ref()
                .is_some_and(|c| signature_codes.contains(c) || c.contains(' '))
        })
        .collect();
    assert!(
        refused.is_empty(),
        "{} of {} calls refused: {:?}",
        refused.len(),
        calls.len(),
        &refused[..refused.len().min(10)]
    );
    assert!(
        calls.iter().any(|(_, code)| code.is_none()),
        "no call succeeded"
    );
}

#[test]
fn the_python_sdk_passes_v3_verification_with_a_long_term_key() {
    let emulator = common::start();
    let calls = sdk_calls(
        &emulator.addr.to_string(),
        &Credentials::new(DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET),
        600,
    );
    assert_eq!(calls.len(), 600);
    assert_signatures_accepted(&calls);
}

#[test]
fn the_python_sdk_passes_v3_verification_with_sts() {
    let sts =
        Credentials::new("STS.python-v3", "sts-secret+/=").with_security_token("CAIS+sts/token=&?");
    let accepted = sts.clone();
    let emulator = common::start_with(move |config| config.credentials = accepted);
    let calls = sdk_calls(&emulator.addr.to_string(), &sts, 200);
    assert_signatures_accepted(&calls);
}

#[test]
fn a_wrong_secret_is_refused_on_every_call() {
    let emulator = common::start();
    let calls = sdk_calls(
        &emulator.addr.to_string(),
        &Credentials::new(DEMO_ACCESS_KEY_ID, "not-the-secret"),
        40,
    );
    for (operation, code) in &calls {
        assert_eq!(
            code.as_deref(),
            Some("SignatureDoesNotMatch"),
            "{operation}"
        );
    }
}

#[test]
fn v1_keeps_working_beside_v3_with_aliyun_python_sdk_core() {
    let emulator = common::start();
    let run = Command::new(venv().join("bin/python"))
        .arg(root().join("tests/python/aliyunsdkcore_v1.py"))
        .args([
            &emulator.addr.to_string(),
            DEMO_ACCESS_KEY_ID,
            DEMO_ACCESS_KEY_SECRET,
            common::INSTANCE,
            common::REGION,
        ])
        .output()
        .expect("the venv's python runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let results: Vec<Json> = String::from_utf8(run.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(results.len(), 2, "GET and POST");
    for result in &results {
        assert_eq!(result["ok"], true, "{result}");
        assert_eq!(result["body"]["IsSuccess"], true, "{result}");
    }
}
