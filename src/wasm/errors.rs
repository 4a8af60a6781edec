//! Failures as real JS `Error` objects (`instanceof Error`, with a stack)
//! carrying `code`, `message`, `requestId`, `httpStatus`, `recommend` and
//! `retryable`. Nothing here ever sees a secret: messages are built from
//! parameter names, the service's answer and our string-to-sign, which
//! holds the AccessKey id but never the secret.

use alloc::borrow::Cow;
use alloc::format;
use alloc::string::{String, ToString};

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use crate::error::Error;

#[wasm_bindgen(module = "/src/wasm/guards.js")]
extern "C" {
    /// A `TagdeckError` with these properties (`undefined` for `None`).
    #[wasm_bindgen(js_name = tagdeckFailure)]
    fn tagdeck_failure(
        code: &str,
        message: &str,
        request_id: Option<String>,
        http_status: Option<u16>,
        recommend: Option<String>,
        retryable: bool,
        retry_after_ms: Option<f64>,
    ) -> JsValue;
}

/// A failure on its way to JavaScript.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// The API's code, or a client-side one (`InvalidParameter`, `Timeout`, ...).
    pub code: Cow<'static, str>,
    /// What went wrong, naming the parameter or field at fault.
    pub message: String,
    /// The service's request id, when it answered.
    pub request_id: Option<String>,
    /// The HTTP status, when there was an answer.
    pub http_status: Option<u16>,
    /// The service's advice or diagnosis link, when it gave one.
    pub recommend: Option<String>,
    /// Whether the same request, re-signed, may succeed later.
    pub retryable: bool,
    /// How long the service asked us to wait (`x-acs-retry-after`), in ms.
    pub retry_after_ms: Option<f64>,
}

impl Failure {
    /// A client-side failure with no HTTP answer behind it.
    pub fn client(code: &'static str, message: impl Into<String>, retryable: bool) -> Self {
        Failure {
            code: Cow::Borrowed(code),
            message: message.into(),
            request_id: None,
            http_status: None,
            recommend: None,
            retryable,
            retry_after_ms: None,
        }
    }

    /// The request never got an answer (connection refused, DNS, CORS...).
    pub fn network(message: impl Into<String>) -> Self {
        Failure::client("NetworkError", message, true)
    }

    /// No complete answer within the time allowed.
    pub fn timeout(message: impl Into<String>) -> Self {
        Failure::client("Timeout", message, true)
    }

    /// An exception from the package's own JS half (`boundary.js`) while it
    /// built a result: a bug, reported rather than unwound through wasm.
    pub fn internal(exception: JsValue) -> Self {
        let detail = exception
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_default();
        Failure::client(
            "InternalError",
            format!("tagdeck could not build the result in JavaScript: {detail}"),
            false,
        )
    }

    /// Bad input from JavaScript, naming the field at fault.
    pub fn invalid(field: &str, reason: impl Into<String>) -> Self {
        Failure::from(Error::invalid(field, reason))
    }

    /// Bad input with a code of its own (`InvalidEndpoint`, `InvalidRegion`),
    /// worded as [`Failure::invalid`].
    pub fn refused(code: &'static str, field: &str, reason: impl Into<String>) -> Self {
        Failure {
            code: Cow::Borrowed(code),
            ..Failure::invalid(field, reason)
        }
    }

    /// Whether the service refused the request as throttled (a
    /// `Throttling*` code, or HTTP 429): nothing was applied.
    pub fn throttled(&self) -> bool {
        self.code.starts_with("Throttling") || self.http_status == Some(429)
    }

    /// For `SignatureDoesNotMatch`: says whether the secret is wrong or the
    /// request was canonicalized differently, by comparing the server's
    /// string-to-sign (at the end of its message) with ours.
    pub fn explain_signature_mismatch(&mut self, server_string_to_sign: &str, ours: &str) {
        self.message.push_str(" — ");
        self.message
            .push_str(&signature_diagnosis(server_string_to_sign, ours));
    }

    /// The JS `Error` object, made by `guards.js` as the errors made in
    /// JavaScript are (one call rather than one per property).
    pub fn into_js(self) -> JsValue {
        tagdeck_failure(
            &self.code,
            &self.message,
            self.request_id,
            self.http_status,
            self.recommend,
            self.retryable,
            self.retry_after_ms,
        )
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        let retryable = error.retryable();
        let message = error.message();
        let code = Cow::Owned(error.code().to_string());
        match error.api() {
            Some(api) => Failure {
                code,
                message,
                request_id: api.request_id.clone(),
                http_status: Some(api.http_status),
                recommend: api.recommend.clone(),
                retryable,
                retry_after_ms: None,
            },
            None => Failure {
                code,
                message,
                request_id: None,
                http_status: None,
                recommend: None,
                retryable,
                retry_after_ms: None,
            },
        }
    }
}

/// Compares the server's string-to-sign with ours.
pub fn signature_diagnosis(server: &str, ours: &str) -> String {
    if server == ours {
        return "the server signed exactly the string we signed, so the AccessKey secret \
                is wrong (or belongs to another AccessKey id)"
            .to_string();
    }
    let position = server
        .char_indices()
        .zip(ours.chars())
        .find(|((_, a), b)| a != b)
        .map(|((i, _), _)| i)
        .unwrap_or_else(|| server.len().min(ours.len()));
    format!(
        "the server's string-to-sign differs from ours at position {position}, after \
         {common:?}: ours continues with {ours_rest:?}, the server's with {server_rest:?}. \
         That is a canonicalization difference (an encoding, a parameter or the method \
         changed on the way), not a wrong secret",
        common = tail(&ours[..position], 24),
        ours_rest = head(&ours[position..], 24),
        server_rest = head(&server[position..], 24),
    )
}

/// The last `n` characters, with `…` when cut.
fn tail(text: &str, n: usize) -> String {
    let count = text.chars().count();
    if count <= n {
        return text.to_string();
    }
    let mut out = String::from("…");
    out.extend(text.chars().skip(count - n));
    out
}

/// The first `n` characters, with `…` when cut.
fn head(text: &str, n: usize) -> String {
    let mut out: String = text.chars().take(n).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}
