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
#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

pub mod catalog;
pub mod credentials;
pub mod decode;
pub mod encode;
pub mod error;
pub mod request;
pub mod sign;
pub mod timestamp;
pub mod value;

pub use credentials::Credentials;
pub use error::{ApiError, Error};
pub use value::Value;
