//! Generates the TypeScript side of the catalogue, so that it cannot go
//! stale: the types of every operation's parameters and answer, and the
//! `Client` method of each (the methods themselves are JavaScript that
//! `scripts/build-pkg.sh` writes from the built package's `operations()`).
//!
//! The catalogue source is compiled into this script as it is (it depends
//! on `core` only), so the generated code follows every entry added to
//! `src/catalog/`. The output goes to `OUT_DIR`; `src/wasm/` includes it,
//! and only on `wasm32`. Native builds run this too: it takes milliseconds.

// The catalogue expands its compact tables with `alloc` (src/catalog/compact.rs).
extern crate alloc;

#[allow(dead_code)]
#[path = "src/catalog/mod.rs"]
mod catalog;

#[path = "build/typescript.rs"]
mod typescript;

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=src/catalog");
    println!("cargo:rerun-if-changed=build");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let operations: Vec<&catalog::Operation> = catalog::operations().collect();
    write(
        out.join("operations.d.ts"),
        &typescript::generate(&operations),
    );
}

/// Writes only when the text changed, so unchanged output does not make
/// cargo rebuild the crate.
fn write(path: PathBuf, text: &str) {
    if std::fs::read_to_string(&path).ok().as_deref() != Some(text) {
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    }
}

/// `ListRepoTag` → `listRepoTag` (the JS method and property names).
fn lower_camel(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}
