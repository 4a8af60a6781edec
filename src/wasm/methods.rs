//! The per-operation methods of the JS classes: `client.listRepoTag(params)`
//! is `client.call("ListRepoTag", params)`, `registry.listTags(params)` is
//! `registry.call("ListTags", params)`. They are plain JavaScript (as
//! WebAssembly exports, with a shim each, they were kilobytes of the
//! module): a snippet `build.rs` generates (`build/methods.rs`), which the
//! package carries like `boundary.js`, and which this file calls when the
//! module starts. `Client`'s list is in the snippet, generated from the
//! catalogue; the registries' come from their operation tables here.
//! Method names follow the one camelCase rule (`crate::naming`).

use alloc::rc::Rc;

use js_sys::Array;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use super::client::{Client, Settings};
use super::registries::{ScalewayRegistry, SwrRegistry};
use crate::naming::to_js_name;
use crate::providers::rest::RestApi;
use crate::providers::{scaleway, swr};

include!(concat!(env!("OUT_DIR"), "/operation_methods.rs"));

/// Installs every class's methods. Each snippet call finds the class's
/// prototype through an instance made for the purpose (the only way from
/// Rust to a class wasm-bindgen generates), and frees it.
pub(super) fn install() {
    install_client_methods(JsValue::from(Client {
        settings: Rc::new(Settings::inert()),
    }));
    if let Ok(probe) = ScalewayRegistry::probe() {
        install_methods(probe.into(), methods_of(&scaleway::API));
    }
    if let Ok(probe) = SwrRegistry::probe() {
        install_methods(probe.into(), methods_of(&swr::API));
    }
}

/// `[name, operation]` of every operation of `api`.
fn methods_of(api: &RestApi) -> Array {
    api.operations
        .iter()
        .map(|op| {
            let pair = Array::new();
            pair.push(&JsValue::from_str(&to_js_name(op.name)));
            pair.push(&JsValue::from_str(op.name));
            JsValue::from(pair)
        })
        .collect()
}
