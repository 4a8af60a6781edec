//! Error objects, and bad input from JS: always a `TagdeckError` naming
//! the field, never a panic, never the secret.

use tagdeck::wasm::{sign_request, Client};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{
    client, client_options, get, get_str, list_params, list_repo_tag, n, obj, s, stringify, wait,
    FakeFetch, SECRET,
};

/// Asserts `error` is a `TagdeckError` with `code` whose message names `field`.
fn assert_error(error: &JsValue, code: &str, field: &str) {
    assert!(
        error.is_instance_of::<js_sys::Error>(),
        "not an Error: {error:?}"
    );
    assert_eq!(get_str(error, "name"), "TagdeckError");
    assert!(get(error, "stack")
        .as_string()
        .is_some_and(|s| !s.is_empty()));
    let message = get_str(error, "message");
    assert_eq!(get_str(error, "code"), code, "{message}");
    assert!(message.contains(field), "{message:?} does not name {field}");
    assert!(!message.contains(SECRET), "the secret leaked: {message}");
    for key in ["requestId", "httpStatus", "recommend"] {
        assert!(
            js_sys::Reflect::has(error, &s(key)).unwrap(),
            "{key} is not set"
        );
    }
    assert_eq!(get(error, "retryable"), JsValue::FALSE);
}

#[wasm_bindgen_test]
fn sign_request_refuses_bad_options_by_name() {
    let good = || {
        vec![
            ("endpoint", s("cr.cn-hangzhou.aliyuncs.com")),
            ("accessKeyId", s("id")),
            ("accessKeySecret", s(SECRET)),
            ("params", obj(&[("Action", s("ListInstance"))])),
        ]
    };
    let with = |key: &'static str, value: JsValue| {
        let mut pairs: Vec<(&str, JsValue)> =
            good().into_iter().filter(|(k, _)| *k != key).collect();
        if !value.is_undefined() {
            pairs.push((key, value));
        }
        obj(&pairs)
    };
    let cases = [
        (with("accessKeyId", n(42.0)), "accessKeyId"),
        (with("accessKeyId", JsValue::UNDEFINED), "accessKeyId"),
        (with("accessKeySecret", s("")), "accessKeySecret"),
        (
            with("accessKeySecret", JsValue::UNDEFINED),
            "accessKeySecret",
        ),
        (with("endpoint", JsValue::TRUE), "endpoint"),
        (with("method", s("PUT")), "method"),
        (with("format", s("YAML")), "format"),
        (with("timestamp", s("2016-02-23 12:46:24")), "timestamp"),
        (with("nonce", n(1.0)), "nonce"),
        (with("params", s("Action=ListInstance")), "params"),
        (with("params", JsValue::UNDEFINED), "params"),
        (with("params", obj(&[("RepoId", s("x"))])), "Action"),
        (with("params", obj(&[("Action", n(5.0))])), "Action"),
        (
            with(
                "params",
                obj(&[
                    ("Action", s("X")),
                    ("Cb", js_sys::Function::new_no_args("").into()),
                ]),
            ),
            "Cb",
        ),
        (
            with("params", obj(&[("Action", s("X")), ("N", n(f64::NAN))])),
            "N",
        ),
        (
            with(
                "params",
                obj(&[("Action", s("X")), ("When", js_sys::Date::new_0().into())]),
            ),
            "When",
        ),
        (
            with(
                "params",
                obj(&[
                    ("Action", s("X")),
                    ("Huge", JsValue::bigint_from_str("99999999999999999999")),
                ]),
            ),
            "Huge",
        ),
        (with("secret", s("x")), "secret"),
        (JsValue::UNDEFINED, "opts"),
        (s("opts"), "opts"),
    ];
    for (opts, field) in cases {
        let error = sign_request(opts).unwrap_err();
        assert_error(&error, "InvalidParameter", field);
    }
}

#[wasm_bindgen_test]
fn client_refuses_bad_options_by_name() {
    let fetch = FakeFetch::new(vec![]);
    let cases: Vec<(&str, JsValue)> = vec![
        ("accessKeyId", JsValue::NULL),
        ("accessKeySecret", n(1.0)),
        ("regionId", s("")),
        ("format", s("CSV")),
        ("method", s("DELETE")),
        ("timeoutMs", n(-1.0)),
        ("timeoutMs", s("1000")),
        ("maxRetries", n(1.5)),
        ("maxRetries", n(11.0)),
        ("retryWrites", s("yes")),
        ("fetch", s("fetch")),
        ("timeout", n(5.0)),
    ];
    for (field, value) in cases {
        let options = client_options(&fetch, &[(field, value)]);
        let error = Client::new(options).unwrap_err();
        assert_error(&error, "InvalidParameter", field);
    }
    assert_error(
        &Client::new(JsValue::UNDEFINED).unwrap_err(),
        "InvalidParameter",
        "options",
    );
    assert_error(
        &Client::new(n(3.0)).unwrap_err(),
        "InvalidParameter",
        "options",
    );
}

#[wasm_bindgen_test]
fn numbers_in_option_errors_are_spelled_as_javascript_spells_them() {
    let fetch = FakeFetch::new(vec![]);
    for (value, shown) in [(1.5, "1.5"), (1e21, "1e+21"), (-5e-7, "-5e-7")] {
        let options = client_options(&fetch, &[("maxRetries", n(value))]);
        let error = Client::new(options).unwrap_err();
        assert_eq!(
            get_str(&error, "message"),
            format!("the parameter maxRetries is invalid: expected an integer from 0 to 10, got {shown}")
        );
    }
}

#[wasm_bindgen_test]
async fn calls_refuse_bad_parameters_before_sending() {
    let fetch = FakeFetch::new(vec![]);
    let client = client(&fetch, &[]);
    let cases: Vec<(JsValue, &str, &str)> = vec![
        (
            obj(&[("repoId", s("crr-1"))]),
            "MissingParameter",
            "InstanceId",
        ),
        (
            obj(&[("instanceId", s("cri-1")), ("repoId", n(5.0))]),
            "InvalidParameter",
            "RepoId",
        ),
        (
            obj(&[
                ("instanceId", s("cri-1")),
                ("repoId", s("r")),
                ("pageSize", n(500.0)),
            ]),
            "InvalidParameter",
            "PageSize",
        ),
        (
            obj(&[
                ("instanceId", s("cri-1")),
                ("repoId", s("r")),
                ("pageSize", s("ten")),
            ]),
            "InvalidParameter",
            "PageSize",
        ),
        (
            obj(&[
                ("instanceId", s("cri-1")),
                ("repoId", s("r")),
                ("pageSzie", n(5.0)),
            ]),
            "InvalidParameter",
            "PageSzie",
        ),
        (
            obj(&[
                ("instanceId", s("cri-1")),
                ("repoId", s("r")),
                ("signature", s("x")),
            ]),
            "InvalidParameter",
            "Signature",
        ),
        (
            obj(&[
                ("instanceId", js_sys::Array::of1(&s("a")).into()),
                ("repoId", s("r")),
            ]),
            "InvalidParameter",
            "InstanceId",
        ),
        (
            obj(&[
                ("instanceId", s("i")),
                ("repoId", js_sys::Symbol::for_("x").into()),
            ]),
            "InvalidParameter",
            "RepoId",
        ),
        (s("instanceId=cri-1"), "InvalidParameter", "params"),
    ];
    for (params, code, field) in cases {
        let error = wait(list_repo_tag(&client, params)).await.unwrap_err();
        assert_error(&error, code, field);
    }
    // Named as the caller wrote it, and as on the wire.
    let params = obj(&[
        ("instanceId", s("cri-1")),
        ("repoId", s("r")),
        ("pageSize", n(0.0)),
    ]);
    let error = wait(list_repo_tag(&client, params)).await.unwrap_err();
    assert_eq!(
        get_str(&error, "message"),
        "the parameter pageSize (PageSize) is invalid: must be between 1 and 100, got 0"
    );
    // `call` checks its action too.
    let error = wait(client.call(n(1.0), list_params())).await.unwrap_err();
    assert_error(&error, "InvalidParameter", "action");
    let error = wait(client.call(s("ListRepoTags"), list_params()))
        .await
        .unwrap_err();
    assert_error(&error, "InvalidApi.NotFound", "ListRepoTags");
    assert_eq!(fetch.count(), 0, "nothing is sent for bad input");
}

#[wasm_bindgen_test]
fn the_client_object_holds_no_secret() {
    let fetch = FakeFetch::new(vec![]);
    let client: JsValue = client(&fetch, &[("securityToken", s("sts-secret-token"))]).into();
    let shown = stringify(&client);
    assert!(
        !shown.contains(SECRET) && !shown.contains("sts-secret-token"),
        "{shown}"
    );
    let keys = js_sys::Reflect::own_keys(&client).unwrap();
    for key in keys.iter() {
        let value = js_sys::Reflect::get(&client, &key).unwrap();
        assert!(!stringify(&value).contains(SECRET));
    }
    assert!(get(&client, "accessKeySecret").is_undefined());
}

/// `[[[ ... "x" ... ]]]`, `levels` arrays deep.
fn nested_arrays(levels: usize) -> JsValue {
    let mut value = s("x");
    for _ in 0..levels {
        let array = js_sys::Array::new();
        array.push(&value);
        value = array.into();
    }
    value
}

#[wasm_bindgen_test]
async fn deep_or_circular_parameters_are_refused_and_the_instance_keeps_working() {
    let sign_opts = |params: JsValue| {
        obj(&[
            ("endpoint", s("cr.cn-hangzhou.aliyuncs.com")),
            ("accessKeyId", s("id")),
            ("accessKeySecret", s(SECRET)),
            ("params", params),
        ])
    };
    let circular = obj(&[("Name", s("a"))]);
    js_sys::Reflect::set(&circular, &s("Self"), &circular).unwrap();
    // Deep enough to overflow the wasm stack without a limit (about 1,800
    // levels did), and a value that refers to itself.
    for (value, field) in [
        (nested_arrays(5_000), "Deep.1.1"),
        (circular, "Deep.Self.Self"),
    ] {
        let params = obj(&[("Action", s("ListInstance")), ("Deep", value.clone())]);
        assert_error(
            &sign_request(sign_opts(params)).unwrap_err(),
            "InvalidParameter",
            field,
        );

        let fetch = FakeFetch::new(vec![]);
        let client = client(&fetch, &[]);
        let error = wait(client.call(s("ListInstance"), obj(&[("deep", value)])))
            .await
            .unwrap_err();
        assert_error(&error, "InvalidParameter", "Deep");
        assert_eq!(fetch.count(), 0, "nothing is sent");
    }
    // Nesting within the limit is still signed, and the instance still works.
    let params = obj(&[("Action", s("ListInstance")), ("Deep", nested_arrays(20))]);
    let signed = sign_request(sign_opts(params)).unwrap();
    assert!(get_str(&signed, "url").contains("Deep.1.1.1"));
}
