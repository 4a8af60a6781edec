//! Declarative REST operations, the counterpart of [`crate::catalog`] for
//! the Scaleway and SWR tag APIs.
//!
//! One [`RestOperation`] entry per operation says its method, its path
//! template, where each parameter goes (path, query or JSON body), each
//! parameter's type and limits, the rules between parameters (given
//! together, a multiple of another, not mixed with another) and the shape
//! of its answer. [`RestApi::build`] validates parameters against the entry
//! and produces an [`HttpRequest`]; [`RestApi::decode`] reads the answer.
//! The typed builders of each provider go through the same path, so the
//! rules live in one place.

use alloc::borrow::Cow;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::catalog::{Field, Param, ParamType, Type};
use crate::decode::json;
use crate::error::{ApiError, Error, Result};
use crate::request::{check_value, format_float};
use crate::value::{is_whole, Value};

use super::auth::{AuthToken, AUTH_HEADER};
use super::http::{encode_path_segment, HttpMethod, HttpRequest, HttpResponse};

/// Where a parameter goes in the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A `{name}` segment of the path template; always required.
    Path,
    /// The query string.
    Query,
    /// A member of the JSON body.
    Body,
}

/// A check that also gives the wire text (it may rewrite the value, as SWR
/// writes `/` in repository names as `$`). Gets the parameter's name for
/// its error messages.
pub type CheckFn = fn(name: &str, text: &str) -> Result<String>;

/// The type of a parameter.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// A string, integer, boolean or enumeration, checked as the catalogue
    /// checks the RPC API's parameters.
    Scalar(ParamType),
    /// A string checked by a provider's own rule.
    Checked {
        /// The rule.
        check: CheckFn,
        /// What it accepts, for the typings (the rule's errors say it
        /// themselves): empty in the npm package's WebAssembly ([`doc`]).
        accepts: &'static str,
    },
}

/// One parameter of a REST operation.
#[derive(Debug, Clone, Copy)]
pub struct RestParam {
    /// The wire name (`page_size`).
    pub name: &'static str,
    /// Path, query or body.
    pub place: Place,
    /// Type and limits.
    pub kind: Kind,
    /// Whether a request without it is refused (path parameters always are).
    pub required: bool,
}

/// A rule between parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Either both or neither (SWR: `offset` with `limit`, `order_column`
    /// with `order_type`).
    Together(&'static str, &'static str),
    /// The first is a whole multiple of the second (SWR: `offset` of `limit`).
    MultipleOf(&'static str, &'static str),
    /// The first may not be given with any of the others (SWR's `filter`
    /// form replaces the separate parameters).
    Excludes(&'static str, &'static [&'static str]),
}

/// The shape of a successful answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Answer {
    /// No body worth reading (SWR's 201/204 answers).
    Empty,
    /// A JSON document of this type.
    Json(Type),
}

/// How the package's typings name and describe an object of a REST API's
/// answers. `tests/rest_typescript.rs` writes its TypeScript interface
/// from `fields`, the table's own field list, so that each name and type is
/// declared once; what only the typings need (which fields every answer
/// carries, notes, known values) is said here. Nothing in the WebAssembly
/// reads it, so none of it is compiled there.
#[derive(Debug, Clone, Copy)]
pub struct TypedObject {
    /// The interface's name (`ScalewayTag`).
    pub name: &'static str,
    /// Its JSDoc.
    pub about: &'static str,
    /// The fields, as the operation table decodes them.
    pub fields: &'static [Field],
    /// The wire names of the fields every answer carries (required in
    /// TypeScript); lists are always present (an absent list is empty) and
    /// need not be named.
    pub present: &'static [&'static str],
    /// (wire name, JSDoc) of the fields that need a word.
    pub notes: &'static [(&'static str, &'static str)],
    /// (wire name, TypeScript type) where the typing says more than the
    /// table's type, as a string's known values.
    pub typed: &'static [(&'static str, &'static str)],
}

/// One REST operation.
#[derive(Debug, Clone, Copy)]
pub struct RestOperation {
    /// The operation's name as the vendors' SDKs call it (`ListTags`).
    pub name: &'static str,
    /// Where it is documented. Empty in a [`RestApi`]'s operations in the
    /// npm package's WebAssembly, as in the RPC catalogue.
    pub doc: &'static str,
    /// One-line summary. Empty in a [`RestApi`]'s operations in the npm
    /// package's WebAssembly, as in the RPC catalogue.
    pub summary: &'static str,
    /// The method.
    pub method: HttpMethod,
    /// The path, with `{name}` for each path parameter.
    pub path: &'static str,
    /// Its parameters.
    pub params: &'static [RestParam],
    /// Rules between its parameters.
    pub rules: &'static [Rule],
    /// The shape of its answer.
    pub answer: Answer,
    /// The TypeScript type a call resolves to, named by the package's
    /// typings (`src/wasm/registries.d.ts`): the generated method
    /// declarations use it (`tests/rest_typescript.rs`). Empty in the npm
    /// package's WebAssembly, like `doc`.
    pub resolves_to: &'static str,
}

impl RestOperation {
    /// The parameter with this wire name.
    pub fn param(&self, name: &str) -> Option<&'static RestParam> {
        self.params.iter().find(|p| p.name == name)
    }
}

/// A provider's operation table as its [`RestApi`] holds it: as written,
/// except in the npm package's WebAssembly (`wasm32` with `std`), which
/// leaves summaries and doc references empty, as the RPC catalogue does:
/// nothing there reads them, and constants are compiled in only where code
/// reads them, so the texts stay out of the module.
#[cfg(not(all(target_arch = "wasm32", feature = "std")))]
macro_rules! api_operations {
    ($operations:path) => {
        $operations
    };
}
#[cfg(all(target_arch = "wasm32", feature = "std"))]
macro_rules! api_operations {
    ($operations:path) => {{
        const WITHOUT_DOCS: [$crate::providers::rest::RestOperation; $operations.len()] =
            $crate::providers::rest::without_docs($operations);
        &WITHOUT_DOCS
    }};
}
pub(crate) use api_operations;

/// `text`, except in the npm package's WebAssembly (`wasm32` with `std`),
/// where it is empty: for texts only documentation and typings read (a
/// checked parameter's `accepts`), which would otherwise be compiled into
/// the module with the tables that hold them.
pub(crate) const fn doc(text: &'static str) -> &'static str {
    if cfg!(all(target_arch = "wasm32", feature = "std")) {
        ""
    } else {
        text
    }
}

/// `operations` with empty summaries and doc references.
#[cfg(all(target_arch = "wasm32", feature = "std"))]
pub(crate) const fn without_docs<const N: usize>(
    operations: &[RestOperation],
) -> [RestOperation; N] {
    const BLANK: RestOperation = RestOperation {
        name: "",
        doc: "",
        summary: "",
        method: HttpMethod::Get,
        path: "",
        params: &[],
        rules: &[],
        answer: Answer::Empty,
        resolves_to: "",
    };
    let mut out = [BLANK; N];
    let mut i = 0;
    while i < N {
        out[i] = RestOperation {
            doc: "",
            summary: "",
            resolves_to: "",
            ..operations[i]
        };
        i += 1;
    }
    out
}

/// A REST API: its operations, the headers every request carries and how
/// its error bodies read.
#[derive(Debug, Clone, Copy)]
pub struct RestApi {
    /// For messages (`Scaleway`, `SWR`).
    pub name: &'static str,
    /// The JavaScript class of the API (`ScalewayRegistry`); its typings'
    /// names start with the part before `Registry`.
    pub class: &'static str,
    /// The parameters the client fills in when a call leaves them out
    /// (Scaleway's `region`): optional in the typings.
    pub defaulted: &'static [&'static str],
    /// Every operation.
    pub operations: &'static [RestOperation],
    /// Headers sent with every request besides `X-Auth-Token`.
    pub headers: &'static [(&'static str, &'static str)],
    /// Reads an error answer (any status of 300 or more).
    pub error: fn(&HttpResponse) -> ApiError,
    /// The operations whose answers carry paging state read from the
    /// whole exchange (SWR's `Content-Range` and the window it asked for),
    /// and how: [`RestApi::answer`] gives what the function makes instead
    /// of the bare body.
    pub pages: &'static [(&'static str, PageFn)],
}

/// Makes a page (body, paging state, and its type) from a request, its
/// answer and the decoded body.
pub type PageFn = fn(&HttpRequest, &HttpResponse, Value) -> Result<(Value, Type)>;

impl RestApi {
    /// The operation with this name (exact).
    pub fn find(&self, name: &str) -> Option<&'static RestOperation> {
        self.operations.iter().find(|op| op.name == name)
    }

    /// The operation with this name, or `UnknownAction`.
    pub fn operation(&self, name: &str) -> Result<&'static RestOperation> {
        self.find(name).ok_or_else(|| Error::UnknownAction {
            action: name.to_string(),
        })
    }

    /// Validates `params` (wire names, or their camelCase forms) for the
    /// operation and builds the request. `Null` values count as absent.
    /// Unknown names are refused: a misspelt optional parameter would
    /// otherwise be silently ignored.
    pub fn build<K: AsRef<str>>(
        &self,
        operation: &RestOperation,
        params: &[(K, Value)],
        token: &AuthToken,
    ) -> Result<HttpRequest> {
        let given = check_params(operation, params)?;

        let mut path = String::with_capacity(operation.path.len() + 64);
        let mut rest = operation.path;
        while let Some((before, after)) = rest.split_once('{') {
            let Some((name, after)) = after.split_once('}') else {
                break; // not a template: the rest is literal
            };
            path.push_str(before);
            let (_, text) = given
                .iter()
                .find(|(p, _)| p.name == name)
                .ok_or_else(|| Error::missing(name))?;
            encode_path_segment(&mut path, text);
            rest = after;
        }
        path.push_str(rest);

        let query = given
            .iter()
            .filter(|(p, _)| p.place == Place::Query)
            .map(|(p, text)| (p.name.to_string(), text.clone()))
            .collect();
        let body_members: Vec<&(&RestParam, String)> = given
            .iter()
            .filter(|(p, _)| p.place == Place::Body)
            .collect();
        let body = if body_members.is_empty() {
            None
        } else {
            Some(json_body(&body_members))
        };

        let mut headers: Vec<(String, String)> = Vec::with_capacity(self.headers.len() + 2);
        headers.push((AUTH_HEADER.to_string(), token.expose().to_string()));
        for (name, value) in self.headers {
            headers.push((name.to_string(), value.to_string()));
        }
        if body.is_some()
            && !headers
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        {
            headers.push(("Content-Type".to_string(), "application/json".to_string()));
        }

        Ok(HttpRequest {
            method: operation.method,
            path,
            query,
            headers,
            body,
        })
    }

    /// Decodes an answer of `operation`: a status of 300 or more becomes
    /// [`Error::Api`] through the API's error reader; a success body is
    /// decoded by the operation's answer shape ([`Value::Null`] for
    /// [`Answer::Empty`]).
    pub fn decode(&self, operation: &RestOperation, response: &HttpResponse) -> Result<Value> {
        if response.status >= 300 {
            return Err(Error::api_error((self.error)(response)));
        }
        match operation.answer {
            Answer::Empty => Ok(Value::Null),
            Answer::Json(ty) => {
                if response.body.trim().is_empty() {
                    return Err(Error::decode(format!(
                        "{} {} answered HTTP {} with an empty body",
                        self.name, operation.name, response.status
                    )));
                }
                json::decode(&response.body, &ty)
            }
        }
    }

    /// What a call of `operation` gives: the decoded answer and its type,
    /// or the page its [`RestApi::pages`] entry makes of the exchange.
    pub fn answer(
        &self,
        operation: &RestOperation,
        request: &HttpRequest,
        response: &HttpResponse,
    ) -> Result<(Value, Type)> {
        let value = self.decode(operation, response)?;
        if let Some((_, page)) = self.pages.iter().find(|(name, _)| *name == operation.name) {
            return page(request, response, value);
        }
        let ty = match operation.answer {
            Answer::Json(ty) => ty,
            Answer::Empty => Type::Any,
        };
        Ok((value, ty))
    }
}

/// Checks `params` against the operation's parameters and rules: the
/// given ones, each turned into wire text, in the operation's declaration
/// order (so requests are deterministic).
pub fn check_params<'o, K: AsRef<str>>(
    operation: &'o RestOperation,
    params: &[(K, Value)],
) -> Result<Vec<(&'o RestParam, String)>> {
    let given = collect(operation, params)?;
    check_rules(operation, &given)?;
    Ok(given)
}

fn collect<'o, K: AsRef<str>>(
    operation: &'o RestOperation,
    params: &[(K, Value)],
) -> Result<Vec<(&'o RestParam, String)>> {
    let mut found: Vec<Option<String>> = operation.params.iter().map(|_| None).collect();
    for (name, value) in params {
        let name = name.as_ref();
        if matches!(value, Value::Null) {
            continue;
        }
        let wire = wire_name(name);
        let Some(index) = operation.params.iter().position(|p| p.name == wire) else {
            let known: Vec<&str> = operation.params.iter().map(|p| p.name).collect();
            return Err(Error::invalid(
                name,
                format!(
                    "unknown parameter; {} accepts {}",
                    operation.name,
                    known.join(", ")
                ),
            ));
        };
        let param = &operation.params[index];
        if found[index].is_some() {
            return Err(Error::invalid(param.name, "given twice"));
        }
        found[index] = Some(to_wire(param, value)?);
    }
    let mut out = Vec::with_capacity(found.len());
    for (param, text) in operation.params.iter().zip(found) {
        match text {
            Some(text) => out.push((param, text)),
            None if param.required || param.place == Place::Path => {
                return Err(Error::missing(param.name))
            }
            None => {}
        }
    }
    Ok(out)
}

/// `pageSize` → `page_size`; wire names pass unchanged.
pub fn wire_name(name: &str) -> Cow<'_, str> {
    if !name.bytes().any(|b| b.is_ascii_uppercase()) {
        return Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len() + 4);
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `page_size` → `pageSize`, for the JS names of answers and parameters.
pub fn js_name(name: &str) -> Cow<'_, str> {
    if !name.contains('_') {
        return Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// One value as wire text, refusing the wrong kind and values out of limits.
fn to_wire(param: &RestParam, value: &Value) -> Result<String> {
    let name = param.name;
    let wrong =
        |expected: &str| Error::invalid(name, format!("expected {expected}, got {}", value.kind()));
    match param.kind {
        Kind::Scalar(ty) => {
            let text = match (ty, value) {
                (ParamType::Str { .. } | ParamType::Enum(_), Value::Str(s)) => s.clone(),
                (ParamType::Str { .. } | ParamType::Enum(_), _) => return Err(wrong("a string")),
                (ParamType::Int { .. }, Value::Int(n)) => n.to_string(),
                (ParamType::Int { .. }, Value::Float(f)) if is_whole(*f) => (*f as i64).to_string(),
                (ParamType::Int { .. }, Value::Float(f)) => {
                    return Err(Error::invalid(
                        name,
                        format!("expected an integer, got {}", format_float(*f)),
                    ))
                }
                (ParamType::Int { .. }, Value::Str(s)) => s.clone(), // checked as text below
                (ParamType::Int { .. }, _) => return Err(wrong("an integer")),
                (ParamType::Bool, Value::Bool(b)) => b.to_string(),
                (ParamType::Bool, Value::Str(s)) => s.clone(), // checked as text below
                (ParamType::Bool, _) => return Err(wrong("true or false")),
                // A structure goes into the JSON body as given, checked
                // against its type, with camelCase members under their wire
                // names (SWR's retention `rules`).
                (ParamType::Json(ty), _) => {
                    let wire = crate::request::wire_value(ty, value, name, wire_name)?;
                    return Ok(crate::json_text::json(&wire));
                }
                // Flat lists are the RPC API's; no REST table declares one.
                (ParamType::Flat(_), _) => return Err(wrong("a scalar")),
            };
            check_value(
                &Param {
                    name,
                    ty,
                    // Path segments may never be empty.
                    required: param.required || param.place == Place::Path,
                    // Secrets travel in headers here, never as parameters.
                    secret: false,
                    deprecated: false,
                },
                &text,
            )?;
            Ok(text)
        }
        Kind::Checked { check, .. } => match value {
            Value::Str(s) => check(name, s),
            _ => Err(wrong("a string")),
        },
    }
}

fn check_rules(operation: &RestOperation, given: &[(&RestParam, String)]) -> Result<()> {
    let get = |name: &str| {
        given
            .iter()
            .find(|(p, _)| p.name == name)
            .map(|(_, t)| t.as_str())
    };
    for rule in operation.rules {
        match *rule {
            Rule::Together(a, b) => match (get(a), get(b)) {
                (Some(_), None) => return Err(together(a, b)),
                (None, Some(_)) => return Err(together(b, a)),
                _ => {}
            },
            Rule::MultipleOf(a, b) => {
                if let (Some(x), Some(y)) = (get(a), get(b)) {
                    // Both passed their integer checks already.
                    let (x, y): (i64, i64) = (x.parse().unwrap_or(0), y.parse().unwrap_or(1));
                    if y > 0 && x % y != 0 {
                        return Err(Error::invalid(
                            a,
                            format!("must be 0 or a whole multiple of {b} ({y}), got {x}"),
                        ));
                    }
                }
            }
            Rule::Excludes(a, others) => {
                if get(a).is_some() {
                    if let Some(other) = others.iter().find(|o| get(o).is_some()) {
                        return Err(Error::invalid(
                            a,
                            format!("cannot be combined with {other}: give the values either in {a} or as separate parameters"),
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

fn together(given: &str, missing: &str) -> Error {
    Error::invalid(
        given,
        format!("must be given together with {missing}, which is missing"),
    )
}

/// The JSON body from the body parameters, in declaration order: booleans,
/// integers and structures as JSON values, everything else as strings. Written by
/// [`crate::json_text::json`] rather than serde_json's serializer, which
/// would add 10 KB to the WebAssembly module for this one object.
fn json_body(members: &[&(&RestParam, String)]) -> String {
    let members = members
        .iter()
        .map(|(param, text)| {
            let value = match param.kind {
                Kind::Scalar(ParamType::Bool) => Value::Bool(text == "true"),
                Kind::Scalar(ParamType::Int { .. }) => text
                    .parse::<i64>()
                    .map_or_else(|_| Value::Str(text.clone()), Value::Int),
                // Written by `to_wire` from a checked value: it reads back.
                Kind::Scalar(ParamType::Json(ty)) => {
                    json::decode(text, ty).unwrap_or_else(|_| Value::Str(text.clone()))
                }
                _ => Value::Str(text.clone()),
            };
            (Cow::Borrowed(param.name), value)
        })
        .collect();
    crate::json_text::json(&Value::Object(members))
}

// ---- Small constructors that keep the operation tables readable. ----

/// A required path segment checked by `check`.
pub(crate) const fn path(name: &'static str, check: CheckFn, accepts: &'static str) -> RestParam {
    RestParam {
        name,
        place: Place::Path,
        kind: Kind::Checked {
            check,
            accepts: doc(accepts),
        },
        required: true,
    }
}

/// An optional query parameter of a scalar type.
pub(crate) const fn query(name: &'static str, ty: ParamType) -> RestParam {
    RestParam {
        name,
        place: Place::Query,
        kind: Kind::Scalar(ty),
        required: false,
    }
}

/// An optional query parameter checked by `check`.
pub(crate) const fn query_checked(
    name: &'static str,
    check: CheckFn,
    accepts: &'static str,
) -> RestParam {
    RestParam {
        name,
        place: Place::Query,
        kind: Kind::Checked {
            check,
            accepts: doc(accepts),
        },
        required: false,
    }
}

/// A body member.
pub(crate) const fn body(name: &'static str, kind: Kind, required: bool) -> RestParam {
    RestParam {
        name,
        place: Place::Body,
        kind,
        required,
    }
}

// ---- Reading typed structs out of decoded values. ----

/// A string field, if present.
pub(crate) fn text(value: &Value, field: &str) -> Option<String> {
    value.get(field).and_then(Value::as_str).map(str::to_string)
}

/// A string field that must be there and not be empty.
pub(crate) fn required_text(value: &Value, field: &str, what: &str) -> Result<String> {
    match value.get(field).and_then(Value::as_str) {
        Some(s) if !s.is_empty() => Ok(s.to_string()),
        _ => Err(Error::decode(format!("{what} has no {field}"))),
    }
}

/// An integer field, if present.
pub(crate) fn integer(value: &Value, field: &str) -> Option<i64> {
    value.get(field).and_then(Value::as_i64)
}

/// A boolean field, if present.
pub(crate) fn boolean(value: &Value, field: &str) -> Option<bool> {
    value.get(field).and_then(Value::as_bool)
}

/// The items of a list field (absent: none).
pub(crate) fn items<'v>(value: &'v Value, field: &str) -> &'v [Value] {
    value.get(field).and_then(Value::as_array).unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_convert_between_js_and_wire() {
        assert_eq!(wire_name("pageSize"), "page_size");
        assert_eq!(wire_name("order_by"), "order_by");
        assert_eq!(wire_name("imageId"), "image_id");
        assert_eq!(js_name("total_count"), "totalCount");
        assert_eq!(js_name("internal_path"), "internalPath");
        assert_eq!(js_name("digest"), "digest");
    }
}
