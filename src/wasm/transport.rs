//! One HTTP exchange over `fetch` (the injected one, or the global one),
//! bounded by a timeout: the request is aborted through an
//! `AbortController`, and the wait ends when the timer fires even if a
//! custom `fetch` ignores the abort signal.
//!
//! gloo-net is not used: it always calls the global `fetch`, so it cannot
//! take the `fetch` option of the public contract, and it panics when a
//! fetch answers with something that is not a real `Response`. Calling the
//! function through js-sys is one small code path for both cases.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::future::{poll_fn, Future};
use core::pin::pin;
use core::task::Poll;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::boundary::string_from_js;
use super::errors::Failure;
use super::platform::Timer;
use crate::request::format_float;

/// What to send.
#[derive(Debug)]
pub struct HttpRequest<'a> {
    /// `GET` or `POST` (`DELETE` too for the REST registries).
    pub method: &'a str,
    /// The full URL (with the query string for a GET).
    pub url: &'a str,
    /// The form body of a POST (a JSON body for the REST registries).
    pub body: Option<&'a str>,
    /// Extra headers (the REST registries' `X-Auth-Token`, `Content-Type`).
    /// A body without a `Content-Type` here is sent as a form.
    pub headers: &'a [(String, String)],
    /// For error messages: the scheme and host, never the query.
    pub origin: &'a str,
}

/// The response headers an answer carries into [`HttpAnswer::headers`]:
/// the REST registries page by `Content-Range` (SWR) and report
/// `X-Request-Id` and `Retry-After`.
pub const ANSWER_HEADERS: &[&str] = &["content-range", "x-request-id", "retry-after"];

/// What came back.
#[derive(Debug)]
pub struct HttpAnswer {
    /// The HTTP status.
    pub status: u16,
    /// The body as text.
    pub body: String,
    /// `x-acs-retry-after`, in milliseconds, when the service sent it.
    pub retry_after_ms: Option<f64>,
    /// Those of [`ANSWER_HEADERS`] the answer had (lower-case names).
    pub headers: Vec<(String, String)>,
}

/// The `fetch` to call and the `this` to call it with.
#[derive(Debug, Clone)]
pub struct Fetch {
    /// The function.
    pub function: Function,
    /// `globalThis` for the global fetch, `undefined` for an injected one.
    pub this: JsValue,
}

/// Sends `request`, waiting at most `timeout_ms` for the whole answer.
pub async fn send(
    fetch: &Fetch,
    request: &HttpRequest<'_>,
    timeout_ms: f64,
) -> Result<HttpAnswer, Failure> {
    let controller = web_sys::AbortController::new().ok();
    let mut timer = Timer::start(timeout_ms)?;
    let exchange = pin!(exchange(fetch, request, controller.as_ref()));
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
                request.origin,
                format_float(timeout_ms)
            )))
        }
    }
}

async fn exchange(
    fetch: &Fetch,
    request: &HttpRequest<'_>,
    controller: Option<&web_sys::AbortController>,
) -> Result<HttpAnswer, Failure> {
    let init = Object::new();
    let set = |key: &str, value: &JsValue| {
        let _ = Reflect::set(&init, &JsValue::from_str(key), value);
    };
    set("method", &JsValue::from_str(request.method));
    let headers = Object::new();
    for (name, value) in request.headers {
        let _ = Reflect::set(
            &headers,
            &JsValue::from_str(name),
            &JsValue::from_str(value),
        );
    }
    if let Some(body) = request.body {
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
            request.origin,
            error_text(&error)
        ))
    };
    let pending = fetch
        .function
        .call2(&fetch.this, &JsValue::from_str(request.url), &init)
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
    let retry_after_ms = header(&response, "x-acs-retry-after")
        .and_then(|v| crate::value::parse_float(v.trim()))
        .filter(|ms| ms.is_finite() && *ms >= 0.0);
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
    Ok(HttpAnswer {
        status,
        body,
        retry_after_ms,
        headers,
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
