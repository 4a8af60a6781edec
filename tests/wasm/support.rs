//! Helpers: JS objects from Rust, awaiting promises, and a scripted
//! `fetch` that records every request and verifies its signature.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect};
use percent_encoding::percent_decode_str;
use tagdeck::catalog::Method;
use tagdeck::{sign, sign_v3};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The secret every test client signs with.
pub const SECRET: &str = "test-secret-never-shown";

/// A plain JS object with these properties.
pub fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in pairs {
        Reflect::set(&object, &JsValue::from_str(key), value).unwrap();
    }
    object.into()
}

/// A JS string.
pub fn s(text: &str) -> JsValue {
    JsValue::from_str(text)
}

/// A JS number.
pub fn n(value: f64) -> JsValue {
    JsValue::from_f64(value)
}

/// Property `key` of `value`.
pub fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).unwrap()
}

/// Property `key` as a Rust string (panics in the test if it is not one).
pub fn get_str(value: &JsValue, key: &str) -> String {
    get(value, key)
        .as_string()
        .unwrap_or_else(|| panic!("{key} is not a string"))
}

/// Parses JSON text into JS values.
pub fn json(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap()
}

/// `JSON.stringify`, with bigints written as text (JSON has none).
pub fn stringify(value: &JsValue) -> String {
    let replacer = Function::new_with_args(
        "k, v",
        "return typeof v === 'bigint' ? v.toString() + 'n' : v",
    );
    js_sys::JSON::stringify_with_replacer(value, &replacer)
        .unwrap()
        .as_string()
        .unwrap()
}

/// Awaits a promise.
pub async fn wait(promise: Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(promise).await
}

/// Milliseconds since the epoch.
pub fn now() -> f64 {
    js_sys::Date::now()
}

/// Options of a test client using `fetch`, plus `extra`.
pub fn client_options(fetch: &FakeFetch, extra: &[(&str, JsValue)]) -> JsValue {
    // The suites written for V1 read its parameters (`SignatureNonce`, ...);
    // `client_v3.rs` tests the default, V3.
    let mut pairs = vec![
        ("signatureVersion", s("1.0")),
        ("accessKeyId", s("test-id")),
        ("accessKeySecret", s(SECRET)),
        ("regionId", s("cn-hangzhou")),
        ("endpoint", s("http://registry.test")),
        ("retryBaseDelayMs", n(10.0)),
        ("fetch", fetch.function()),
    ];
    pairs.extend(extra.iter().cloned());
    obj(&pairs)
}

/// A test client answering through `fetch`.
pub fn client(fetch: &FakeFetch, extra: &[(&str, JsValue)]) -> tagdeck::wasm::Client {
    tagdeck::wasm::Client::new(client_options(fetch, extra)).unwrap()
}

/// `client.listRepoTag(params)` as the package's JavaScript method does it
/// (the snippet `build.rs` generates, `src/wasm/methods.rs`): `call` with
/// the Action name.
pub fn list_repo_tag(client: &tagdeck::wasm::Client, params: JsValue) -> Promise {
    client.call(JsValue::from_str("ListRepoTag"), params)
}

/// `client.deleteRepoTag(params)`, likewise.
pub fn delete_repo_tag(client: &tagdeck::wasm::Client, params: JsValue) -> Promise {
    client.call(JsValue::from_str("DeleteRepoTag"), params)
}

/// What the scripted fetch does for one request.
#[derive(Clone)]
pub enum Step {
    /// A step computed from the request (an echoing server).
    Computed(Rc<dyn Fn(&Recorded) -> Step>),
    /// Answers with a real `Response`.
    Respond {
        status: u16,
        body: String,
        headers: Vec<(&'static str, String)>,
    },
    /// Rejects as a failed connection does (`TypeError: fetch failed`).
    Fail,
    /// Never answers; rejects when the abort signal fires if `honour_abort`.
    Hang { honour_abort: bool },
}

impl Step {
    /// A JSON answer.
    pub fn json(status: u16, body: &str) -> Step {
        Step::Respond {
            status,
            body: body.to_string(),
            headers: vec![("content-type", "application/json".to_string())],
        }
    }

    /// A JSON error answer of the service.
    pub fn error(status: u16, code: &str, message: &str) -> Step {
        Step::json(
            status,
            &format!(
                r#"{{"RequestId":"REQ-{code}","HostId":"registry.test","Code":"{code}","Message":{},"Recommend":"https://next.api.aliyun.com/troubleshoot?q={code}"}}"#,
                serde_json::to_string(message).unwrap()
            ),
        )
    }

    /// Adds a response header.
    pub fn with_header(mut self, name: &'static str, value: &str) -> Step {
        if let Step::Respond { headers, .. } = &mut self {
            headers.push((name, value.to_string()));
        }
        self
    }
}

/// A request the scripted fetch received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub url: String,
    pub body: Option<String>,
    pub content_type: Option<String>,
    pub signal: JsValue,
    /// The decoded parameters (query or form body).
    pub params: Vec<(String, String)>,
    /// The headers sent (lower-case names).
    pub headers: Vec<(String, String)>,
    /// Whether the signature (V1 or V3) is right for `SECRET`.
    pub signature_ok: bool,
    /// Our own string-to-sign for the request, recomputed from what was sent.
    pub string_to_sign: String,
    pub at_ms: f64,
}

impl Recorded {
    /// The header called `name` (lower-case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The parameter called `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A `fetch` that follows a script, one step per request, and records
/// each request (checking its signature with the core's own functions).
pub struct FakeFetch {
    steps: Rc<RefCell<VecDeque<Step>>>,
    pub requests: Rc<RefCell<Vec<Recorded>>>,
    closure: Closure<dyn FnMut(JsValue, JsValue) -> JsValue>,
}

impl FakeFetch {
    pub fn new(steps: Vec<Step>) -> FakeFetch {
        let steps = Rc::new(RefCell::new(VecDeque::from(steps)));
        let requests = Rc::new(RefCell::new(Vec::new()));
        let (script, log) = (Rc::clone(&steps), Rc::clone(&requests));
        let closure = Closure::new(move |url: JsValue, init: JsValue| -> JsValue {
            let request = record(&url, &init);
            let step = match script.borrow_mut().pop_front() {
                Some(Step::Computed(compute)) => compute(&request),
                Some(step) => step,
                None => panic!("the client sent more requests than the test scripted"),
            };
            log.borrow_mut().push(request);
            respond(step, &get(&init, "signal")).into()
        });
        FakeFetch {
            steps,
            requests,
            closure,
        }
    }

    /// The JS function to pass as the `fetch` option.
    pub fn function(&self) -> JsValue {
        self.closure.as_ref().clone()
    }

    /// How many requests were sent.
    pub fn count(&self) -> usize {
        self.requests.borrow().len()
    }

    /// Request number `i`.
    pub fn request(&self, i: usize) -> Recorded {
        self.requests.borrow()[i].clone()
    }

    /// Steps not used.
    pub fn unused(&self) -> usize {
        self.steps.borrow().len()
    }
}

fn record(url: &JsValue, init: &JsValue) -> Recorded {
    let url = url.as_string().expect("fetch is called with a string URL");
    let method = get_str(init, "method");
    let body = get(init, "body").as_string();
    let content_type = get(&get(init, "headers"), "content-type").as_string();
    let encoded = match &body {
        Some(body) => body.clone(),
        None => url
            .split_once('?')
            .map(|(_, q)| q.to_string())
            .unwrap_or_default(),
    };
    let params = parse_form(&encoded);
    let unsigned: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| k != "Signature")
        .cloned()
        .collect();
    let method_enum = if method == "POST" {
        Method::Post
    } else {
        Method::Get
    };
    let headers: Vec<(String, String)> = Object::entries(&get(init, "headers").into())
        .iter()
        .map(|entry| {
            let entry = js_sys::Array::from(&entry);
            (
                entry.get(0).as_string().unwrap().to_ascii_lowercase(),
                entry.get(1).as_string().unwrap(),
            )
        })
        .collect();
    let (string_to_sign, signature_ok) = match headers.iter().find(|(n, _)| n == "authorization") {
        // V3: verified over the headers it names, `host` being the URL's.
        Some((_, authorization)) => {
            let host = url.split("://").nth(1).unwrap().split('/').next().unwrap();
            let mut sent: Vec<(&str, &str)> = headers
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            sent.push(("host", host));
            let auth = sign_v3::parse_authorization(authorization).unwrap();
            let received = sign_v3::Received {
                method: method_enum,
                query: &params,
                headers: &sent,
                body: body.as_deref().unwrap_or("").as_bytes(),
            };
            match sign_v3::verify(&received, &auth, SECRET) {
                Ok(()) => (String::new(), true),
                Err(sign_v3::VerifyError::SignatureMismatch { string_to_sign, .. }) => {
                    (string_to_sign, false)
                }
                Err(_) => (String::new(), false),
            }
        }
        None => {
            let string_to_sign =
                sign::string_to_sign(method_enum, &sign::canonical_query(&unsigned));
            let ok = params
                .iter()
                .any(|(k, v)| k == "Signature" && *v == sign::signature(&string_to_sign, SECRET));
            (string_to_sign, ok)
        }
    };
    Recorded {
        method,
        url,
        body,
        content_type,
        signal: get(init, "signal"),
        params,
        headers,
        signature_ok,
        string_to_sign,
        at_ms: now(),
    }
}

/// Decodes `a=1&b=%20` (RFC 3986 encoding; `+` is a space in forms).
pub fn parse_form(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |t: &str| {
                percent_decode_str(&t.replace('+', " "))
                    .decode_utf8()
                    .unwrap()
                    .into_owned()
            };
            (decode(k), decode(v))
        })
        .collect()
}

fn respond(step: Step, signal: &JsValue) -> Promise {
    match step {
        Step::Respond {
            status,
            body,
            headers,
        } => {
            let header_object = Object::new();
            for (name, value) in headers {
                Reflect::set(&header_object, &s(name), &s(&value)).unwrap();
            }
            let init = obj(&[
                ("status", n(f64::from(status))),
                ("headers", header_object.into()),
            ]);
            let response_class = get(&js_sys::global().into(), "Response");
            let args = js_sys::Array::of2(&s(&body), &init);
            let response =
                Reflect::construct(response_class.unchecked_ref::<Function>(), &args).unwrap();
            Promise::resolve(&response)
        }
        Step::Computed(_) => unreachable!("computed before"),
        Step::Fail => Promise::reject(&js_sys::TypeError::new("fetch failed").into()),
        Step::Hang { honour_abort } => {
            let signal = signal.clone();
            Promise::new(&mut |_resolve, reject| {
                if honour_abort && signal.is_object() {
                    let add: Function = get(&signal, "addEventListener").unchecked_into();
                    add.call2(&signal, &s("abort"), &reject).unwrap();
                }
            })
        }
    }
}

/// A successful `ListRepoTag` answer with one image.
pub fn list_repo_tag_answer(image_size: &str) -> String {
    format!(
        r#"{{"RequestId":"REQ-OK","IsSuccess":true,"Code":"success","PageNo":1,"PageSize":30,"TotalCount":1,
           "Images":[{{"Tag":"v1","Digest":"abc","ImageId":"id","Status":"NORMAL","ImageSize":{image_size},
                      "ImageCreate":1572839125000,"ImageUpdate":1572875608000}}]}}"#
    )
}

/// The parameters of a `ListRepoTag` call.
pub fn list_params() -> JsValue {
    obj(&[("instanceId", s("cri-1")), ("repoId", s("crr-1"))])
}
