//! Generates the JavaScript side of the catalogue, so that it cannot go
//! stale: the types of every operation's parameters and answer, and the
//! `Client` method of each, both its TypeScript declaration
//! (`build/typescript.rs`) and the method itself, a JavaScript snippet the
//! package carries (`build/methods.rs`); and `src/wasm/boundary.js` with
//! the constants it shares with Rust (`build/boundary.rs`).
//!
//! The catalogue is this script's build-dependency (`catalog/`, generated
//! from `api/*.json` at its own build), so the generated code follows every
//! operation added there. The output goes to `OUT_DIR`; `src/wasm/` includes it,
//! and only on `wasm32`. Native builds run this too: it takes milliseconds.

extern crate alloc;

use tagdeck_catalog as catalog;

/// The camelCase rule, the same file the crate compiles.
#[allow(dead_code)]
#[path = "src/naming.rs"]
mod naming;

#[path = "build/methods.rs"]
mod methods;

/// The tables `boundary.js` shares with Rust.
#[allow(dead_code)]
#[path = "src/wasm/wire.rs"]
mod wire;

#[path = "build/boundary.rs"]
mod boundary;

#[path = "build/typescript.rs"]
mod typescript;

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build");
    println!("cargo:rerun-if-changed=src/naming.rs");
    println!("cargo:rerun-if-changed=src/wasm/wire.rs");
    println!("cargo:rerun-if-changed=src/wasm/boundary.js");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let operations: Vec<&catalog::Operation> = catalog::operations().collect();
    write(
        out.join("operations.d.ts"),
        &typescript::generate(&operations),
    );
    write(
        out.join("operation_methods.rs"),
        &methods::generate(&operations),
    );
    let boundary_js = std::fs::read_to_string("src/wasm/boundary.js")
        .unwrap_or_else(|e| panic!("reading src/wasm/boundary.js: {e}"));
    write(
        out.join("boundary_js.rs"),
        &boundary::generate(&boundary_js),
    );
}

/// Writes only when the text changed, so unchanged output does not make
/// cargo rebuild the crate.
fn write(path: PathBuf, text: &str) {
    if std::fs::read_to_string(&path).ok().as_deref() != Some(text) {
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    }
}

/// `ListRepoTag` → `listRepoTag` (the JS method and property names), by
/// the crate's one rule (`src/naming.rs`).
fn lower_camel(name: &str) -> String {
    naming::to_js_name(name).into_owned()
}
