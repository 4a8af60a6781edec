//! The wasm-bindgen-test suite of the JavaScript API, run in Node
//! (`cargo test --target wasm32-unknown-unknown --test wasm`) and in
//! headless Chromium (the same with `WASM_BINDGEN_USE_BROWSER=1` and
//! `CHROMEDRIVER=/usr/bin/chromedriver`). It drives the exported functions
//! with JS values, exactly as JavaScript does; the network is a scripted
//! `fetch` (see `support.rs`), so nothing leaves the process.
#![cfg(target_arch = "wasm32")]

mod catalogue;
mod client;
mod client_v3;
mod decoding;
mod errors;
mod retries;
mod signing;
mod signing_v3;
mod support;
