//! The last-resort panic hook: a panic reaches JS as a readable
//! `TagdeckError` (`code: "ClientPanic"`), not `RuntimeError: unreachable`.
//!
//! A test binary of its own: after the hook has thrown, the instance's
//! panic machinery is left mid-panic (see src/wasm/panic.rs), which must not
//! affect other tests.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn a_panic_becomes_a_readable_error() {
    // What `init`/`initSync` run (the test harness installs its own hook first).
    tagdeck::wasm::install_panic_hook();
    let panicking = Closure::<dyn FnMut()>::new(|| {
        let empty: Vec<u8> = Vec::new();
        let index = empty.len() + 3;
        // An index out of bounds: a bug, as any panic would be.
        let _ = empty[index];
    });
    let function: &js_sys::Function = panicking.as_ref().unchecked_ref();
    let error = function.call0(&JsValue::UNDEFINED).unwrap_err();
    assert!(error.is_instance_of::<js_sys::Error>());
    assert!(!error.is_instance_of::<js_sys::WebAssembly::RuntimeError>());
    let get = |key: &str| js_sys::Reflect::get(&error, &key.into()).unwrap();
    assert_eq!(get("code").as_string().as_deref(), Some("ClientPanic"));
    assert_eq!(get("name").as_string().as_deref(), Some("TagdeckError"));
    let message = get("message").as_string().unwrap();
    assert!(message.contains("index out of bounds"), "{message}");
    assert!(message.contains("please report"), "{message}");
    std::mem::forget(panicking);
}
