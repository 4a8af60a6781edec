//! The `cr` RPC API at `/`, signed with V1 or V3, checked in the order the
//! gateway checks them, then the operation, then the answer in the format
//! asked for.
//!
//! V1: parameters from the query string (GET) or a form body (POST), the
//! signature among them. V3 (an `Authorization` header, or `x-acs-action`
//! without a V1 `Signature`): the operation's parameters in the query string only
//! (`+` is a space), `Action` and `Version` in `x-acs-action` and
//! `x-acs-version`, the signature in the headers; answers are JSON unless
//! `Format` says otherwise, as the vendor's V3 SDKs expect.
//!
//! Order: `Format` (so every later error is in the right format), `Action`
//! and `Version` (`InvalidApi.NotFound`), the signature parameters or
//! headers, the timestamp window, the AccessKey, the STS token, the
//! signature, injected faults, the nonce, the operation's own parameters
//! (from the catalogue), and finally the operation on the state. Every
//! answer carries a `RequestId` in its body and an `x-acs-request-id`
//! header.

use std::borrow::Cow;

use tagdeck::catalog::{self, Method, Operation, API_VERSION};
use tagdeck::request::check_wire;
use tagdeck::sign::Format;
use tagdeck::{render, ApiError, Error, Value};

use crate::api::{self, Call, Failure, Handler};
use crate::app::App;
use crate::auth::{header, Refusal, V3Request};
use crate::faults::{Fault, RETRY_AFTER_MS};
use crate::reply::{self, parse_form, Reply};
use crate::shape;

/// A request to `/`.
#[derive(Debug, Clone, Copy)]
pub struct RpcRequest<'a> {
    /// GET or POST: it is part of the string-to-sign.
    pub method: Method,
    /// The query string, if any.
    pub query: Option<&'a str>,
    /// The body (a form for POST).
    pub body: &'a [u8],
    /// The `Host` the client addressed: the answer's `HostId`.
    pub host: &'a str,
    /// Every header, names in any case (V3 signs some of them).
    pub headers: &'a [(&'a str, &'a str)],
}

/// Everything an error answer needs to know about the request.
struct Context<'a> {
    request_id: String,
    format: Format,
    host: &'a str,
}

impl Context<'_> {
    /// An error answer (`<Error>` / `{"Code": ...}`) with the service's
    /// diagnosis link.
    fn error(&self, code: &str, message: &str, http_status: u16) -> Reply {
        let error = ApiError {
            code: code.to_string(),
            message: message.to_string(),
            request_id: Some(self.request_id.clone()),
            host_id: Some(self.host.to_string()),
            recommend: Some(format!(
                "https://api.aliyun.com/troubleshoot?q={code}&product=cr&requestId={}",
                self.request_id
            )),
            http_status,
        };
        self.reply(http_status, render::error(&error, self.format))
    }

    fn refused(&self, refusal: Refusal) -> Reply {
        self.error(refusal.code, &refusal.message, refusal.http_status)
    }

    fn reply(&self, status: u16, body: String) -> Reply {
        let content_type = match self.format {
            Format::Json => reply::JSON,
            Format::Xml => reply::XML,
        };
        Reply::new(status, content_type, body).with("x-acs-request-id", self.request_id.clone())
    }

    /// A success, or a failure of the operation itself (HTTP 200 with
    /// `IsSuccess: false`, or 400 for a parameter the operation refuses).
    fn answer(&self, op: &Operation, result: Result<Value, Failure>) -> Reply {
        match result {
            Ok(own) => {
                // The catalogue's order and types; the tests make sure no
                // handler sends what the catalogue does not know.
                let (own, _problems) = shape::conform(op.response, &own);
                let mut members: Vec<(Cow<'static, str>, Value)> = vec![
                    ("RequestId".into(), Value::Str(self.request_id.clone())),
                    ("IsSuccess".into(), Value::Bool(true)),
                    ("Code".into(), Value::Str("success".into())),
                ];
                if let Value::Object(own) = own {
                    members.extend(own);
                }
                self.reply(
                    200,
                    render::success(op.action, &Value::Object(members), self.format),
                )
            }
            Err(failure) if failure.http_status == 200 => {
                let body = Value::Object(vec![
                    ("RequestId".into(), Value::Str(self.request_id.clone())),
                    ("IsSuccess".into(), Value::Bool(false)),
                    ("Code".into(), Value::Str(failure.code)),
                    ("Message".into(), Value::Str(failure.message)),
                ]);
                self.reply(200, render::success(op.action, &body, self.format))
            }
            Err(failure) => self.error(&failure.code, &failure.message, failure.http_status),
        }
    }
}

/// The first value of `name`.
fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Answers one RPC request.
pub async fn handle(app: &App, request: RpcRequest<'_>) -> Reply {
    app.config.faults.delay().await;
    let request_id = app.entropy.request_id();
    // V1 has no Authorization header; V3 always has one (without it, a
    // request with V3's `x-acs-action` and no V1 `Signature` is V3 that
    // lacks it). pop-core sends `x-acs-action` with V1 too.
    let has_authorization = header(request.headers, "authorization").is_some();
    // Parameters: the query string, then (V1) the form body (both for a
    // POST that carries some in each). V3 signs the body only by its hash.
    let mut params = match request.query.map(|q| parse_form(q.as_bytes())).transpose() {
        Ok(p) => p.unwrap_or_default(),
        Err(e) => return bad_encoding(request_id, request.host, &e),
    };
    if request.method == Method::Post && !has_authorization {
        match parse_form(request.body) {
            Ok(body) => params.extend(body),
            Err(e) => return bad_encoding(request_id, request.host, &e),
        }
    }
    let v3 = has_authorization
        || (header(request.headers, "x-acs-action").is_some()
            && param(&params, "Signature").is_none());
    // An unknown Format falls back to the default, XML for V1 and JSON
    // for V3, as the service does.
    let default_format = if v3 { Format::Json } else { Format::Xml };
    let format = param(&params, "Format")
        .and_then(Format::parse)
        .unwrap_or(default_format);
    let cx = Context {
        request_id,
        format,
        host: request.host,
    };

    let (action_name, version_name) = if v3 {
        ("x-acs-action", "x-acs-version")
    } else {
        ("Action", "Version")
    };
    let named = |name| {
        if v3 {
            header(request.headers, name)
        } else {
            param(&params, name)
        }
    };
    let Some(action) = named(action_name).filter(|a| !a.is_empty()) else {
        return cx.refused(Refusal::missing(action_name));
    };
    let Some(version) = named(version_name).filter(|v| !v.is_empty()) else {
        return cx.refused(Refusal::missing(version_name));
    };
    let found = catalog::find(action).filter(|_| version == API_VERSION);
    let Some(op) = found else {
        return cx.error(
            "InvalidApi.NotFound",
            &format!("Specified api is not found, please check your url and method: {action} (version {version}) is not an operation of product cr."),
            404,
        );
    };

    let now = app.now();
    let verified = if v3 {
        app.verifier.verify_v3(
            &V3Request {
                method: request.method,
                query: &params,
                headers: request.headers,
                body: request.body,
            },
            now,
        )
    } else {
        app.verifier.verify(request.method, &params, now)
    };
    let nonce = match verified {
        Ok(nonce) => nonce,
        Err(refusal) => return cx.refused(refusal),
    };
    match app.config.faults.pick(&app.entropy) {
        Some(Fault::Throttled) => {
            return cx
                .error(
                    "Throttling.User",
                    "Request was denied due to user flow control.",
                    400,
                )
                .with("x-acs-retry-after", RETRY_AFTER_MS.to_string())
        }
        Some(Fault::Unavailable) => {
            return cx.error(
                "ServiceUnavailable",
                "The request has failed due to a temporary failure of the server.",
                503,
            )
        }
        None => {}
    }
    if let Err(refusal) = app.verifier.use_nonce(&nonce, now) {
        return cx.refused(refusal);
    }
    if let Err(e) = check_wire(op, &params) {
        return match e {
            Error::MissingParameter { name } => cx.refused(Refusal::missing(&name)),
            Error::InvalidParameter { name, reason } => cx.refused(Refusal::invalid(&name, reason)),
            other => cx.error("InvalidParameter", &other.message(), 400),
        };
    }
    let Some(handler) = api::handler(op.action) else {
        // Every catalogue operation has a handler (tested); this is a
        // catalogue entry newer than this build.
        return cx.error(
            "InvalidApi.NotFound",
            &format!("{} is not implemented by this emulator.", op.action),
            404,
        );
    };

    if let Err(e) = app.settle().await {
        return cx.error("InternalError", &e, 500);
    }
    let call = Call {
        op,
        params: &params,
        now: app.now(),
        task_ms: app.config.task_ms,
    };
    let result = match handler {
        Handler::Read(read) => read(&app.read(), &call),
        Handler::Write(write) => {
            let saved = app
                .write(|state| {
                    let result = write(state, &call);
                    let changed = result.is_ok();
                    (result, changed)
                })
                .await;
            match saved {
                Ok(result) => result,
                Err(e) => return cx.error("InternalError", &e, 500),
            }
        }
    };
    cx.answer(op, result)
}

fn bad_encoding(request_id: String, host: &str, reason: &str) -> Reply {
    Context {
        request_id,
        format: Format::Xml,
        host,
    }
    .error(
        "InvalidParameter",
        &format!("The request could not be read: {reason}."),
        400,
    )
}
