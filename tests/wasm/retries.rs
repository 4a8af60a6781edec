//! Retries (backoff with jitter, `x-acs-retry-after`, fresh nonce and
//! timestamp per attempt, reads only unless `retryWrites`) and timeouts.

use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{
    client, delete_repo_tag, get, get_str, list_params, list_repo_tag, list_repo_tag_answer, n,
    now, obj, s, wait, FakeFetch, Step,
};

fn ok() -> Step {
    Step::json(200, &list_repo_tag_answer("1"))
}

fn delete_params() -> JsValue {
    obj(&[
        ("instanceId", s("cri-1")),
        ("repoId", s("crr-1")),
        ("tag", s("v1")),
    ])
}

#[wasm_bindgen_test]
async fn network_errors_twice_then_success() {
    let fetch = FakeFetch::new(vec![Step::Fail, Step::Fail, ok()]);
    let client = client(&fetch, &[]);
    let answer = wait(list_repo_tag(&client, list_params())).await.unwrap();
    assert_eq!(get(&answer, "totalCount").as_f64(), Some(1.0));
    assert_eq!(fetch.count(), 3);
    // Every attempt is signed anew: its own nonce, a valid signature.
    let nonces: std::collections::HashSet<String> = (0..3)
        .map(|i| {
            fetch
                .request(i)
                .param("SignatureNonce")
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(nonces.len(), 3);
    assert!((0..3).all(|i| fetch.request(i).signature_ok));
}

#[wasm_bindgen_test]
async fn server_errors_and_throttling_are_retried() {
    let fetch = FakeFetch::new(vec![
        Step::error(503, "ServiceUnavailable", "busy"),
        Step::error(400, "Throttling.User", "slow down"),
        ok(),
    ]);
    let client = client(&fetch, &[]);
    wait(list_repo_tag(&client, list_params())).await.unwrap();
    assert_eq!(fetch.count(), 3);
    // A gateway's HTML 502 is retried too.
    let fetch = FakeFetch::new(vec![
        Step::Respond {
            status: 502,
            body: "<html>Bad Gateway</html>".into(),
            headers: vec![],
        },
        ok(),
    ]);
    let client = crate::support::client(&fetch, &[]);
    wait(list_repo_tag(&client, list_params())).await.unwrap();
    assert_eq!(fetch.count(), 2);
}

#[wasm_bindgen_test]
async fn a_non_retryable_error_is_not_retried() {
    let fetch = FakeFetch::new(vec![Step::error(400, "InvalidParameter", "bad"), ok()]);
    let client = client(&fetch, &[]);
    let error = wait(list_repo_tag(&client, list_params()))
        .await
        .unwrap_err();
    assert_eq!(get_str(&error, "code"), "InvalidParameter");
    assert_eq!(get(&error, "retryable"), JsValue::FALSE);
    assert_eq!(fetch.count(), 1);
    assert_eq!(fetch.unused(), 1);
}

#[wasm_bindgen_test]
async fn retries_stop_after_max_retries() {
    let fetch = FakeFetch::new(vec![Step::Fail, Step::Fail, Step::Fail, Step::Fail]);
    let client = client(&fetch, &[("maxRetries", n(2.0))]);
    let error = wait(list_repo_tag(&client, list_params()))
        .await
        .unwrap_err();
    assert_eq!(get_str(&error, "code"), "NetworkError");
    assert_eq!(get(&error, "retryable"), JsValue::TRUE);
    assert!(get(&error, "httpStatus").is_undefined());
    assert!(get_str(&error, "message").contains("http://registry.test"));
    assert_eq!(fetch.count(), 3);

    let fetch = FakeFetch::new(vec![Step::Fail, ok()]);
    let client = crate::support::client(&fetch, &[("maxRetries", n(0.0))]);
    wait(list_repo_tag(&client, list_params()))
        .await
        .unwrap_err();
    assert_eq!(fetch.count(), 1);
}

#[wasm_bindgen_test]
async fn writes_are_retried_only_when_asked() {
    let fetch = FakeFetch::new(vec![Step::error(503, "ServiceUnavailable", "busy"), ok()]);
    let client = client(&fetch, &[]);
    let error = wait(delete_repo_tag(&client, delete_params()))
        .await
        .unwrap_err();
    assert_eq!(get_str(&error, "code"), "ServiceUnavailable");
    assert_eq!(get(&error, "retryable"), JsValue::TRUE);
    assert_eq!(fetch.count(), 1);

    let fetch = FakeFetch::new(vec![
        Step::error(503, "ServiceUnavailable", "busy"),
        Step::json(200, r#"{"IsSuccess":true}"#),
    ]);
    let client = crate::support::client(&fetch, &[("retryWrites", JsValue::TRUE)]);
    wait(delete_repo_tag(&client, delete_params()))
        .await
        .unwrap();
    assert_eq!(fetch.count(), 2);
}

#[wasm_bindgen_test]
async fn a_throttled_write_is_retried_by_default() {
    // Throttling is a refusal before anything was applied: safe to send again.
    let fetch = FakeFetch::new(vec![
        Step::error(400, "Throttling.User", "slow down").with_header("x-acs-retry-after", "5"),
        Step::json(200, r#"{"IsSuccess":true}"#),
    ]);
    let client = client(&fetch, &[]);
    wait(delete_repo_tag(&client, delete_params()))
        .await
        .unwrap();
    assert_eq!(fetch.count(), 2);
}

#[wasm_bindgen_test]
async fn retry_after_header_is_honoured() {
    let fetch = FakeFetch::new(vec![
        Step::error(400, "Throttling.User", "slow down").with_header("x-acs-retry-after", "300"),
        ok(),
    ]);
    // A large base delay would show if the header were ignored... and a
    // tiny one shows it is not the backoff that waits.
    let client = client(&fetch, &[("retryBaseDelayMs", n(1.0))]);
    wait(list_repo_tag(&client, list_params())).await.unwrap();
    let waited = fetch.request(1).at_ms - fetch.request(0).at_ms;
    assert!(waited >= 290.0, "waited only {waited} ms");
    assert!(waited < 2000.0, "waited {waited} ms");
}

#[wasm_bindgen_test]
async fn a_retry_after_beyond_the_limit_ends_the_retries() {
    let fetch = FakeFetch::new(vec![
        Step::error(400, "Throttling.User", "slow down").with_header("x-acs-retry-after", "60000"),
        ok(),
    ]);
    let client = client(&fetch, &[("retryMaxDelayMs", n(1000.0))]);
    let error = wait(list_repo_tag(&client, list_params()))
        .await
        .unwrap_err();
    assert_eq!(get_str(&error, "code"), "Throttling.User");
    assert_eq!(get(&error, "retryAfterMs").as_f64(), Some(60000.0));
    assert_eq!(fetch.count(), 1);
}

#[wasm_bindgen_test]
async fn backoff_grows_but_stays_within_its_bounds() {
    let fetch = FakeFetch::new(vec![Step::Fail, Step::Fail, Step::Fail, ok()]);
    let client = client(
        &fetch,
        &[("maxRetries", n(3.0)), ("retryBaseDelayMs", n(40.0))],
    );
    let start = now();
    wait(list_repo_tag(&client, list_params())).await.unwrap();
    // Full jitter: each wait is in [0, 40 * 2^n), so at most 40 + 80 + 160.
    let total = fetch.request(3).at_ms - fetch.request(0).at_ms;
    assert!(total < 280.0 + 150.0, "waited {total} ms in all");
    assert!(now() - start >= 0.0);
}

#[wasm_bindgen_test]
async fn timeout_aborts_the_request() {
    let fetch = FakeFetch::new(vec![Step::Hang { honour_abort: true }]);
    let client = client(&fetch, &[("timeoutMs", n(100.0)), ("maxRetries", n(0.0))]);
    let start = now();
    let error = wait(list_repo_tag(&client, list_params()))
        .await
        .unwrap_err();
    let elapsed = now() - start;
    assert_eq!(get_str(&error, "code"), "Timeout");
    assert!(get_str(&error, "message").contains("100 ms"));
    assert_eq!(get(&error, "retryable"), JsValue::TRUE);
    assert!((90.0..1500.0).contains(&elapsed), "took {elapsed} ms");
    assert_eq!(get(&fetch.request(0).signal, "aborted"), JsValue::TRUE);
}

#[wasm_bindgen_test]
async fn timeout_holds_even_when_fetch_ignores_the_signal() {
    let fetch = FakeFetch::new(vec![Step::Hang {
        honour_abort: false,
    }]);
    let client = client(&fetch, &[("timeoutMs", n(80.0)), ("maxRetries", n(0.0))]);
    let error = wait(list_repo_tag(&client, list_params()))
        .await
        .unwrap_err();
    assert_eq!(get_str(&error, "code"), "Timeout");
}

#[wasm_bindgen_test]
async fn a_timed_out_read_is_retried() {
    let fetch = FakeFetch::new(vec![Step::Hang { honour_abort: true }, ok()]);
    let client = client(&fetch, &[("timeoutMs", n(80.0))]);
    wait(list_repo_tag(&client, list_params())).await.unwrap();
    assert_eq!(fetch.count(), 2);
}
