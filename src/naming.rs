//! The one rule between the wire's PascalCase names and JavaScript's
//! camelCase ones: the first letter's case, nothing else
//! (`ListRepoTag` ↔ `listRepoTag`, `RequestId` ↔ `requestId`).
//!
//! Everything that names an operation or a field in JavaScript follows it
//! from here: the client's parameter names and answers (`request`, the
//! wasm layer), and, because `build.rs` compiles this file into itself,
//! the generated `Client` methods and their TypeScript declarations.

use alloc::borrow::Cow;
use alloc::string::String;

/// Converts a JS-style camelCase name to the wire's PascalCase.
pub fn to_wire_name(name: &str) -> Cow<'_, str> {
    match name.chars().next() {
        Some(first) if first.is_ascii_lowercase() => {
            let mut out = String::with_capacity(name.len());
            out.push(first.to_ascii_uppercase());
            out.push_str(&name[1..]);
            Cow::Owned(out)
        }
        _ => Cow::Borrowed(name),
    }
}

/// Converts a wire name to JS camelCase (`RequestId` → `requestId`).
pub fn to_js_name(name: &str) -> Cow<'_, str> {
    match name.chars().next() {
        Some(first) if first.is_ascii_uppercase() => {
            let mut out = String::with_capacity(name.len());
            out.push(first.to_ascii_lowercase());
            out.push_str(&name[1..]);
            Cow::Owned(out)
        }
        _ => Cow::Borrowed(name),
    }
}
