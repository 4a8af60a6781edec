//! The one transport of every API: [`Transport::send`] runs a call's
//! attempts (a fresh request each, so `cr` signs each attempt anew) with
//! one retry policy (backoff, `Retry-After`, read-only unless
//! `retryWrites`), each attempt one HTTP exchange over `fetch` (the
//! injected one, or the global one) bounded by a timeout: the request is
//! aborted through an `AbortController`, and the wait ends when the timer
//! fires even if a custom `fetch` ignores the abort signal.
//!
//! gloo-net is not used: it always calls the global `fetch`, so it cannot
//! take the `fetch` option of the public contract, and it panics when a
//! fetch answers with something that is not a real `Response`. Calling the
//! function through js-sys is one small code path for both cases.

use alloc::format;
use alloc::string::{String, ToString};
use core::future::{poll_fn, Future};
use core::pin::pin;
use core::task::Poll;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::boundary::string_from_js;
use super::errors::Failure;
use super::options::Options;
use super::platform::{self, Timer};
use super::retry::RetryPolicy;
use crate::providers::http::{HttpRequest, HttpResponse};
use crate::request::format_float;

/// The response headers an answer keeps in [`HttpResponse::headers`]: the
/// REST registries page by `Content-Range` (SWR) and report
/// `X-Request-Id`; `Retry-After` and Alibaba's `x-acs-retry-after` say how
/// long to wait before a retry.
pub const ANSWER_HEADERS: &[&str] = &[
    "content-range",
    "x-request-id",
    "retry-after",
    "x-acs-retry-after",
];

/// The options of every client over `fetch`, `Client`'s and the REST
/// registries'.
pub(super) const TRANSPORT_OPTION_NAMES: &[&str] = &[
    "timeoutMs",
    "maxRetries",
    "retryWrites",
    "retryBaseDelayMs",
    "retryMaxDelayMs",
    "fetch",
];

/// The default time allowed for one attempt.
const DEFAULT_TIMEOUT_MS: f64 = 10_000.0;
/// The longest a `setTimeout` can wait (2^31 - 1 ms).
const MAX_TIMER_MS: f64 = 2_147_483_647.0;

/// Where a client's requests go, how long an attempt may take, how failed
/// ones are retried, and through which `fetch`.
#[derive(Debug, Clone)]
pub(super) struct Transport {
    /// `https://host` (or the endpoint's own origin), no trailing slash.
    pub(super) origin: String,
    pub(super) timeout_ms: f64,
    pub(super) retry: RetryPolicy,
    pub(super) fetch: Option<Fetch>,
}

/// One call over a [`Transport`]: how each attempt's request is made and
/// how an answer is read.
pub(super) trait Exchange {
    /// What a call that succeeds gives.
    type Output;
    /// Whether the call only reads: only those are retried, unless the
    /// client's `retryWrites` says otherwise.
    fn read_only(&self) -> bool;
    /// The request of the next attempt (signed afresh where the API signs).
    fn request(&mut self) -> Result<HttpRequest, Failure>;
    /// What an answer gives, or the failure it is (an error answer).
    fn read(&mut self, answer: HttpResponse) -> Result<Self::Output, Failure>;
}

impl Transport {
    /// Reads [`TRANSPORT_OPTION_NAMES`], each checked and named in errors;
    /// requests go to `endpoint`.
    pub(super) fn from_options(options: &Options, endpoint: &str) -> Result<Transport, Failure> {
        let timeout_ms = options
            .number("timeoutMs", 1.0, MAX_TIMER_MS, false)?
            .unwrap_or(DEFAULT_TIMEOUT_MS);
        let defaults = RetryPolicy::default();
        let retry = RetryPolicy {
            max_retries: options
                .number("maxRetries", 0.0, 10.0, true)?
                .map_or(defaults.max_retries, |n| n as u32),
            retry_writes: options.boolean("retryWrites")?.unwrap_or(false),
            base_delay_ms: options
                .number("retryBaseDelayMs", 0.0, 60_000.0, false)?
                .unwrap_or(defaults.base_delay_ms),
            max_delay_ms: options
                .number("retryMaxDelayMs", 0.0, MAX_TIMER_MS, false)?
                .unwrap_or(defaults.max_delay_ms),
        };
        let fetch = options.function("fetch")?.map(|function| Fetch {
            function,
            this: JsValue::UNDEFINED,
        });
        check_endpoint(endpoint)?;
        Ok(Transport {
            origin: crate::sign::origin(endpoint),
            timeout_ms,
            retry,
            fetch,
        })
    }

    /// A transport that sends nothing (no origin): for the `Client` made
    /// only to reach its prototype (`methods.rs`).
    pub(super) fn inert() -> Transport {
        Transport {
            origin: String::new(),
            timeout_ms: DEFAULT_TIMEOUT_MS,
            retry: RetryPolicy::default(),
            fetch: None,
        }
    }

    /// Runs `call` to its result, retrying as the policy allows; a write
    /// is sent only once when not `retry` (for a caller that paces and
    /// counts its own retries: `deleteTags`).
    pub(super) async fn send<E: Exchange>(
        &self,
        call: &mut E,
        retry: bool,
    ) -> Result<E::Output, Failure> {
        let read_only = call.read_only();
        if !retry && !read_only {
            return self.attempt(call).await;
        }
        let mut retries_done = 0;
        loop {
            let failure = match self.attempt(call).await {
                Ok(output) => return Ok(output),
                Err(failure) => failure,
            };
            let delay =
                self.retry
                    .delay_ms_for(read_only, &failure, retries_done, platform::random_unit());
            match delay {
                Some(ms) => platform::sleep(ms).await?,
                None => return Err(failure),
            }
            retries_done += 1;
        }
    }

    /// One request, sent and read; a failure carries the wait the answer
    /// asked for, if any.
    async fn attempt<E: Exchange>(&self, call: &mut E) -> Result<E::Output, Failure> {
        let request = call.request()?;
        let fetch = resolve_fetch(self.fetch.as_ref())?;
        let answer = send_once(&fetch, &request, &self.origin, self.timeout_ms).await?;
        let retry_after_ms = answer.retry_after_ms();
        call.read(answer).map_err(|mut failure| {
            failure.retry_after_ms = failure.retry_after_ms.or(retry_after_ms);
            failure
        })
    }
}

/// Refuses, when the client is made, an endpoint that is neither a host
/// (`cr.cn-hangzhou.aliyuncs.com`, `127.0.0.1:8080`) nor an `http(s)`
/// origin with an optional path prefix: sent anyway, it would fail each
/// call as a network error, retried as one.
fn check_endpoint(endpoint: &str) -> Result<(), Failure> {
    let (scheme, rest) = match endpoint.split_once("://") {
        Some((scheme, rest)) => (Some(scheme), rest),
        None => (None, endpoint),
    };
    let refuse = |reason: &str| {
        Failure::refused(
            "InvalidEndpoint",
            "endpoint",
            format!(
                "{endpoint:?} {reason}; give a host (cr.cn-hangzhou.aliyuncs.com) or an origin \
                 (http://127.0.0.1:8080)"
            ),
        )
    };
    if scheme.is_some_and(|s| !s.eq_ignore_ascii_case("http") && !s.eq_ignore_ascii_case("https")) {
        return Err(refuse("does not use http or https"));
    }
    let authority = rest.split('/').next().unwrap_or_default();
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(']') || authority.starts_with('[') => {
            (host, Some(port))
        }
        _ => (authority, None),
    };
    let host_ok = !host.is_empty()
        && (host.starts_with('[') && host.ends_with(']')
            || host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.'));
    if !host_ok {
        return Err(refuse("has no valid host name"));
    }
    if port.is_some_and(|p| p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit())) {
        return Err(refuse("has an invalid port"));
    }
    if rest.contains(|c: char| c.is_whitespace() || matches!(c, '?' | '#' | '@' | '\\')) {
        return Err(refuse(
            "has characters an endpoint cannot hold (a query, a fragment, credentials or spaces)",
        ));
    }
    Ok(())
}

/// The injected `fetch`, or the global one looked up at call time (so
/// that a polyfill installed after the client was made is used).
fn resolve_fetch(injected: Option<&Fetch>) -> Result<Fetch, Failure> {
    if let Some(fetch) = injected {
        return Ok(fetch.clone());
    }
    platform::global_fetch()
        .map(|(function, this)| Fetch { function, this })
        .ok_or_else(|| {
            Failure::invalid(
                "fetch",
                "this JavaScript environment has no global fetch; pass one as the fetch option",
            )
        })
}

/// The `fetch` to call and the `this` to call it with.
#[derive(Debug, Clone)]
pub struct Fetch {
    /// The function.
    pub function: Function,
    /// `globalThis` for the global fetch, `undefined` for an injected one.
    pub this: JsValue,
}

/// Sends `request` to `origin`, waiting at most `timeout_ms` for the
/// whole answer. (One attempt: [`Transport::send`] retries.)
pub async fn send_once(
    fetch: &Fetch,
    request: &HttpRequest,
    origin: &str,
    timeout_ms: f64,
) -> Result<HttpResponse, Failure> {
    let controller = web_sys::AbortController::new().ok();
    let mut timer = Timer::start(timeout_ms)?;
    let exchange = pin!(exchange(fetch, request, origin, controller.as_ref()));
    let mut exchange = exchange;
    let finished = poll_fn(|cx| {
        if let Poll::Ready(result) = exchange.as_mut().poll(cx) {
            return Poll::Ready(Some(result));
        }
        if core::pin::Pin::new(timer.fired()).poll(cx).is_ready() {
            return Poll::Ready(None);
        }
        Poll::Pending
    })
    .await;
    match finished {
        Some(result) => result,
        None => {
            if let Some(controller) = &controller {
                controller.abort();
            }
            Err(Failure::timeout(format!(
                "no complete answer from {} within {} ms",
                origin,
                format_float(timeout_ms)
            )))
        }
    }
}

async fn exchange(
    fetch: &Fetch,
    request: &HttpRequest,
    origin: &str,
    controller: Option<&web_sys::AbortController>,
) -> Result<HttpResponse, Failure> {
    let init = Object::new();
    let set = |key: &str, value: &JsValue| {
        let _ = Reflect::set(&init, &JsValue::from_str(key), value);
    };
    set("method", &JsValue::from_str(request.method.as_str()));
    let headers = Object::new();
    for (name, value) in &request.headers {
        let _ = Reflect::set(
            &headers,
            &JsValue::from_str(name),
            &JsValue::from_str(value),
        );
    }
    if let Some(body) = &request.body {
        let typed = request
            .headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("content-type"));
        if !typed {
            let _ = Reflect::set(
                &headers,
                &JsValue::from_str("content-type"),
                &JsValue::from_str("application/x-www-form-urlencoded"),
            );
        }
        set("body", &JsValue::from_str(body));
    }
    set("headers", &headers);
    if let Some(controller) = controller {
        set("signal", &controller.signal());
    }

    let network_error = |error: JsValue| {
        Failure::network(format!(
            "the request to {} failed: {}",
            origin,
            error_text(&error)
        ))
    };
    let pending = fetch
        .function
        .call2(&fetch.this, &JsValue::from_str(&request.url(origin)), &init)
        .map_err(network_error)?;
    let response = JsFuture::from(Promise::resolve(&pending))
        .await
        .map_err(network_error)?;

    let status = Reflect::get(&response, &JsValue::from_str("status"))
        .ok()
        .and_then(|s| s.as_f64())
        .filter(|s| (100.0..=599.0).contains(s) && s.fract() == 0.0)
        .ok_or_else(|| {
            Failure::invalid(
                "fetch",
                "the fetch function answered with something that is not a Response \
                 (no HTTP status)",
            )
        })? as u16;
    let text = Reflect::get(&response, &JsValue::from_str("text"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or_else(|| {
            Failure::invalid(
                "fetch",
                "the fetch function answered with something that is not a Response \
                 (no text())",
            )
        })?;
    let body = text.call0(&response).map_err(network_error)?;
    let body = JsFuture::from(Promise::resolve(&body))
        .await
        .map_err(network_error)?;
    let body = string_from_js(&body)
        .ok_or_else(|| Failure::invalid("fetch", "the Response's text() did not give a string"))?;
    let headers = ANSWER_HEADERS
        .iter()
        .filter_map(|name| header(&response, name).map(|value| (name.to_string(), value)))
        .collect();
    Ok(HttpResponse {
        status,
        headers,
        body,
    })
}

/// A response header, read through `headers.get(name)`.
fn header(response: &JsValue, name: &str) -> Option<String> {
    let headers = Reflect::get(response, &JsValue::from_str("headers")).ok()?;
    let get: Function = Reflect::get(&headers, &JsValue::from_str("get"))
        .ok()?
        .dyn_into()
        .ok()?;
    get.call1(&headers, &JsValue::from_str(name))
        .ok()?
        .as_string()
}

/// The message of a thrown value, with its `cause` (Node's fetch puts the
/// real reason, such as `ECONNREFUSED`, there).
fn error_text(error: &JsValue) -> String {
    let message = |value: &JsValue| -> Option<String> {
        Reflect::get(value, &JsValue::from_str("message"))
            .ok()
            .and_then(|m| m.as_string())
            .or_else(|| value.as_string())
    };
    let mut text = message(error).unwrap_or_else(|| "an unknown error".to_string());
    if let Some(cause) = Reflect::get(error, &JsValue::from_str("cause"))
        .ok()
        .filter(|c| !c.is_undefined() && !c.is_null())
        .and_then(|c| message(&c))
    {
        text.push_str(" (");
        text.push_str(&cause);
        text.push(')');
    }
    text
}
