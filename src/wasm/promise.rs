//! Futures handed to JavaScript as promises, all through one
//! instantiation of `wasm_bindgen_futures::future_to_promise`.
//!
//! That function is generic over the future: called with each `async`
//! block's own type, it compiles its polling and waking machinery once per
//! call site (five here, about 1.5 KB of the module each). Boxed as one
//! trait object type, they share a single copy; a call pays one allocation,
//! next to the request it makes.

use alloc::boxed::Box;
use core::future::Future;
use core::pin::Pin;

use js_sys::Promise;
use wasm_bindgen::JsValue;

use super::errors::Failure;

/// A call's work: a JS value, or the failure to reject with.
pub type Work = Pin<Box<dyn Future<Output = Result<JsValue, Failure>>>>;

/// A promise settled by `work`: resolved with its value, or rejected with
/// its failure as a `TagdeckError`.
pub fn promise(work: Work) -> Promise {
    wasm_bindgen_futures::future_to_promise(async move { work.await.map_err(Failure::into_js) })
}
