//! tagdeck: list and manage container image tags in cloud registries.
//!
//! This crate is the sans-IO core: RFC 3986 encoding, RPC signature 1.0
//! (HMAC-SHA1), the declarative [`catalog`] of the Alibaba Cloud Container
//! Registry Enterprise Edition API (`cr`, `2018-12-01`), request validation
//! and building, and schema-guided decoding of XML and JSON answers. It
//! reads no clock and no random source: the timestamp and nonce of a request
//! are arguments. With `--no-default-features` it is `#![no_std]` + `alloc`.
//!
//! The WebAssembly layer (`src/wasm/`, only on `wasm32`) adds the transport.
//!
//! ```
//! use tagdeck::{catalog::{Method, API_VERSION}, request::prepare, sign::{sign, Format, SigningContext}};
//! use tagdeck::{decode::decode_response, Credentials, Value};
//!
//! let creds = Credentials::new("AKID", "secret");
//! let call = prepare("ListRepoTag", &[
//!     ("InstanceId", Value::from("cri-123")),
//!     ("RepoId", "crr-456".into()),
//!     ("PageSize", Value::Int(100)),
//! ])?;
//! let signed = sign(call.params, &SigningContext {
//!     method: Method::Get,
//!     credentials: &creds,
//!     timestamp: "2026-11-22T10:00:00Z",
//!     nonce: "a-fresh-nonce",
//!     version: API_VERSION,
//!     format: Format::Json,
//! });
//! assert!(signed.url("cr.cn-hangzhou.aliyuncs.com").starts_with("https://cr.cn-hangzhou.aliyuncs.com/?AccessKeyId=AKID&Action=ListRepoTag&"));
//!
//! // ... send it with any HTTP client, then decode by the same catalogue entry:
//! let answer = decode_response(call.operation, 200, r#"{"TotalCount":1,"Images":[{"Tag":"v1","ImageSize":"27107966"}]}"#, Format::Json)?;
//! assert_eq!(answer.get("Images").unwrap().as_array().unwrap()[0].get("ImageSize"), Some(&Value::Int(27107966)));
//! # Ok::<(), tagdeck::Error>(())
//! ```
#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

pub use tagdeck_catalog as catalog;
pub mod credentials;
pub mod decode;
pub mod encode;
pub mod error;
pub mod json_text;
pub mod naming;
mod order;
pub mod providers;
// The emulator's side of the wire (rendering answers as the service
// sends them); the client never renders an answer, so the package's
// build leaves it out.
#[cfg(feature = "emulator")]
pub mod render;
pub mod request;
pub mod retention;
pub mod sign;
pub mod sign_v3;
pub mod timestamp;
pub mod value;
#[cfg(all(target_arch = "wasm32", feature = "std"))]
pub mod wasm;

pub use credentials::Credentials;
pub use error::{ApiError, Error};
pub use value::Value;
