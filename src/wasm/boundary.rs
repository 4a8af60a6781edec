//! The Rust declarations of `boundary.js`, the JavaScript half of the
//! crossings that carry the most data: an answer body in, a decoded answer
//! out (`tape.rs`), `signRequest`'s options in and its result out
//! (`standalone.rs`). Every import catches: an exception from JS comes back
//! as a value, never unwinding through wasm frames.

use alloc::string::String;
use alloc::vec::Vec;

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

include!(concat!(env!("OUT_DIR"), "/boundary_js.rs"));

// `boundary.js` with the constants of `wire.rs` (see `build.rs`).
boundary_js! {
    #[wasm_bindgen(js_name = utf8, catch)]
    fn utf8(value: &JsValue) -> Result<Option<Vec<u8>>, JsValue>;

    /// `signRequest`'s options packed into one string, or `None` when they
    /// are not the simple case (see boundary.js).
    #[wasm_bindgen(js_name = packSignOptions, catch)]
    pub fn pack_sign_options(opts: &JsValue) -> Result<Option<String>, JsValue>;

    /// `signRequest`'s result from its pieces and their UTF-16 lengths.
    #[wasm_bindgen(js_name = signedRequest, catch)]
    pub fn signed_request(text: &str, lengths: &[u32]) -> Result<JsValue, JsValue>;

    /// `signRequest`'s V3 result from its pieces and their UTF-16 lengths.
    #[wasm_bindgen(js_name = signedRequestV3, catch)]
    pub fn signed_request_v3(text: &str, lengths: &[u32]) -> Result<JsValue, JsValue>;

    /// A decoded answer from its tape (`tape.rs`).
    #[wasm_bindgen(js_name = answerFromTape, catch)]
    pub fn answer_from_tape(
        key_lengths: &[u32],
        key_text: &str,
        ops: &[u32],
        numbers: &[f64],
        longs: &[i64],
        text: &str,
    ) -> Result<JsValue, JsValue>;
}

/// A JS string as a Rust one, or `None` when `value` is not a string.
///
/// For long text (answer bodies): wasm-bindgen's own string passing copies
/// ASCII into wasm memory one character at a time in JS, 40% of the time
/// of decoding a 26 KB answer; `TextEncoder` does it natively.
pub fn string_from_js(value: &JsValue) -> Option<String> {
    let bytes = utf8(value).ok().flatten()?;
    // TextEncoder writes valid UTF-8 (a lone surrogate becomes U+FFFD).
    String::from_utf8(bytes).ok()
}
