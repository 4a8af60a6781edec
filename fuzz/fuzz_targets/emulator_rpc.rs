//! The emulator's request pipeline (`rpc::handle`): parameter parsing from
//! the query string and form body, the gateway's checks, signature
//! verification and the operations on the demo state.
//!
//! Two kinds of input: raw bytes as query string and body, and calls of
//! catalogue operations with arbitrary parameters that the core signs
//! correctly, so the fuzzer gets past the signature into every handler.
//! Invariants: no panic; every answer is a document the core decodes (a
//! success decodes for its operation, an error is a real error document);
//! and a request the core signed is never refused as badly signed.
//!
//! One emulator serves the whole run, as a long-running one serves its
//! clients: the state carries over from input to input (cloning the demo
//! state for each input made the target 50 times slower), every signed
//! input gets a nonce of its own, and its clock moves one second per input,
//! so remembered nonces expire and timed work completes as in a real run.
#![no_main]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use tagdeck::catalog::{self, Method, Operation, API_VERSION};
use tagdeck::decode::{api_error, decode_response};
use tagdeck::request::COMMON_PARAMS;
use tagdeck::sign::{sign_all, Format};
use tagdeck::timestamp::format_timestamp;
use tagdeck::Error;
use tagdeck_emulator::app::App;
use tagdeck_emulator::clock::ManualClock;
use tagdeck_emulator::config::{Config, DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET};
use tagdeck_emulator::rpc::{handle, RpcRequest};

/// When the emulator's clock starts.
const START_MS: i64 = 1_795_000_000_000;

#[derive(Arbitrary, Debug)]
enum Input {
    /// Any query string and body.
    Raw {
        post: bool,
        query: Option<String>,
        body: Vec<u8>,
    },
    /// A correctly signed call of a catalogue operation.
    Signed {
        post: bool,
        operation: u8,
        params: Vec<(Name, String)>,
        json: bool,
        /// Seconds between the request's timestamp and the emulator's clock.
        skew_s: i16,
    },
}

/// A parameter name: one the operation knows (by index) or any text.
#[derive(Arbitrary, Debug)]
enum Name {
    Known(u8),
    Other(String),
}

fn clock() -> &'static Arc<ManualClock> {
    static CLOCK: OnceLock<Arc<ManualClock>> = OnceLock::new();
    CLOCK.get_or_init(|| ManualClock::at(START_MS))
}

fn emulator() -> &'static App {
    static APP: OnceLock<App> = OnceLock::new();
    APP.get_or_init(|| {
        let config = Config {
            clock: clock().clone(),
            ..Config::default()
        };
        App::new(config, tagdeck_emulator::seed::demo())
    })
}

fn fresh_nonce() -> String {
    static COUNT: AtomicU64 = AtomicU64::new(0);
    format!("fuzz-{}", COUNT.fetch_add(1, Ordering::Relaxed))
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
    })
}

/// The signed wire parameters of a call, and whether the fuzzer's
/// parameters stayed clear of the ones signing sets (then the signature
/// must be accepted).
fn signed_call(
    operation: &Operation,
    params: &[(Name, String)],
    method: Method,
    format: Format,
    skew_s: i16,
) -> (String, bool) {
    let mut wire: Vec<(String, String)> = vec![
        ("AccessKeyId".into(), DEMO_ACCESS_KEY_ID.into()),
        ("Action".into(), operation.action.into()),
        ("Format".into(), format.as_str().into()),
        ("SignatureMethod".into(), "HMAC-SHA1".into()),
        ("SignatureNonce".into(), fresh_nonce()),
        ("SignatureVersion".into(), "1.0".into()),
        (
            "Timestamp".into(),
            format_timestamp(emulator().now() / 1000 + i64::from(skew_s)),
        ),
        ("Version".into(), API_VERSION.into()),
    ];
    let mut clean = true;
    for (name, value) in params {
        let name = match name {
            Name::Known(i) if !operation.params.is_empty() => {
                operation.params[usize::from(*i) % operation.params.len()].name.to_string()
            }
            Name::Known(_) => continue,
            Name::Other(text) => text.clone(),
        };
        clean &= name != "Action" && !COMMON_PARAMS.contains(&name.as_str());
        wire.push((name, value.clone()));
    }
    (sign_all(method, wire, DEMO_ACCESS_KEY_SECRET).encoded_params(), clean)
}

fn check_answer(status: u16, body: &str, format: Format, operation: Option<&Operation>) {
    assert!((200..600).contains(&status), "HTTP {status}");
    match (status, operation) {
        (200..=299, Some(op)) => match decode_response(op, status, body, format) {
            Ok(_) | Err(Error::Api(_)) => {}
            Err(e) => panic!("{} answered what the core cannot decode: {e:?}\n{body}", op.action),
        },
        (200..=299, None) => {}
        _ => {
            let error = api_error(status, body, format);
            assert!(
                !error.message.starts_with(&format!("HTTP {status} with a body")),
                "HTTP {status} without an error document: {body}"
            );
        }
    }
}

fuzz_target!(|input: Input| {
    let app = emulator();
    clock().advance(1000);
    let host = "cr.cn-hangzhou.aliyuncs.com";
    match input {
        Input::Raw { post, query, body } => {
            let method = if post { Method::Post } else { Method::Get };
            let request = RpcRequest { method, query: query.as_deref(), body: &body, host };
            let reply = runtime().block_on(handle(app, request));
            let text = String::from_utf8(reply.body.to_vec()).expect("UTF-8 answer");
            let format = if reply.header("content-type").is_some_and(|t| t.contains("json")) {
                Format::Json
            } else {
                Format::Xml
            };
            check_answer(reply.status, &text, format, None);
        }
        Input::Signed { post, operation, params, json, skew_s } => {
            let all: Vec<&'static Operation> = catalog::operations().collect();
            let op = all[usize::from(operation) % all.len()];
            let method = if post { Method::Post } else { Method::Get };
            let format = if json { Format::Json } else { Format::Xml };
            let (encoded, clean) = signed_call(op, &params, method, format, skew_s);
            let request = match method {
                Method::Get => RpcRequest { method, query: Some(&encoded), body: b"", host },
                Method::Post => RpcRequest { method, query: None, body: encoded.as_bytes(), host },
            };
            let reply = runtime().block_on(handle(app, request));
            let text = String::from_utf8(reply.body.to_vec()).expect("UTF-8 answer");
            if clean {
                let error = api_error(reply.status, &text, format);
                assert_ne!(error.code, "SignatureDoesNotMatch", "the emulator refused the core's signature: {}", error.message);
                check_answer(reply.status, &text, format, Some(op));
            }
        }
    }
});
