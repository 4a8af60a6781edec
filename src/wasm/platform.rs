//! The only place that reads the clock, the random source and the global
//! scope: everything else takes time and randomness as arguments.
//!
//! Only web-platform globals are used (`crypto.getRandomValues`, `fetch`,
//! `setTimeout`, `Date`, `Math.random`), which browsers, Node 20 and
//! workerd all provide.

use alloc::string::String;

use js_sys::{Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::errors::Failure;
use crate::timestamp::format_timestamp;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout, catch)]
    fn set_timeout(handler: &Function, ms: f64) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = clearTimeout, catch)]
    fn clear_timeout(id: &JsValue) -> Result<(), JsValue>;
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// The signature timestamp for now, `YYYY-MM-DDThh:mm:ssZ`.
pub fn timestamp_now() -> String {
    format_timestamp((now_ms() / 1000.0).floor() as i64)
}

/// A fresh signature nonce: a random (version 4) UUID from
/// `crypto.getRandomValues`, so it never repeats in practice.
pub fn nonce() -> Result<String, Failure> {
    let mut bytes = [0u8; 16];
    random_bytes(&mut bytes)?;
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut uuid = String::with_capacity(36);
    for (i, byte) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            uuid.push('-');
        }
        uuid.push(HEX[usize::from(byte >> 4)] as char);
        uuid.push(HEX[usize::from(byte & 0x0f)] as char);
    }
    Ok(uuid)
}

/// How many random bytes one `getRandomValues` call fetches: sixteen
/// nonces' worth. The call costs 10-25 µs in Node, more than signing.
const RANDOM_POOL_BYTES: usize = 256;

std::thread_local! {
    /// Random bytes fetched but not yet used, consumed from the end. Each
    /// byte is handed out once.
    static RANDOM_POOL: core::cell::RefCell<alloc::vec::Vec<u8>> =
        const { core::cell::RefCell::new(alloc::vec::Vec::new()) };
}

/// Fills `out` (at most [`RANDOM_POOL_BYTES`]) from the platform's
/// cryptographic random source.
fn random_bytes(out: &mut [u8]) -> Result<(), Failure> {
    RANDOM_POOL.with(|pool| {
        let mut pool = pool.borrow_mut();
        if pool.len() < out.len() {
            // Filled aside, so that a failed call leaves no unrandom bytes.
            let mut fresh = [0u8; RANDOM_POOL_BYTES];
            fill_random(&mut fresh)?;
            pool.clear();
            pool.extend_from_slice(&fresh);
        }
        let rest = pool.len() - out.len();
        out.copy_from_slice(&pool[rest..]);
        pool.truncate(rest);
        Ok(())
    })
}

/// Fills `out` with one `crypto.getRandomValues` call.
fn fill_random(out: &mut [u8]) -> Result<(), Failure> {
    let missing = || {
        Failure::client(
            "Unsupported",
            "this JavaScript environment has no crypto.getRandomValues, needed for the \
             signature nonce",
            false,
        )
    };
    let crypto = Reflect::get(&js_sys::global(), &JsValue::from_str("crypto"))
        .ok()
        .filter(|c| c.is_object())
        .ok_or_else(missing)?;
    let get_random_values: Function = Reflect::get(&crypto, &JsValue::from_str("getRandomValues"))
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(missing)?;
    let buffer = Uint8Array::new_with_length(out.len() as u32);
    get_random_values
        .call1(&crypto, &buffer)
        .map_err(|_| missing())?;
    buffer.copy_to(out);
    Ok(())
}

/// A uniform number in `[0, 1)` for backoff jitter (not a secret, so
/// `Math.random` is enough).
pub fn random_unit() -> f64 {
    js_sys::Math::random()
}

/// The global `fetch`, bound to the global object (browsers refuse a
/// `fetch` called on anything else).
pub fn global_fetch() -> Option<(Function, JsValue)> {
    let global: JsValue = js_sys::global().into();
    let fetch = Reflect::get(&global, &JsValue::from_str("fetch")).ok()?;
    fetch.dyn_into::<Function>().ok().map(|f| (f, global))
}

/// A timer: resolves after `ms` milliseconds unless cancelled first.
#[derive(Debug)]
pub struct Timer {
    id: JsValue,
    fired: JsFuture,
}

impl Timer {
    /// Starts a timer.
    pub fn start(ms: f64) -> Result<Timer, Failure> {
        let mut id = Ok(JsValue::UNDEFINED);
        let promise = Promise::new(&mut |resolve, _reject| {
            id = set_timeout(&resolve, ms);
        });
        let id = id.map_err(|_| {
            Failure::client(
                "Unsupported",
                "this JavaScript environment has no setTimeout",
                false,
            )
        })?;
        Ok(Timer {
            id,
            fired: JsFuture::from(promise),
        })
    }

    /// The future that completes when the timer fires.
    pub fn fired(&mut self) -> &mut JsFuture {
        &mut self.fired
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        // Cancelling a timer that has fired is harmless.
        let _ = clear_timeout(&self.id);
    }
}

/// Waits `ms` milliseconds.
pub async fn sleep(ms: f64) -> Result<(), Failure> {
    let mut timer = Timer::start(ms)?;
    let _ = timer.fired().await;
    Ok(())
}
