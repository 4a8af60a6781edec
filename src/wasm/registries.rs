//! The REST tag registries in JavaScript, and the one tag interface over
//! them and Alibaba's `Client`.
//!
//! - `ScalewayRegistry` and `SwrRegistry`: `X-Auth-Token` clients with one
//!   promise-returning method per native operation (camelCase parameters
//!   and answers, 64-bit sizes as `bigint`) and `call(operation, params)`.
//!   Requests are built and checked by the sans-IO core
//!   ([`crate::providers`]) before anything is sent; failures are the same
//!   `TagdeckError`s as `Client`'s.
//! - `registry.repository(locator)` (and `client.repository(locator)` for
//!   Alibaba) gives a `TagRepository`: `listTags` (one page), `allTags()`
//!   (an async iterator over every tag, page by page), `getTag`,
//!   `deleteTag`, `createTag` where the registry can. It runs the core's
//!   [`TagCall`] steps over the same transport (retries, timeouts) as the
//!   native methods.

use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::format;
use alloc::rc::Rc;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::cell::RefCell;

use js_sys::{Array, Function, Object, Promise, Reflect, Symbol};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::client::{resolve_fetch, Client, Settings, Transport, TRANSPORT_OPTION_NAMES};
use super::convert::{describe, entries, is_plain_object, value_from_js};
use super::errors::Failure;
use super::options::Options;
use super::platform;
use super::promise::promise;
use super::tape::{object_to_js, value_to_js, Naming};
use super::transport;
use crate::catalog::{Field, Type};
use crate::error::Error;
use crate::providers::http::{HttpMethod, HttpRequest, HttpResponse};
use crate::providers::rest::{Answer, RestApi, RestOperation};
use crate::providers::scaleway::{self, Scaleway};
use crate::providers::swr::{self, Swr};
use crate::providers::tags::{
    AlibabaRepo, Outcome, Paging, Registry, ScalewayImage, Sort, SortKey, SwrRepo, Tag, TagCall,
    TagPage, TagRef, TagRequest, TAG_FIELDS, TAG_PAGE_FIELDS,
};
use crate::providers::AuthToken;
use crate::value::Value;

#[wasm_bindgen(typescript_custom_section)]
const REGISTRY_TYPES: &str = include_str!("registries.d.ts");

/// The page size the common interface asks for when not told.
const DEFAULT_PAGE_SIZE: u32 = 100;
/// No operation of the common interface takes more exchanges than this.
const MAX_STEPS: usize = 4;

// ---------------------------------------------------------------------------
// Transport for the REST registries
// ---------------------------------------------------------------------------

/// Where and how a REST registry's requests go.
#[derive(Debug)]
struct RestTransport {
    api: &'static RestApi,
    origin: String,
    transport: Transport,
}

/// A success answer, for the decoders.
#[derive(Debug)]
struct RestAnswer {
    status: u16,
    body: String,
    headers: Vec<(String, String)>,
}

impl RestAnswer {
    fn response(&self) -> HttpResponse<'_> {
        HttpResponse::new(self.status, &self.headers, &self.body)
    }
}

impl RestTransport {
    fn new(api: &'static RestApi, endpoint: &str, options: &Options) -> Result<Self, Failure> {
        Ok(RestTransport {
            api,
            origin: crate::sign::origin(endpoint),
            transport: Transport::from_options(options)?,
        })
    }

    /// Sends `request`, retrying as the client's policy allows (GET only,
    /// unless `retryWrites`). An answer of 300 or more is the API's error.
    async fn send(&self, request: &HttpRequest) -> Result<RestAnswer, Failure> {
        let read_only = request.method == HttpMethod::Get;
        let mut retries_done = 0;
        loop {
            let failure = match self.attempt(request).await {
                Ok(answer) => return Ok(answer),
                Err(failure) => failure,
            };
            let retry = &self.transport.retry;
            match retry.delay_ms_for(read_only, &failure, retries_done, platform::random_unit()) {
                Some(ms) => platform::sleep(ms).await?,
                None => return Err(failure),
            }
            retries_done += 1;
        }
    }

    async fn attempt(&self, request: &HttpRequest) -> Result<RestAnswer, Failure> {
        let fetch = resolve_fetch(self.transport.fetch.as_ref())?;
        let url = request.url(&self.origin);
        let answer = transport::send(
            &fetch,
            &transport::HttpRequest {
                method: request.method.as_str(),
                url: &url,
                body: request.body.as_deref(),
                headers: &request.headers,
                origin: &self.origin,
            },
            self.transport.timeout_ms,
        )
        .await?;
        let answer = RestAnswer {
            status: answer.status,
            body: answer.body,
            headers: answer.headers,
        };
        if answer.status >= 300 {
            let error = (self.api.error)(&answer.response());
            let mut failure = Failure::from(Error::api_error(error));
            failure.retry_after_ms = retry_after_ms(&answer.headers);
            return Err(failure);
        }
        Ok(answer)
    }

    /// Sends a request of `operation` and decodes the answer as a JS value.
    async fn native(
        &self,
        operation: &RestOperation,
        request: HttpRequest,
    ) -> Result<JsValue, Failure> {
        let answer = self.send(&request).await?;
        let value = self.api.decode(operation, &answer.response())?;
        Ok(match operation.answer {
            Answer::Empty => JsValue::UNDEFINED,
            Answer::Json(ty) => rest_value_to_js(&value, &ty)?,
        })
    }
}

/// Sends a native operation's request built by either registry (or refuses
/// what could not be built): one future's code for both.
fn start_native(
    rest: &Rc<RestTransport>,
    built: Result<(&'static RestOperation, HttpRequest), Failure>,
) -> Promise {
    match built {
        Ok((operation, request)) => {
            let rest = Rc::clone(rest);
            promise(Box::pin(
                async move { rest.native(operation, request).await },
            ))
        }
        Err(failure) => reject(failure),
    }
}

/// `Retry-After` in delta-seconds, as milliseconds.
fn retry_after_ms(headers: &[(String, String)]) -> Option<f64> {
    let (_, value) = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("retry-after"))?;
    let seconds = crate::value::parse_float(value.trim())?;
    (seconds.is_finite() && seconds >= 0.0).then_some(seconds * 1000.0)
}

/// Reads a registry's `authToken`, `endpoint` and transport options.
fn rest_options(options: &JsValue) -> Result<(Options, AuthToken), Failure> {
    let known = [
        &["authToken", "region", "endpoint"][..],
        TRANSPORT_OPTION_NAMES,
    ]
    .concat();
    let options = Options::new(options, "options", &known)?;
    let token = AuthToken::new(options.required_string("authToken")?)?;
    Ok((options, token))
}

/// A call's parameters: a plain object (or nothing) of camelCase names.
fn js_params(params: &JsValue) -> Result<Vec<(String, Value)>, Failure> {
    if params.is_undefined() || params.is_null() {
        return Ok(Vec::new());
    }
    entries(params, "params")?
        .into_iter()
        .map(|(name, value)| {
            let value = value_from_js(&value, &name)?;
            Ok((name, value))
        })
        .collect()
}

/// A rejected promise carrying the failure.
fn reject(failure: Failure) -> Promise {
    Promise::reject(&failure.into_js())
}

/// The operation name of a `call(operation, ...)`.
fn operation_name(operation: &JsValue) -> Result<String, Failure> {
    operation.as_string().ok_or_else(|| {
        Failure::invalid(
            "operation",
            format!(
                "expected an operation name (a string), got {}",
                describe(operation)
            ),
        )
    })
}

// ---------------------------------------------------------------------------
// Values out to JS
// ---------------------------------------------------------------------------

/// A decoded REST answer as JS, by its type: `Long` as `bigint`, keys in
/// camelCase.
fn rest_value_to_js(value: &Value, ty: &Type) -> Result<JsValue, Failure> {
    value_to_js(value, ty, Naming::Rest)
}

/// Sets a data property of a fresh object (cannot fail; a `__proto__` key
/// never arrives here: every key comes from a known field).
fn set(object: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(object, &JsValue::from_str(key), value);
}

/// A common tag as JS: `size` as `bigint`, absent fields left out.
fn tag_to_js(tag: &Tag) -> Result<JsValue, Failure> {
    value_to_js(&tag.to_value(), &Type::Object(TAG_FIELDS), Naming::Rpc)
}

/// A page of common tags as JS: `{ tags, total, next }`.
fn page_to_js(page: &TagPage) -> Result<JsValue, Failure> {
    value_to_js(
        &page.to_value(),
        &Type::Object(TAG_PAGE_FIELDS),
        Naming::Rpc,
    )
}

// ---------------------------------------------------------------------------
// ScalewayRegistry
// ---------------------------------------------------------------------------

/// Scaleway Container Registry (`registry/v1`): namespaces, images and tags.
#[wasm_bindgen]
#[derive(Debug)]
pub struct ScalewayRegistry {
    core: Scaleway,
    rest: Rc<RestTransport>,
}

#[wasm_bindgen]
impl ScalewayRegistry {
    /// Creates a client. Throws a `TagdeckError` (`InvalidParameter`)
    /// naming the option at fault.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ScalewayRegistryOptions")] options: JsValue,
    ) -> Result<ScalewayRegistry, JsValue> {
        Self::from_js(&options).map_err(Failure::into_js)
    }

    /// The region requests go to unless they name another.
    #[wasm_bindgen(getter)]
    pub fn region(&self) -> String {
        self.core.region().to_string()
    }

    /// `ListNamespaces`.
    #[wasm_bindgen(
        js_name = listNamespaces,
        unchecked_return_type = "Promise<{ namespaces: ScalewayNamespace[]; totalCount: number }>"
    )]
    pub fn list_namespaces(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ScalewayListNamespacesParams")]
        params: Option<JsValue>,
    ) -> Promise {
        self.native("ListNamespaces", &params.unwrap_or(JsValue::UNDEFINED))
    }

    /// `ListImages`.
    #[wasm_bindgen(
        js_name = listImages,
        unchecked_return_type = "Promise<{ images: ScalewayImage[]; totalCount: number }>"
    )]
    pub fn list_images(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ScalewayListImagesParams")] params: Option<
            JsValue,
        >,
    ) -> Promise {
        self.native("ListImages", &params.unwrap_or(JsValue::UNDEFINED))
    }

    /// `ListTags` (one page, Scaleway's own shape).
    #[wasm_bindgen(
        js_name = listTags,
        unchecked_return_type = "Promise<{ tags: ScalewayTag[]; totalCount: number }>"
    )]
    pub fn list_tags(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ScalewayListTagsParams")] params: JsValue,
    ) -> Promise {
        self.native("ListTags", &params)
    }

    /// `GetTag`.
    #[wasm_bindgen(js_name = getTag, unchecked_return_type = "Promise<ScalewayTag>")]
    pub fn get_tag(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ScalewayTagParams")] params: JsValue,
    ) -> Promise {
        self.native("GetTag", &params)
    }

    /// `DeleteTag`: answers the deleted tag.
    #[wasm_bindgen(js_name = deleteTag, unchecked_return_type = "Promise<ScalewayTag>")]
    pub fn delete_tag(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ScalewayDeleteTagParams")] params: JsValue,
    ) -> Promise {
        self.native("DeleteTag", &params)
    }

    /// Any operation by name (`ListTags`, ...), parameters in camelCase.
    #[wasm_bindgen(unchecked_return_type = "Promise<unknown>")]
    pub fn call(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] operation: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Record<string, unknown>")] params: Option<
            JsValue,
        >,
    ) -> Promise {
        match operation_name(&operation) {
            Ok(name) => self.native(&name, &params.unwrap_or(JsValue::UNDEFINED)),
            Err(failure) => reject(failure),
        }
    }

    /// The common tag interface for one image's tags.
    pub fn repository(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ScalewayRepositoryLocator")] locator: JsValue,
    ) -> Result<TagRepository, JsValue> {
        let locate = || -> Result<TagRepository, Failure> {
            let locator = Options::new(&locator, "locator", &["imageId"])?;
            let image_id = locator.required_string("imageId")?;
            scaleway::check_uuid("imageId", &image_id)?;
            Ok(TagRepository::new(
                Registry::Scaleway(ScalewayImage {
                    client: self.core.clone(),
                    image_id,
                }),
                Carrier::Rest(Rc::clone(&self.rest)),
            ))
        };
        locate().map_err(Failure::into_js)
    }
}

impl ScalewayRegistry {
    fn from_js(options: &JsValue) -> Result<Self, Failure> {
        let (options, token) = rest_options(options)?;
        let region = options
            .non_empty_string("region")?
            .unwrap_or_else(|| "fr-par".to_string());
        let core = Scaleway::new(&region, token)?;
        let endpoint = options
            .non_empty_string("endpoint")?
            .unwrap_or_else(|| scaleway::DEFAULT_ENDPOINT.to_string());
        let rest = RestTransport::new(&scaleway::API, &endpoint, &options)?;
        Ok(ScalewayRegistry {
            core,
            rest: Rc::new(rest),
        })
    }

    fn native(&self, operation: &str, params: &JsValue) -> Promise {
        let built = (|| -> Result<_, Failure> {
            let op = scaleway::API.operation(operation)?;
            let request = self.core.request(op.name, &js_params(params)?)?;
            Ok((op, request))
        })();
        start_native(&self.rest, built)
    }
}

// ---------------------------------------------------------------------------
// SwrRegistry
// ---------------------------------------------------------------------------

/// Open Telekom Cloud SWR (v2): an image repository's tags.
#[wasm_bindgen]
#[derive(Debug)]
pub struct SwrRegistry {
    core: Swr,
    rest: Rc<RestTransport>,
}

#[wasm_bindgen]
impl SwrRegistry {
    /// Creates a client. Throws a `TagdeckError` (`InvalidParameter`)
    /// naming the option at fault.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "SwrRegistryOptions")] options: JsValue,
    ) -> Result<SwrRegistry, JsValue> {
        Self::from_js(&options).map_err(Failure::into_js)
    }

    /// `ListRepositoryTags`: one page (or every tag when neither `offset`
    /// nor `limit` is given), with the paging `Content-Range` tells.
    #[wasm_bindgen(js_name = listRepositoryTags, unchecked_return_type = "Promise<SwrTagList>")]
    pub fn list_repository_tags(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SwrListRepositoryTagsParams")] params: JsValue,
    ) -> Promise {
        let built = (|| -> Result<_, Failure> {
            Ok(self
                .core
                .request("ListRepositoryTags", &js_params(&params)?)?)
        })();
        let request = match built {
            Ok(request) => request,
            Err(failure) => return reject(failure),
        };
        let rest = Rc::clone(&self.rest);
        promise(Box::pin(async move { swr_page(&rest, &request).await }))
    }

    /// `ShowRepoTag`: one tag.
    #[wasm_bindgen(js_name = showRepoTag, unchecked_return_type = "Promise<SwrTag>")]
    pub fn show_repo_tag(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SwrTagParams")] params: JsValue,
    ) -> Promise {
        self.native("ShowRepoTag", &params)
    }

    /// `DeleteRepoTag`.
    #[wasm_bindgen(js_name = deleteRepoTag, unchecked_return_type = "Promise<void>")]
    pub fn delete_repo_tag(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SwrTagParams")] params: JsValue,
    ) -> Promise {
        self.native("DeleteRepoTag", &params)
    }

    /// `CreateRepoTag`: a tag pointing at the image of `sourceTag`.
    #[wasm_bindgen(js_name = createRepoTag, unchecked_return_type = "Promise<void>")]
    pub fn create_repo_tag(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SwrCreateRepoTagParams")] params: JsValue,
    ) -> Promise {
        self.native("CreateRepoTag", &params)
    }

    /// Any operation by name, parameters in camelCase.
    #[wasm_bindgen(unchecked_return_type = "Promise<unknown>")]
    pub fn call(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] operation: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Record<string, unknown>")] params: Option<
            JsValue,
        >,
    ) -> Promise {
        match operation_name(&operation) {
            Ok(name) if name == "ListRepositoryTags" => {
                self.list_repository_tags(params.unwrap_or(JsValue::UNDEFINED))
            }
            Ok(name) => self.native(&name, &params.unwrap_or(JsValue::UNDEFINED)),
            Err(failure) => reject(failure),
        }
    }

    /// The common tag interface for one repository's tags.
    pub fn repository(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SwrRepositoryLocator")] locator: JsValue,
    ) -> Result<TagRepository, JsValue> {
        let locate = || -> Result<TagRepository, Failure> {
            let locator = Options::new(&locator, "locator", &["namespace", "repository"])?;
            let namespace = locator.required_string("namespace")?;
            let repository = locator.required_string("repository")?;
            // Checked now, by the rules every request will apply.
            self.core.get_tag(&namespace, &repository, "latest")?;
            Ok(TagRepository::new(
                Registry::Swr(SwrRepo {
                    client: self.core.clone(),
                    namespace,
                    repository,
                }),
                Carrier::Rest(Rc::clone(&self.rest)),
            ))
        };
        locate().map_err(Failure::into_js)
    }
}

impl SwrRegistry {
    fn from_js(options: &JsValue) -> Result<Self, Failure> {
        let (options, token) = rest_options(options)?;
        let region = options
            .non_empty_string("region")?
            .unwrap_or_else(|| "eu-de".to_string());
        let endpoint = match options.non_empty_string("endpoint")? {
            Some(endpoint) => endpoint,
            None => {
                if !region
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                {
                    return Err(Failure::invalid(
                        "region",
                        "expected a region such as eu-de (lower-case letters, digits and -)",
                    ));
                }
                swr::endpoint_for_region(&region)
            }
        };
        let rest = RestTransport::new(&swr::API, &endpoint, &options)?;
        Ok(SwrRegistry {
            core: Swr::new(token),
            rest: Rc::new(rest),
        })
    }

    fn native(&self, operation: &str, params: &JsValue) -> Promise {
        let built = (|| -> Result<_, Failure> {
            let op = swr::API.operation(operation)?;
            let request = self.core.request(op.name, &js_params(params)?)?;
            Ok((op, request))
        })();
        start_native(&self.rest, built)
    }
}

/// One page of `ListRepositoryTags` as JS: the tags in SWR's own shape,
/// the raw `Content-Range`, its total, and where the next page starts.
async fn swr_page(rest: &RestTransport, request: &HttpRequest) -> Result<JsValue, Failure> {
    let operation = swr::API.operation("ListRepositoryTags")?;
    let answer = rest.send(request).await?;
    let response = answer.response();
    let value = swr::API.decode(operation, &response)?;
    let range = response
        .header("content-range")
        .map(swr::parse_content_range)
        .transpose()?;
    let received = value.as_array().map_or(0, <[Value]>::len);
    let total = range.map(|r| r.total);
    let next_offset = requested_window(request)
        .and_then(|(offset, limit)| swr::next_offset(offset, limit, received, total));
    let tags_type = match operation.answer {
        Answer::Json(ty) => ty,
        Answer::Empty => Type::Any,
    };
    let number = |n: Option<u64>| n.map_or(Value::Null, |n| Value::Int(n as i64));
    let page = Value::Object(alloc::vec![
        (Cow::Borrowed("tags"), value),
        (
            Cow::Borrowed("contentRange"),
            response
                .header("content-range")
                .map_or(Value::Null, Value::from),
        ),
        (Cow::Borrowed("total"), number(total)),
        (Cow::Borrowed("nextOffset"), number(next_offset)),
    ]);
    let fields = [
        Field {
            name: "tags",
            ty: tags_type,
        },
        Field {
            name: "contentRange",
            ty: Type::Str,
        },
        Field {
            name: "total",
            ty: Type::Int,
        },
        Field {
            name: "nextOffset",
            ty: Type::Int,
        },
    ];
    object_to_js(&page, &fields, Naming::Rest)
}

/// The `(offset, limit)` a listing request asked for, from its query (the
/// separate parameters or the `filter` form).
fn requested_window(request: &HttpRequest) -> Option<(u64, u64)> {
    let get = |name: &str| {
        request
            .query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let (offset, limit) = match get("filter") {
        Some(filter) => {
            let parts = swr::parse_filter(&filter).ok()?;
            let part = |name: &str| {
                parts
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.clone())
            };
            (part("offset")?, part("limit")?)
        }
        None => (get("offset")?, get("limit")?),
    };
    Some((offset.parse().ok()?, limit.parse().ok()?))
}

// ---------------------------------------------------------------------------
// The common interface
// ---------------------------------------------------------------------------

/// How a repository's requests travel.
#[derive(Debug, Clone)]
enum Carrier {
    /// Alibaba: the `Client` signs, retries and decodes.
    Rpc(Rc<Settings>),
    /// Scaleway, SWR.
    Rest(Rc<RestTransport>),
}

#[derive(Debug)]
struct RepositoryInner {
    registry: Registry,
    carrier: Carrier,
}

impl RepositoryInner {
    /// Runs a call's steps to its outcome.
    async fn run(&self, mut call: TagCall) -> Result<Outcome, Failure> {
        for _ in 0..MAX_STEPS {
            let outcome = match (call.request(), &self.carrier) {
                (TagRequest::Rpc(prepared), Carrier::Rpc(settings)) => {
                    let answer = settings.execute_value(prepared).await?;
                    call.receive_decoded(&answer)?
                }
                (TagRequest::Http(request), Carrier::Rest(rest)) => {
                    let answer = rest.send(request).await?;
                    call.receive(&answer.response())?
                }
                _ => {
                    return Err(Failure::from(Error::decode(
                        "a request of one registry was given to another's transport",
                    )))
                }
            };
            if let Some(outcome) = outcome {
                return Ok(outcome);
            }
        }
        Err(Failure::from(Error::decode(format!(
            "the operation took more than {MAX_STEPS} exchanges"
        ))))
    }
}

/// One repository's tags through the common interface.
#[wasm_bindgen]
#[derive(Debug, Clone)]
pub struct TagRepository {
    inner: Rc<RepositoryInner>,
}

impl TagRepository {
    fn new(registry: Registry, carrier: Carrier) -> Self {
        TagRepository {
            inner: Rc::new(RepositoryInner { registry, carrier }),
        }
    }

    /// Runs `call` (refused already when it could not be built). Not
    /// generic, so that the four operations share one future's code.
    fn start(
        &self,
        call: Result<TagCall, Failure>,
        finish: fn(Outcome) -> Result<JsValue, Failure>,
    ) -> Promise {
        let call = match call {
            Ok(call) => call,
            Err(failure) => return reject(failure),
        };
        let inner = Rc::clone(&self.inner);
        promise(Box::pin(
            async move { inner.run(call).await.and_then(finish) },
        ))
    }
}

#[wasm_bindgen]
impl TagRepository {
    /// `"alibaba"`, `"scaleway"` or `"swr"`.
    #[wasm_bindgen(getter, unchecked_return_type = "Provider")]
    pub fn provider(&self) -> String {
        self.inner.registry.provider().name().to_string()
    }

    /// What this registry can do here.
    #[wasm_bindgen(getter, unchecked_return_type = "TagCapabilities")]
    pub fn capabilities(&self) -> JsValue {
        let caps = self.inner.registry.capabilities();
        let object = Object::new();
        set(&object, "create", &JsValue::from_bool(caps.create));
        set(
            &object,
            "maxPageSize",
            &JsValue::from_f64(f64::from(caps.max_page_size)),
        );
        let keys: Array = caps
            .sort_keys
            .iter()
            .map(|k| JsValue::from_str(sort_key_name(*k)))
            .collect();
        set(&object, "sortKeys", &keys);
        object.into()
    }

    /// One page of tags.
    #[wasm_bindgen(js_name = listTags, unchecked_return_type = "Promise<TagPage>")]
    pub fn list_tags(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ListTagsOptions")] options: Option<JsValue>,
    ) -> Promise {
        let registry = &self.inner.registry;
        let options = options.unwrap_or(JsValue::UNDEFINED);
        let call = list_options(&options, true, registry)
            .and_then(|(paging, sort)| Ok(registry.list(paging, sort)?));
        self.start(call, |outcome| match outcome {
            Outcome::Page(page) => page_to_js(&page),
            other => unexpected(other),
        })
    }

    /// Every tag, page by page: `for await (const tag of repo.allTags())`.
    #[wasm_bindgen(js_name = allTags, unchecked_return_type = "AsyncIterableIterator<Tag>")]
    pub fn all_tags(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "Omit<ListTagsOptions, \"page\">")] options: Option<
            JsValue,
        >,
    ) -> Result<JsValue, JsValue> {
        let options = options.unwrap_or(JsValue::UNDEFINED);
        let (paging, sort) =
            list_options(&options, false, &self.inner.registry).map_err(Failure::into_js)?;
        // Checked now, so a bad page size or sort throws here, not later.
        self.inner
            .registry
            .list(paging, sort)
            .map_err(|e| Failure::from(e).into_js())?;
        let iterator: JsValue = TagIterator {
            repository: self.clone(),
            state: Rc::new(RefCell::new(IterState {
                buffered: VecDeque::new(),
                next: Some(paging),
                sort,
                tail: None,
            })),
        }
        .into();
        Ok(async_iterable(iterator))
    }

    /// One tag, by name or as a listed `Tag`.
    #[wasm_bindgen(js_name = getTag, unchecked_return_type = "Promise<Tag>")]
    pub fn get_tag(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TagRef")] tag: JsValue,
    ) -> Promise {
        let call = tag_ref(&tag).and_then(|tag| Ok(self.inner.registry.get(&tag)?));
        self.start(call, |outcome| match outcome {
            Outcome::Tag(tag) => tag_to_js(&tag),
            other => unexpected(other),
        })
    }

    /// Deletes a tag; resolves to the deleted tag where the registry says
    /// (Scaleway), else `null`. `{ force: true }` is for Scaleway, which
    /// refuses to delete a tag whose digest another tag shares unless
    /// forced; it is never forced otherwise.
    #[wasm_bindgen(js_name = deleteTag, unchecked_return_type = "Promise<Tag | null>")]
    pub fn delete_tag(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TagRef")] tag: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "{ force?: boolean }")] options: Option<
            JsValue,
        >,
    ) -> Promise {
        let call = (|| {
            let force = flag_option(options, "force")?;
            Ok(self.inner.registry.delete(&tag_ref(&tag)?, force)?)
        })();
        self.start(call, |outcome| match outcome {
            Outcome::Deleted(tag) => tag.as_ref().map_or(Ok(JsValue::NULL), tag_to_js),
            other => unexpected(other),
        })
    }

    /// Creates `destination` from `source` and resolves to the new tag.
    /// Rejects with `InvalidApi.NotFound` where the registry has no such
    /// API (Scaleway), before any request.
    #[wasm_bindgen(js_name = createTag, unchecked_return_type = "Promise<Tag>")]
    pub fn create_tag(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] source: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] destination: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "{ overwrite?: boolean }")] options: Option<
            JsValue,
        >,
    ) -> Promise {
        let call = (|| {
            let source = string_arg(&source, "source")?;
            let destination = string_arg(&destination, "destination")?;
            let overwrite = flag_option(options, "overwrite")?;
            Ok(self
                .inner
                .registry
                .create(&source, &destination, overwrite)?)
        })();
        self.start(call, |outcome| match outcome {
            Outcome::Tag(tag) => tag_to_js(&tag),
            other => unexpected(other),
        })
    }
}

/// An outcome the operation never gives (a bug), as an error rather than a
/// panic. Named by its kind: formatting it whole would link `Debug` for
/// every type a tag holds.
fn unexpected(outcome: Outcome) -> Result<JsValue, Failure> {
    let kind = match outcome {
        Outcome::Page(_) => "a page of tags",
        Outcome::Tag(_) => "a tag",
        Outcome::Deleted(_) => "a deletion",
    };
    Err(Failure::from(Error::decode(format!(
        "unexpected outcome: {kind} (a bug; please report it)"
    ))))
}

/// The one boolean of an `{ name?: boolean }` options argument (absent: false).
fn flag_option(options: Option<JsValue>, name: &str) -> Result<bool, Failure> {
    match options.filter(|o| !o.is_null() && !o.is_undefined()) {
        None => Ok(false),
        Some(options) => Ok(Options::new(&options, "options", &[name])?
            .boolean(name)?
            .unwrap_or(false)),
    }
}

fn string_arg(value: &JsValue, name: &str) -> Result<String, Failure> {
    value.as_string().ok_or_else(|| {
        Failure::invalid(
            name,
            format!("expected a tag name (a string), got {}", describe(value)),
        )
    })
}

/// A tag given as its name, or as an object with `name` (and `id`), such as
/// a `Tag` from `listTags` (its other fields are not read).
fn tag_ref(value: &JsValue) -> Result<TagRef, Failure> {
    if let Some(name) = value.as_string() {
        return Ok(TagRef::named(name));
    }
    if !is_plain_object(value) {
        return Err(Failure::invalid(
            "tag",
            format!(
                "expected a tag name or {{ name, id }}, got {}",
                describe(value)
            ),
        ));
    }
    let field = |name: &str| -> Result<Option<String>, Failure> {
        let v = Reflect::get(value, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
        if v.is_undefined() || v.is_null() {
            return Ok(None);
        }
        v.as_string().map(Some).ok_or_else(|| {
            Failure::invalid(
                &format!("tag.{name}"),
                format!("expected a string, got {}", describe(&v)),
            )
        })
    };
    Ok(TagRef {
        name: field("name")?.unwrap_or_default(),
        id: field("id")?,
    })
}

fn sort_key_name(key: SortKey) -> &'static str {
    match key {
        SortKey::Name => "name",
        SortKey::Created => "created",
        SortKey::Updated => "updated",
    }
}

/// `{ page, pageSize, sort }` of `listTags` (`page` only when `with_page`).
fn list_options(
    options: &JsValue,
    with_page: bool,
    registry: &Registry,
) -> Result<(Paging, Option<Sort>), Failure> {
    let max = registry.capabilities().max_page_size;
    let default_size = DEFAULT_PAGE_SIZE.min(max);
    if options.is_undefined() || options.is_null() {
        return Ok((Paging::first(default_size), None));
    }
    let known: &[&str] = if with_page {
        &["page", "pageSize", "sort"]
    } else {
        &["pageSize", "sort"]
    };
    let options = Options::new(options, "options", known)?;
    let page = options
        .number("page", 1.0, f64::from(u32::MAX), true)?
        .map_or(1, |n| n as u32);
    let page_size = options
        .number("pageSize", 1.0, f64::from(max), true)?
        .map_or(default_size, |n| n as u32);
    let sort = options.get("sort");
    let sort = if sort.is_undefined() || sort.is_null() {
        None
    } else {
        let sort = Options::new(&sort, "sort", &["key", "descending"])?;
        let key = match sort.required_string("key")?.as_str() {
            "name" => SortKey::Name,
            "created" => SortKey::Created,
            "updated" => SortKey::Updated,
            other => {
                return Err(Failure::invalid(
                    "sort.key",
                    format!("expected \"name\", \"created\" or \"updated\", got {other:?}"),
                ))
            }
        };
        Some(Sort {
            key,
            descending: sort.boolean("descending")?.unwrap_or(false),
        })
    };
    Ok((Paging { page, page_size }, sort))
}

// ---------------------------------------------------------------------------
// allTags(): an async iterator
// ---------------------------------------------------------------------------

#[derive(Debug)]
struct IterState {
    /// Tags fetched and not yet handed out.
    buffered: VecDeque<Tag>,
    /// The page to fetch when the buffer runs dry; `None` at the end.
    next: Option<Paging>,
    sort: Option<Sort>,
    /// The previous `next()`'s promise: calls are served in order.
    tail: Option<Promise>,
}

/// The iterator behind `allTags()`.
#[wasm_bindgen(skip_typescript)]
#[derive(Debug)]
pub struct TagIterator {
    repository: TagRepository,
    state: Rc<RefCell<IterState>>,
}

#[wasm_bindgen]
impl TagIterator {
    /// The next tag: `{ value: Tag, done: false }`, then `{ done: true }`.
    pub fn next(&self) -> Promise {
        let previous = self.state.borrow_mut().tail.take();
        let state = Rc::clone(&self.state);
        let repository = self.repository.clone();
        let next = promise(Box::pin(async move {
            if let Some(previous) = previous {
                // Only the order matters; that call's own caller sees its result.
                let _ = JsFuture::from(previous).await;
            }
            next_tag(&repository, &state).await
        }));
        self.state.borrow_mut().tail = Some(next.clone());
        next
    }
}

async fn next_tag(
    repository: &TagRepository,
    state: &RefCell<IterState>,
) -> Result<JsValue, Failure> {
    loop {
        if let Some(tag) = state.borrow_mut().buffered.pop_front() {
            return Ok(iteration(Some(tag_to_js(&tag)?)));
        }
        let (paging, sort) = {
            let state = state.borrow();
            match state.next {
                Some(paging) => (paging, state.sort),
                None => return Ok(iteration(None)),
            }
        };
        let call = repository.inner.registry.list(paging, sort)?;
        let page = match repository.inner.run(call).await? {
            Outcome::Page(page) => page,
            other => return unexpected(other),
        };
        let mut state = state.borrow_mut();
        state.next = page.next;
        state.buffered.extend(page.tags);
    }
}

/// An iterator result object.
fn iteration(value: Option<JsValue>) -> JsValue {
    let object = Object::new();
    set(&object, "done", &JsValue::from_bool(value.is_none()));
    if let Some(value) = value {
        set(&object, "value", &value);
    }
    object.into()
}

/// `{ next, [Symbol.asyncIterator]() }` around the iterator, so that both
/// `for await` and direct `next()` calls work.
fn async_iterable(iterator: JsValue) -> JsValue {
    let object = Object::new();
    if let Ok(next) = Reflect::get(&iterator, &JsValue::from_str("next")) {
        if let Some(next) = next.dyn_ref::<Function>() {
            set(&object, "next", &next.bind0(&iterator));
        }
    }
    let this_iterator = iterator.clone();
    let get_iterator = Closure::<dyn FnMut() -> JsValue>::new(move || this_iterator.clone());
    let _ = Reflect::set(
        &object,
        &Symbol::async_iterator(),
        &get_iterator.into_js_value(),
    );
    object.into()
}

// ---------------------------------------------------------------------------
// Client.repository (Alibaba)
// ---------------------------------------------------------------------------

#[wasm_bindgen]
impl Client {
    /// The common tag interface for one repository of an instance.
    #[wasm_bindgen(skip_typescript)]
    pub fn repository(&self, locator: JsValue) -> Result<TagRepository, JsValue> {
        let locate = || -> Result<TagRepository, Failure> {
            let locator = Options::new(
                &locator,
                "locator",
                &[
                    "instanceId",
                    "repoId",
                    "regionId",
                    "namespaceName",
                    "repoName",
                ],
            )?;
            let repo = AlibabaRepo {
                instance_id: locator.required_string("instanceId")?,
                repo_id: locator.required_string("repoId")?,
                region_id: locator
                    .non_empty_string("regionId")?
                    .unwrap_or_else(|| self.settings.region_id().to_string()),
                namespace_name: locator.non_empty_string("namespaceName")?,
                repo_name: locator.non_empty_string("repoName")?,
            };
            Ok(TagRepository::new(
                Registry::Alibaba(repo),
                Carrier::Rpc(Rc::clone(&self.settings)),
            ))
        };
        locate().map_err(Failure::into_js)
    }
}
