//! The functions for code that does its own I/O (an edge proxy, a test):
//! `operations()`, `signRequest(opts)` and `decodeResponse(...)`.

use alloc::string::String;
use alloc::vec::Vec;

use js_sys::Array;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use super::boundary::{pack_sign_options, signed_request, signed_request_v3, string_from_js};
use super::client::{parse_method, parse_signature_version, v3_format_param, SignatureVersion};
use super::convert::{describe, entries, value_from_js};
use super::errors::Failure;
use super::options::{self, Options};
use super::platform;
use super::tape::{answer_to_js, utf16_len};
use super::wire::SIGN_OPTIONS;
use crate::catalog::{self, API_VERSION};
use crate::decode::{self, response_fields};
use crate::request::flatten;
use crate::sign::{self, Format, SigningContext};
use crate::sign_v3;
use crate::timestamp::parse_timestamp;
use crate::Credentials;

/// The Action names of every operation the catalogue knows (PascalCase).
#[wasm_bindgen(unchecked_return_type = "Action[]")]
pub fn operations() -> Array {
    catalog::operations()
        .map(|op| JsValue::from_str(op.action))
        .collect()
}

/// Signs a request. V1 (the default, or `signatureVersion: "1.0"`): adds
/// the common parameters (`AccessKeyId`, `Format`, `SignatureMethod`,
/// `SignatureNonce`, `SignatureVersion`, `Timestamp`, `Version`, and
/// `SecurityToken` when given) to `opts.params` and returns `{ url, method,
/// params, stringToSign, signature }`; `params` includes `Signature`. V3
/// (`signatureVersion: "3"`): every parameter but `Action` in the URL's
/// query (and `Format=XML` for `format: "XML"`), an empty body, and `{ url,
/// method, headers, canonicalRequest, stringToSign, signature }`
/// (`crate::sign_v3`). The parameters are signed
/// as given (nested values flattened to `Key.1`, `Key.Sub`), not checked
/// against the catalogue, so operations and parameters it does not know
/// can be signed too.
#[wasm_bindgen(js_name = signRequest, skip_typescript)]
pub fn sign_request(
    #[wasm_bindgen(unchecked_param_type = "SignRequestOptions")] opts: JsValue,
) -> Result<JsValue, JsValue> {
    sign_request_inner(&opts).map_err(Failure::into_js)
}

/// `signRequest`'s options as strings (`None`: absent, `undefined` or
/// `null`), in [`SIGN_OPTIONS`] order, and the parameters flattened.
#[derive(Default)]
struct SignInput {
    options: [Option<String>; SIGN_OPTIONS.len()],
    params: Vec<(String, String)>,
}

impl SignInput {
    /// The common case, read in one crossing: `packSignOptions` packs
    /// plain string options and scalar parameters into one string.
    fn unpack(packed: &str) -> SignInput {
        let mut pieces = packed.split('\0');
        let mut input = SignInput::default();
        for (slot, piece) in input.options.iter_mut().zip(pieces.by_ref()) {
            *slot = piece.strip_prefix('+').map(String::from);
        }
        while let (Some(name), Some(value)) = (pieces.next(), pieces.next()) {
            input.params.push((name.into(), value.into()));
        }
        input
    }

    /// Anything else, read property by property so that an error names
    /// the option or parameter at fault.
    fn read(opts: &JsValue) -> Result<SignInput, Failure> {
        let mut names = SIGN_OPTIONS.to_vec();
        names.push("params");
        let opts = Options::new(opts, "opts", &names)?;
        let mut input = SignInput::default();
        for (slot, name) in input.options.iter_mut().zip(SIGN_OPTIONS) {
            *slot = opts.string(name)?;
        }
        let params_value = opts.get("params");
        if params_value.is_undefined() || params_value.is_null() {
            return Err(Failure::invalid(
                "params",
                "it is required (the operation's parameters, including Action)",
            ));
        }
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
            flatten(&name, &value, &mut input.params);
        }
        if !has_action {
            return Err(Failure::invalid(
                "Action",
                "params must include Action, the operation's name",
            ));
        }
        Ok(input)
    }

    /// The option called `name` (one of [`SIGN_OPTIONS`]).
    fn take(&mut self, name: &str) -> Option<String> {
        let slot = SIGN_OPTIONS.iter().position(|option| *option == name)?;
        self.options[slot].take()
    }

    /// An option that must be given and not empty.
    fn required(&mut self, name: &str) -> Result<String, Failure> {
        options::required(name, self.take(name))
    }

    /// An optional option that must not be empty when given.
    fn non_empty(&mut self, name: &str) -> Result<Option<String>, Failure> {
        options::non_empty(name, self.take(name))
    }
}

fn sign_request_inner(opts: &JsValue) -> Result<JsValue, Failure> {
    let mut input = match pack_sign_options(opts) {
        Ok(Some(packed)) => SignInput::unpack(&packed),
        _ => SignInput::read(opts)?,
    };
    let method = parse_method(input.take("method").as_deref())?;
    let endpoint = input.required("endpoint")?;
    let access_key_id = input.required("accessKeyId")?;
    let access_key_secret = input.required("accessKeySecret")?;
    let mut credentials = Credentials::new(access_key_id, access_key_secret);
    if let Some(token) = input.non_empty("securityToken")? {
        credentials = credentials.with_security_token(token);
    }
    let timestamp = match input.take("timestamp") {
        Some(text) if parse_timestamp(&text).is_some() => text,
        Some(_) => {
            return Err(Failure::invalid(
                "timestamp",
                "expected UTC time as YYYY-MM-DDThh:mm:ssZ",
            ))
        }
        None => platform::timestamp_now(),
    };
    let nonce = match input.non_empty("nonce")? {
        Some(nonce) => nonce,
        None => platform::nonce()?,
    };
    let version = input
        .non_empty("version")?
        .unwrap_or_else(|| API_VERSION.into());
    let signature_version = parse_signature_version(
        input.take("signatureVersion").as_deref(),
        SignatureVersion::V1,
    )?;
    let format = match input.take("format") {
        None => Format::Json,
        Some(text) => Format::parse(&text)
            .ok_or_else(|| Failure::invalid("format", "expected \"JSON\" or \"XML\""))?,
    };
    if signature_version == SignatureVersion::V3 {
        input.params.extend(v3_format_param(format));
        let action = match input.params.iter().position(|(name, _)| name == "Action") {
            Some(at) => input.params.remove(at).1,
            None => String::new(),
        };
        let signed = sign_v3::sign(
            input.params,
            &sign_v3::SigningContext {
                method,
                credentials: &credentials,
                host: sign_v3::host_of(&endpoint),
                action: &action,
                version: &version,
                date: &timestamp,
                nonce: &nonce,
            },
        );
        let url = signed.url(&endpoint);
        let pieces = [
            url.as_str(),
            method.as_str(),
            &signed.canonical_request,
            &signed.string_to_sign,
            &signed.signature,
        ];
        let headers = signed
            .headers
            .iter()
            .flat_map(|(name, value)| [name.as_str(), value.as_str()]);
        let (text, lengths) = crossing(pieces.into_iter().chain(headers));
        return signed_request_v3(&text, &lengths).map_err(Failure::internal);
    }
    let signed = sign::sign(
        input.params,
        &SigningContext {
            method,
            credentials: &credentials,
            timestamp: &timestamp,
            nonce: &nonce,
            version: &version,
            format,
        },
    );
    let url = signed.url(&endpoint);
    let pieces = [
        url.as_str(),
        method.as_str(),
        &signed.string_to_sign,
        &signed.signature,
    ];
    let params = signed
        .params
        .iter()
        .flat_map(|(name, value)| [name.as_str(), value.as_str()]);
    let (text, lengths) = crossing(pieces.into_iter().chain(params));
    signed_request(&text, &lengths).map_err(Failure::internal)
}

/// A result crosses as one string and the UTF-16 lengths of its pieces.
fn crossing<'a>(pieces: impl Iterator<Item = &'a str>) -> (String, Vec<u32>) {
    let mut text = String::new();
    let mut lengths = Vec::new();
    for piece in pieces {
        text.push_str(piece);
        lengths.push(utf16_len(piece));
    }
    (text, lengths)
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
        string_from_js(value).ok_or_else(|| {
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
    answer_to_js(&value, &response_fields(operation))
}
