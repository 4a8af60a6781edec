//! The functions for code that does its own I/O (an edge proxy, a test):
//! `operations()`, `signRequest(opts)` and `decodeResponse(...)`.

use alloc::string::String;
use alloc::vec::Vec;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use super::client::parse_method;
use super::convert::{answer_to_js, describe, entries, value_from_js};
use super::errors::Failure;
use super::options::Options;
use super::platform;
use crate::catalog::{self, API_VERSION};
use crate::decode::{self, response_fields};
use crate::request::flatten;
use crate::sign::{self, Format, SigningContext};
use crate::timestamp::parse_timestamp;
use crate::Credentials;

/// The option names `signRequest` accepts (the public contract).
const SIGN_OPTION_NAMES: &[&str] = &[
    "method",
    "endpoint",
    "accessKeyId",
    "accessKeySecret",
    "securityToken",
    "params",
    "timestamp",
    "nonce",
    "version",
    "format",
];

/// The Action names of every operation the catalogue knows (PascalCase).
#[wasm_bindgen(unchecked_return_type = "Action[]")]
pub fn operations() -> Array {
    catalog::operations()
        .map(|op| JsValue::from_str(op.action))
        .collect()
}

/// Signs a request: adds the common parameters (`AccessKeyId`, `Format`,
/// `SignatureMethod`, `SignatureNonce`, `SignatureVersion`, `Timestamp`,
/// `Version`, and `SecurityToken` when given) to `opts.params` and returns
/// `{ url, method, params, stringToSign, signature }`; `params` includes
/// `Signature`. The parameters are signed as given (nested values
/// flattened to `Key.1`, `Key.Sub`), not checked against the catalogue, so
/// operations and parameters it does not know can be signed too.
#[wasm_bindgen(js_name = signRequest, unchecked_return_type = "SignedRequest")]
pub fn sign_request(
    #[wasm_bindgen(unchecked_param_type = "SignRequestOptions")] opts: JsValue,
) -> Result<JsValue, JsValue> {
    sign_request_inner(&opts).map_err(Failure::into_js)
}

fn sign_request_inner(opts: &JsValue) -> Result<JsValue, Failure> {
    let opts = Options::new(opts, "opts", SIGN_OPTION_NAMES)?;
    let method = parse_method(opts.string("method")?.as_deref())?;
    let endpoint = opts.required_string("endpoint")?;
    let access_key_id = opts.required_string("accessKeyId")?;
    let access_key_secret = opts.required_string("accessKeySecret")?;
    let mut credentials = Credentials::new(access_key_id, access_key_secret);
    if let Some(token) = opts.non_empty_string("securityToken")? {
        credentials = credentials.with_security_token(token);
    }
    let timestamp = match opts.string("timestamp")? {
        Some(text) if parse_timestamp(&text).is_some() => text,
        Some(_) => {
            return Err(Failure::invalid(
                "timestamp",
                "expected UTC time as YYYY-MM-DDThh:mm:ssZ",
            ))
        }
        None => platform::timestamp_now(),
    };
    let nonce = match opts.non_empty_string("nonce")? {
        Some(nonce) => nonce,
        None => platform::nonce()?,
    };
    let version = opts
        .non_empty_string("version")?
        .unwrap_or_else(|| API_VERSION.into());
    let format = match opts.string("format")? {
        None => Format::Json,
        Some(text) => Format::parse(&text)
            .ok_or_else(|| Failure::invalid("format", "expected \"JSON\" or \"XML\""))?,
    };
    let params_value = opts.get("params");
    if params_value.is_undefined() || params_value.is_null() {
        return Err(Failure::invalid(
            "params",
            "it is required (the operation's parameters, including Action)",
        ));
    }
    let mut params: Vec<(String, String)> = Vec::new();
    let mut has_action = false;
    for (name, value) in entries(&params_value, "params")? {
        let value = value_from_js(&value, &name)?;
        if name == "Action" {
            if !matches!(value, crate::Value::Str(_)) {
                return Err(Failure::invalid(
                    "Action",
                    "expected the operation's name (a string)",
                ));
            }
            has_action = true;
        }
        flatten(&name, &value, &mut params);
    }
    if !has_action {
        return Err(Failure::invalid(
            "Action",
            "params must include Action, the operation's name",
        ));
    }

    let signed = sign::sign(
        params,
        &SigningContext {
            method,
            credentials: &credentials,
            timestamp: &timestamp,
            nonce: &nonce,
            version: &version,
            format,
        },
    );
    let result = Object::new();
    let set = |key: &str, value: &JsValue| {
        let _ = Reflect::set(&result, &JsValue::from_str(key), value);
    };
    let wire = Object::new();
    for (name, value) in &signed.params {
        let _ = Reflect::set(&wire, &JsValue::from_str(name), &JsValue::from_str(value));
    }
    set("url", &JsValue::from_str(&signed.url(&endpoint)));
    set("method", &JsValue::from_str(method.as_str()));
    set("params", &wire);
    set("stringToSign", &JsValue::from_str(&signed.string_to_sign));
    set("signature", &JsValue::from_str(&signed.signature));
    Ok(result.into())
}

/// Decodes an answer of `action` from its body (`format` `"XML"` or
/// `"JSON"`); `httpStatus` (default 200) tells an error answer from a
/// success. Returns the answer with camelCase keys, or throws the
/// service's error as a `TagdeckError`.
#[wasm_bindgen(js_name = decodeResponse, skip_typescript)]
pub fn decode_response(
    action: JsValue,
    body: JsValue,
    format: JsValue,
    http_status: JsValue,
) -> Result<JsValue, JsValue> {
    decode_response_inner(&action, &body, &format, &http_status).map_err(Failure::into_js)
}

fn decode_response_inner(
    action: &JsValue,
    body: &JsValue,
    format: &JsValue,
    http_status: &JsValue,
) -> Result<JsValue, Failure> {
    let string = |value: &JsValue, name: &str| {
        value.as_string().ok_or_else(|| {
            Failure::invalid(
                name,
                alloc::format!("expected a string, got {}", describe(value)),
            )
        })
    };
    let action = string(action, "action")?;
    let body = string(body, "body")?;
    let format = Format::parse(&string(format, "format")?)
        .ok_or_else(|| Failure::invalid("format", "expected \"JSON\" or \"XML\""))?;
    let status = if http_status.is_undefined() || http_status.is_null() {
        200
    } else {
        match http_status.as_f64() {
            Some(n) if (100.0..=599.0).contains(&n) && n.fract() == 0.0 => n as u16,
            _ => {
                return Err(Failure::invalid(
                    "httpStatus",
                    "expected an HTTP status code from 100 to 599",
                ))
            }
        }
    };
    let operation = catalog::find(&action).ok_or_else(|| {
        Failure::from(crate::Error::UnknownAction {
            action: action.clone(),
        })
    })?;
    let value = decode::decode_response(operation, status, &body, format)?;
    Ok(answer_to_js(&value, &response_fields(operation)))
}
