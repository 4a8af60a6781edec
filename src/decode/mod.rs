//! Schema-guided decoding of answers, success and error alike.
//!
//! The operation's catalogue entry says which fields are lists, numbers or
//! booleans, so the XML and the JSON of the same answer decode to the same
//! [`Value`] (see `tests/operations.rs`).

mod coerce;
pub mod json;
pub mod xml;

use alloc::format;
use alloc::string::ToString;
use alloc::vec::Vec;

use crate::catalog::{self, Field, Operation, Type, COMMON_RESPONSE};
use crate::error::{shorten, ApiError, Error, Result};
use crate::sign::Format;
use crate::value::Value;

pub use coerce::{expected, field_index, Path};

/// The fields of an error body, in JSON (`{"Code": ...}`) and in XML
/// (`<Error><Code>..</Code></Error>`) alike.
const ERROR_FIELDS: &[Field] = &[
    catalog::field("RequestId", Type::Str),
    catalog::field("HostId", Type::Str),
    catalog::field("Code", Type::Str),
    catalog::field("Message", Type::Str),
    catalog::field("Recommend", Type::Str),
    catalog::field("IsSuccess", Type::Bool),
];

/// Every top-level field of an operation's answer: the common ones, then
/// its own.
pub fn response_fields(operation: &Operation) -> Vec<Field> {
    let mut all = Vec::with_capacity(COMMON_RESPONSE.len() + operation.response.len());
    all.extend_from_slice(COMMON_RESPONSE);
    all.extend_from_slice(operation.response);
    all
}

/// Decodes an answer of `operation`. An error answer (HTTP status of 300 or
/// more, an XML `<Error>` root, `IsSuccess: false`, or a `Code` that is not
/// a success code: see [`is_error_document`]) becomes [`Error::Api`]; a
/// malformed body becomes [`Error::Decode`].
pub fn decode_response(
    operation: &Operation,
    http_status: u16,
    body: &str,
    format: Format,
) -> Result<Value> {
    let error = || Error::api_error(api_error(http_status, body, format));
    if http_status >= 300 {
        return Err(error());
    }
    let fields = response_fields(operation);
    let value = match format {
        Format::Json => json::decode_object(body, &fields)?,
        Format::Xml => {
            // Parsed once: the root says whether this is an error answer.
            let top = xml::parse(body)?;
            if matches!(top.as_slice(), [root] if root.name == "Error") {
                return Err(error());
            }
            xml::decode_parsed(&top, &fields)?
        }
    };
    if is_error_document(&value) {
        return Err(error());
    }
    Ok(value)
}

/// The `Code`s of a successful answer: the list the vendor's Node client
/// (`@alicloud/pop-core`) accepts, `success` and `OK` in any case.
const SUCCESS_CODES: &[&str] = &["success", "ok", "200"];

/// Whether a decoded answer says it failed, whatever HTTP status came with
/// it (`decodeResponse` may be given none): `IsSuccess: false`, or — unless
/// it says `IsSuccess: true` — a `Code` outside [`SUCCESS_CODES`], as in an
/// error document (`Code`, `Message`, `RequestId`, `HostId`, `Recommend`).
/// `IsSuccess: true` wins over an unusual code: the SDK's own examples show
/// successful answers with `Code` `"true"`.
fn is_error_document(value: &Value) -> bool {
    match value.get("IsSuccess") {
        Some(Value::Bool(success)) => !success,
        _ => match value.get("Code") {
            Some(Value::Str(code)) => {
                !code.is_empty() && !SUCCESS_CODES.iter().any(|s| s.eq_ignore_ascii_case(code))
            }
            _ => false,
        },
    }
}

/// Decodes the answer of the action called `action`.
pub fn decode_action(action: &str, http_status: u16, body: &str, format: Format) -> Result<Value> {
    let operation = catalog::find(action).ok_or_else(|| Error::UnknownAction {
        action: action.to_string(),
    })?;
    decode_response(operation, http_status, body, format)
}

/// Reads an error body. A body that is not a readable error document still
/// gives an error, with a code derived from the HTTP status and the start
/// of the body as its message, so nothing the server said is lost.
pub fn api_error(http_status: u16, body: &str, format: Format) -> ApiError {
    let parsed = match format {
        Format::Json => json::decode_object(body, ERROR_FIELDS),
        Format::Xml => xml::decode_object(body, ERROR_FIELDS),
    };
    // A server may answer an error in the other format (a gateway's HTML or
    // XML page for a JSON request): try that before giving up.
    let parsed = parsed.ok().filter(|v| v.get("Code").is_some()).or_else(|| {
        let other = match format {
            Format::Json => xml::decode_object(body, ERROR_FIELDS),
            Format::Xml => json::decode_object(body, ERROR_FIELDS),
        };
        other.ok().filter(|v| v.get("Code").is_some())
    });
    let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_string);
    match parsed {
        Some(v) => ApiError {
            // An empty `<Code/>` says no more than a missing one: the HTTP
            // status names the error then (found by fuzzing, see
            // tests/fuzz_regressions.rs).
            code: text(&v, "Code")
                .filter(|code| !code.trim().is_empty())
                .unwrap_or_else(|| status_code_name(http_status).to_string()),
            message: text(&v, "Message").unwrap_or_default(),
            request_id: text(&v, "RequestId"),
            host_id: text(&v, "HostId"),
            recommend: text(&v, "Recommend"),
            http_status,
        },
        None => ApiError {
            code: status_code_name(http_status).to_string(),
            message: format!(
                "HTTP {http_status} with a body that is not an error document: {}",
                shorten(body, 200)
            ),
            http_status,
            ..ApiError::default()
        },
    }
}

/// A code for an error answer whose body says nothing usable.
fn status_code_name(http_status: u16) -> &'static str {
    match http_status {
        400 => "BadRequest",
        401 | 403 => "Forbidden",
        404 => "NotFound",
        429 => "Throttling",
        503 => "ServiceUnavailable",
        500..=599 => "InternalError",
        _ => "UnexpectedResponse",
    }
}
