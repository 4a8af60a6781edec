//! The REST tag registries in JavaScript: `ScalewayRegistry` and
//! `SwrRegistry`, one shape made by one macro ([`rest_registry!`]).
//!
//! Each is an `X-Auth-Token` client with `call(operation, params)` and one
//! promise-returning method per operation of its table
//! ([`crate::providers::rest::RestApi`]): the methods are installed on the
//! class's prototype from the table when the module starts (`methods.rs`),
//! each `call(Operation, params)`. Parameters and answers are camelCase,
//! 64-bit sizes `bigint`. Requests are built and checked by the sans-IO core
//! before anything is sent and go through the one transport
//! (`transport.rs`); failures are the same `TagdeckError`s as `Client`'s.
//! `registry.repository(locator)` gives the common tag interface
//! (`repository.rs`).

use alloc::boxed::Box;
use alloc::format;
use alloc::rc::Rc;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use js_sys::Promise;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use super::convert::{describe, entries, value_from_js};
use super::errors::Failure;
use super::options::Options;
use super::promise::promise;
use super::repository::{Carrier, TagRepository};
use super::tape::{value_to_js, Naming};
use super::transport::{Exchange, Transport, TRANSPORT_OPTION_NAMES};
use crate::error::Error;
use crate::providers::http::{HttpMethod, HttpRequest, HttpResponse};
use crate::providers::rest::{Answer, RestApi};
use crate::providers::scaleway::{self, Scaleway};
use crate::providers::swr::{self, Swr};
use crate::providers::tags::{Registry, ScalewayImage, SwrRepo};
use crate::providers::AuthToken;
use crate::value::Value;

#[wasm_bindgen(typescript_custom_section)]
const REGISTRY_TYPES: &str = include_str!("registries.d.ts");

// The methods and their parameters, generated from the operation tables
// (`tests/rest_typescript.rs` writes the file and checks it).
#[wasm_bindgen(typescript_custom_section)]
const REST_OPERATION_TYPES: &str = include_str!("rest_operations.d.ts");

/// A REST registry's way to its API: the operation table and the
/// transport.
#[derive(Debug)]
pub(super) struct RestClient {
    api: &'static RestApi,
    transport: Transport,
}

/// A REST request over the transport: the same request every attempt (a
/// token needs no fresh signature); an answer of 300 or more is the API's
/// error.
struct RestCall<'a> {
    api: &'static RestApi,
    request: &'a HttpRequest,
}

impl Exchange for RestCall<'_> {
    type Output = HttpResponse;

    fn read_only(&self) -> bool {
        self.request.method == HttpMethod::Get
    }

    fn request(&mut self) -> Result<HttpRequest, Failure> {
        Ok(self.request.clone())
    }

    fn read(&mut self, answer: HttpResponse) -> Result<HttpResponse, Failure> {
        if answer.status >= 300 {
            return Err(Failure::from(Error::api_error((self.api.error)(&answer))));
        }
        Ok(answer)
    }
}

impl RestClient {
    /// Sends `request`, retrying as the client's policy allows (once when
    /// not `retry`).
    pub(super) async fn send(
        &self,
        request: &HttpRequest,
        retry: bool,
    ) -> Result<HttpResponse, Failure> {
        let mut call = RestCall {
            api: self.api,
            request,
        };
        self.transport.send(&mut call, retry).await
    }

    /// Sends a request of the operation called `name` and gives its answer
    /// as JS (`undefined` for an operation that answers nothing).
    async fn call(&self, name: &str, request: HttpRequest) -> Result<JsValue, Failure> {
        let operation = self.api.operation(name)?;
        let answer = self.send(&request, true).await?;
        let (value, ty) = self.api.answer(operation, &request, &answer)?;
        match operation.answer {
            Answer::Empty => Ok(JsValue::UNDEFINED),
            Answer::Json(_) => value_to_js(&value, &ty, Naming::Rest),
        }
    }

    /// Starts a call of the operation called `name` (or refuses what could
    /// not be built): one future's code for both registries.
    fn start(self: &Rc<Self>, name: String, built: Result<HttpRequest, Failure>) -> Promise {
        match built {
            Ok(request) => {
                let rest = Rc::clone(self);
                promise(Box::pin(async move { rest.call(&name, request).await }))
            }
            Err(failure) => reject(failure),
        }
    }
}

/// A registry's options: its own (`authToken`, `region`, `endpoint`) and
/// the transport's; the endpoint is `default_endpoint(region)` unless given.
fn rest_options(
    options: &JsValue,
    api: &'static RestApi,
    default_region: &str,
    default_endpoint: impl Fn(&str) -> Result<String, Error>,
) -> Result<(AuthToken, String, RestClient), Failure> {
    let known = [
        &["authToken", "region", "endpoint"][..],
        TRANSPORT_OPTION_NAMES,
    ]
    .concat();
    let options = Options::new(options, "options", &known)?;
    let token = AuthToken::new(options.required_string("authToken")?)?;
    let region = options
        .non_empty_string("region")?
        .unwrap_or_else(|| default_region.to_string());
    let endpoint = match options.non_empty_string("endpoint")? {
        Some(endpoint) => endpoint,
        None => default_endpoint(&region).map_err(region_refused)?,
    };
    let transport = Transport::from_options(&options, &endpoint)?;
    Ok((token, region, RestClient { api, transport }))
}

/// A refused `region` as `InvalidRegion`, the code a wrong region has
/// everywhere (the core words it as any invalid parameter).
fn region_refused(error: Error) -> Failure {
    let region = matches!(&error, Error::InvalidParameter { name, .. } if name == "region");
    let failure = Failure::from(error);
    if region {
        Failure {
            code: "InvalidRegion".into(),
            ..failure
        }
    } else {
        failure
    }
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
pub(super) fn reject(failure: Failure) -> Promise {
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

/// One REST registry class: `$class` over the core's `$core` client and
/// the table `$api`; `$options` and `$locator` are the TypeScript types of
/// its constructor's options and of `repository(...)`'s locator. The class
/// itself defines how it is made (`from_js`) and how a locator becomes a
/// [`Registry`] (`locate`).
macro_rules! rest_registry {
    ($(#[$doc:meta])* $class:ident, $core:ty, $api:expr, $options:tt, $locator:tt) => {
        $(#[$doc])*
        #[wasm_bindgen]
        #[derive(Debug)]
        pub struct $class {
            core: $core,
            rest: Rc<RestClient>,
        }

        #[wasm_bindgen]
        impl $class {
            /// Creates a client. Throws a `TagdeckError` (`InvalidParameter`)
            /// naming the option at fault.
            #[wasm_bindgen(constructor)]
            pub fn new(
                #[wasm_bindgen(unchecked_param_type = $options)] options: JsValue,
            ) -> Result<$class, JsValue> {
                Self::from_js(&options).map_err(Failure::into_js)
            }

            /// Any operation by name, parameters in camelCase (each also has
            /// its own method, `registry.listTags(params)` being
            /// `registry.call("ListTags", params)`).
            #[wasm_bindgen(unchecked_return_type = "Promise<unknown>")]
            pub fn call(
                &self,
                #[wasm_bindgen(unchecked_param_type = "string")] operation: JsValue,
                #[wasm_bindgen(unchecked_optional_param_type = "Record<string, unknown>")]
                params: Option<JsValue>,
            ) -> Promise {
                let name = match operation_name(&operation) {
                    Ok(name) => name,
                    Err(failure) => return reject(failure),
                };
                let params = params.unwrap_or(JsValue::UNDEFINED);
                let built = (|| -> Result<HttpRequest, Failure> {
                    $api.operation(&name)?;
                    Ok(self.core.request(&name, &js_params(&params)?)?)
                })();
                self.rest.start(name, built)
            }

            /// The common tag interface for one repository's tags.
            pub fn repository(
                &self,
                #[wasm_bindgen(unchecked_param_type = $locator)] locator: JsValue,
            ) -> Result<TagRepository, JsValue> {
                self.locate(&locator)
                    .map(|registry| {
                        TagRepository::new(registry, Carrier::Rest(Rc::clone(&self.rest)))
                    })
                    .map_err(Failure::into_js)
            }
        }

        impl $class {
            /// The class for the prototype its methods are installed on
            /// (`methods.rs`): made with a placeholder token, sends nothing.
            pub(super) fn probe() -> Result<$class, Failure> {
                Self::from_js(&placeholder_options())
            }
        }
    };
}

/// `{ authToken }` with a token that is never sent: only for [`probe`]s.
fn placeholder_options() -> JsValue {
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(
        &options,
        &JsValue::from_str("authToken"),
        &JsValue::from_str("placeholder"),
    );
    options.into()
}

rest_registry!(
    /// Scaleway Container Registry (`registry/v1`): namespaces, images and tags.
    ScalewayRegistry,
    Scaleway,
    scaleway::API,
    "ScalewayRegistryOptions",
    "ScalewayRepositoryLocator"
);

rest_registry!(
    /// Open Telekom Cloud SWR (v2): an image repository's tags.
    SwrRegistry,
    Swr,
    swr::API,
    "SwrRegistryOptions",
    "SwrRepositoryLocator"
);

#[wasm_bindgen]
impl ScalewayRegistry {
    /// The region requests go to unless they name another.
    #[wasm_bindgen(getter)]
    pub fn region(&self) -> String {
        self.core.region().to_string()
    }
}

impl ScalewayRegistry {
    fn from_js(options: &JsValue) -> Result<Self, Failure> {
        let (token, region, rest) =
            rest_options(options, &scaleway::API, scaleway::DEFAULT_REGION, |_| {
                Ok(scaleway::DEFAULT_ENDPOINT.to_string())
            })?;
        Ok(ScalewayRegistry {
            core: Scaleway::new(&region, token).map_err(region_refused)?,
            rest: Rc::new(rest),
        })
    }

    /// `{ imageId }`: one image's tags.
    fn locate(&self, locator: &JsValue) -> Result<Registry, Failure> {
        let locator = Options::new(locator, "locator", &["imageId"])?;
        let image_id = locator.required_string("imageId")?;
        scaleway::check_uuid("imageId", &image_id)?;
        Ok(Registry::Scaleway(ScalewayImage {
            client: self.core.clone(),
            image_id,
        }))
    }
}

impl SwrRegistry {
    fn from_js(options: &JsValue) -> Result<Self, Failure> {
        let (token, _, rest) = rest_options(
            options,
            &swr::API,
            swr::DEFAULT_REGION,
            swr::endpoint_for_region,
        )?;
        Ok(SwrRegistry {
            core: Swr::new(token),
            rest: Rc::new(rest),
        })
    }

    /// `{ namespace, repository }`: one repository's tags.
    fn locate(&self, locator: &JsValue) -> Result<Registry, Failure> {
        let locator = Options::new(locator, "locator", &["namespace", "repository"])?;
        let namespace = locator.required_string("namespace")?;
        let repository = locator.required_string("repository")?;
        let repo = SwrRepo {
            client: self.core.clone(),
            namespace,
            repository,
        };
        // Checked now, by the rules every request will apply.
        repo.tag_request("ShowRepoTag", "latest")?;
        Ok(Registry::Swr(repo))
    }
}
