//! `Client`: `call(action, params)`, and one promise-returning method per
//! catalogue operation, `client.listRepoTag(params)` being
//! `client.call("ListRepoTag", params)`. Those methods are JavaScript that
//! `scripts/build-pkg.sh` adds to the package (and `build.rs` types): as
//! WebAssembly exports, with a shim each, they were 3 KB of the module.
//!
//! A call converts and validates the parameters before anything is sent
//! (camelCase names, the client's `regionId` filled in), then for each
//! attempt signs with a fresh timestamp and nonce, sends, and decodes the
//! answer with the same catalogue entry. The AccessKey secret lives only in
//! the WebAssembly memory (zeroized when the client is freed); the JS object
//! holds nothing but a pointer.

use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::format;
use alloc::rc::Rc;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use js_sys::Promise;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use super::convert::{entries, value_from_js};
use super::errors::Failure;
use super::options::Options;
use super::platform;
use super::promise::promise;
use super::retry::RetryPolicy;
use super::tape::answer_to_js;
use super::transport::{self, Fetch, HttpRequest};
use crate::catalog::{self, Method, Operation, API_VERSION};
use crate::decode::{decode_response, response_fields};
use crate::request::{prepare, to_wire_name, Prepared};
use crate::sign::{self, Format, SignedRequest, SigningContext};
use crate::value::Value;
use crate::Credentials;

/// The option names `new Client(...)` accepts besides
/// [`TRANSPORT_OPTION_NAMES`].
const OPTION_NAMES: &[&str] = &[
    "accessKeyId",
    "accessKeySecret",
    "securityToken",
    "regionId",
    "endpoint",
    "format",
    "method",
];

/// The default time allowed for one attempt.
const DEFAULT_TIMEOUT_MS: f64 = 10_000.0;
/// The longest a `setTimeout` can wait (2^31 - 1 ms).
const MAX_TIMER_MS: f64 = 2_147_483_647.0;

/// A client of the Container Registry Enterprise Edition API.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Client {
    pub(super) settings: Rc<Settings>,
}

/// Everything a call needs; shared with the calls in flight.
#[derive(Debug)]
pub(super) struct Settings {
    credentials: Credentials,
    region_id: String,
    origin: String,
    format: Format,
    method: Method,
    timeout_ms: f64,
    retry: RetryPolicy,
    fetch: Option<Fetch>,
}

#[wasm_bindgen]
impl Client {
    /// Creates a client. Throws a `TagdeckError` (`code: "InvalidParameter"`)
    /// naming the option at fault.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ClientOptions")] options: JsValue,
    ) -> Result<Client, JsValue> {
        Settings::from_js(&options)
            .map(|settings| Client {
                settings: Rc::new(settings),
            })
            .map_err(Failure::into_js)
    }

    /// Calls any operation by its Action name, with its parameters in
    /// camelCase (PascalCase wire names are accepted too).
    #[wasm_bindgen(skip_typescript)]
    pub fn call(&self, action: JsValue, params: JsValue) -> Promise {
        match action.as_string() {
            Some(action) => self.call_operation(&action, params),
            None => Promise::reject(
                &Failure::invalid(
                    "action",
                    format!(
                        "expected an Action name (a string), got {}",
                        super::convert::describe(&action)
                    ),
                )
                .into_js(),
            ),
        }
    }
}

impl Client {
    /// What every operation method does.
    fn call_operation(&self, action: &str, params: JsValue) -> Promise {
        let prepared = match self.settings.prepare(action, &params) {
            Ok(prepared) => prepared,
            Err(failure) => return Promise::reject(&failure.into_js()),
        };
        let settings = Rc::clone(&self.settings);
        promise(Box::pin(async move { settings.execute(prepared).await }))
    }
}

impl Settings {
    fn from_js(options: &JsValue) -> Result<Settings, Failure> {
        let known = [OPTION_NAMES, TRANSPORT_OPTION_NAMES].concat();
        let options = Options::new(options, "options", &known)?;
        let access_key_id = options.required_string("accessKeyId")?;
        let access_key_secret = options.required_string("accessKeySecret")?;
        let mut credentials = Credentials::new(access_key_id, access_key_secret);
        if let Some(token) = options.non_empty_string("securityToken")? {
            credentials = credentials.with_security_token(token);
        }
        let region_id = options.required_string("regionId")?;
        let endpoint = options
            .non_empty_string("endpoint")?
            .unwrap_or_else(|| format!("cr.{region_id}.aliyuncs.com"));
        let format = match options.string("format")? {
            None => Format::Json,
            Some(text) => Format::parse(&text)
                .ok_or_else(|| Failure::invalid("format", "expected \"JSON\" or \"XML\""))?,
        };
        let method = parse_method(options.string("method")?.as_deref())?;
        let Transport {
            timeout_ms,
            retry,
            fetch,
        } = Transport::from_options(&options)?;
        Ok(Settings {
            credentials,
            region_id,
            origin: sign::origin(&endpoint),
            format,
            method,
            timeout_ms,
            retry,
            fetch,
        })
    }

    /// Converts and validates a call's parameters, before anything is sent.
    fn prepare(&self, action: &str, params: &JsValue) -> Result<Prepared, Failure> {
        let operation = catalog::find(action).ok_or_else(|| {
            Failure::from(crate::Error::UnknownAction {
                action: action.to_string(),
            })
        })?;
        let mut wire: Vec<(Cow<'_, str>, Value)> = Vec::new();
        if !(params.is_undefined() || params.is_null()) {
            for (name, value) in entries(params, "params")? {
                let wire_name = to_wire_name(&name).into_owned();
                let value = value_from_js(&value, &wire_name)?;
                wire.push((Cow::Owned(wire_name), value));
            }
        }
        let has_region = wire
            .iter()
            .any(|(name, value)| name == "RegionId" && *value != Value::Null);
        if operation.param("RegionId").is_some() && !has_region {
            wire.push((
                Cow::Borrowed("RegionId"),
                Value::Str(self.region_id.clone()),
            ));
        }
        prepare(operation.action, &wire).map_err(|error| Failure::from(with_js_name(error)))
    }

    /// Sends a prepared call, retrying as the policy allows.
    async fn execute(&self, prepared: Prepared) -> Result<JsValue, Failure> {
        let value = self.execute_value(&prepared).await?;
        answer_to_js(&value, &response_fields(prepared.operation))
    }

    /// Sends a prepared call, retrying as the policy allows; the decoded
    /// answer (the common tag interface reads it in `registries.rs`).
    pub(super) async fn execute_value(&self, prepared: &Prepared) -> Result<Value, Failure> {
        let operation = prepared.operation;
        let mut retries_done = 0;
        loop {
            let failure = match self.attempt(operation, &prepared.params).await {
                Ok(value) => return Ok(value),
                Err(failure) => failure,
            };
            let delay =
                self.retry
                    .delay_ms(operation, &failure, retries_done, platform::random_unit());
            match delay {
                Some(ms) => platform::sleep(ms).await?,
                None => return Err(failure),
            }
            retries_done += 1;
        }
    }

    /// One signed exchange and its decoding.
    async fn attempt(
        &self,
        operation: &'static Operation,
        params: &[(String, String)],
    ) -> Result<Value, Failure> {
        let nonce = platform::nonce()?;
        let timestamp = platform::timestamp_now();
        let signed = sign::sign(
            params.to_vec(),
            &SigningContext {
                method: self.method,
                credentials: &self.credentials,
                timestamp: &timestamp,
                nonce: &nonce,
                version: API_VERSION,
                format: self.format,
            },
        );
        let fetch = self.fetch()?;
        let url = signed.url(&self.origin);
        let body = signed.body();
        let answer = transport::send(
            &fetch,
            &HttpRequest {
                method: self.method.as_str(),
                url: &url,
                body: body.as_deref(),
                headers: &[],
                origin: &self.origin,
            },
            self.timeout_ms,
        )
        .await?;
        match decode_response(operation, answer.status, &answer.body, self.format) {
            Ok(value) => Ok(value),
            Err(error) => {
                let mut failure = Failure::from(error.clone());
                failure.retry_after_ms = answer.retry_after_ms;
                explain_signature_mismatch(&mut failure, &error, &signed);
                Err(failure)
            }
        }
    }

    /// The injected `fetch`, or the global one.
    fn fetch(&self) -> Result<Fetch, Failure> {
        resolve_fetch(self.fetch.as_ref())
    }

    /// The region filled into calls that leave `RegionId` out.
    pub(super) fn region_id(&self) -> &str {
        &self.region_id
    }
}

/// The options of every client over `fetch` (the REST registries' too).
pub(super) const TRANSPORT_OPTION_NAMES: &[&str] = &[
    "timeoutMs",
    "maxRetries",
    "retryWrites",
    "retryBaseDelayMs",
    "retryMaxDelayMs",
    "fetch",
];

/// Timeout, retries and `fetch`, read from a client's options.
#[derive(Debug, Clone)]
pub(super) struct Transport {
    pub(super) timeout_ms: f64,
    pub(super) retry: RetryPolicy,
    pub(super) fetch: Option<Fetch>,
}

impl Transport {
    /// Reads [`TRANSPORT_OPTION_NAMES`], each checked and named in errors.
    pub(super) fn from_options(options: &Options) -> Result<Transport, Failure> {
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
        Ok(Transport {
            timeout_ms,
            retry,
            fetch,
        })
    }
}

/// The injected `fetch`, or the global one looked up at call time (so
/// that a polyfill installed after the client was made is used).
pub(super) fn resolve_fetch(injected: Option<&Fetch>) -> Result<Fetch, Failure> {
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

/// On `SignatureDoesNotMatch`, says whether the secret or the
/// canonicalization is at fault.
fn explain_signature_mismatch(failure: &mut Failure, error: &crate::Error, signed: &SignedRequest) {
    if let Some(server) = error.api().and_then(|api| api.server_string_to_sign()) {
        failure.explain_signature_mismatch(server, &signed.string_to_sign);
    }
}

/// Names a parameter the way the caller wrote it as well as on the wire:
/// "the parameter pageSize (PageSize) is invalid: ...".
fn with_js_name(error: crate::Error) -> crate::Error {
    use crate::request::to_js_name;
    use crate::Error;
    let both = |name: &str| format!("{} ({name})", to_js_name(name));
    match error {
        Error::MissingParameter { name } => Error::MissingParameter { name: both(&name) },
        Error::InvalidParameter { name, reason } => Error::InvalidParameter {
            name: both(&name),
            reason,
        },
        other => other,
    }
}

/// `"GET"` (the default) or `"POST"`, any case.
pub fn parse_method(text: Option<&str>) -> Result<Method, Failure> {
    match text {
        None => Ok(Method::Get),
        Some(m) if m.eq_ignore_ascii_case("GET") => Ok(Method::Get),
        Some(m) if m.eq_ignore_ascii_case("POST") => Ok(Method::Post),
        Some(_) => Err(Failure::invalid("method", "expected \"GET\" or \"POST\"")),
    }
}
