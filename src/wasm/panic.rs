//! The last resort for a bug: a panic becomes a readable JS `Error`
//! with `code: "ClientPanic"` instead of the opaque
//! `RuntimeError: unreachable` of a trap. Every input path returns errors
//! instead of panicking; this hook only matters if that is ever wrong.
//!
//! The hook throws the error from inside the panic, so the Rust stack is
//! left without unwinding: the panicking call is lost, and a second panic
//! in the same instance aborts with a trap. It is a diagnosis, not a
//! recovery.

use alloc::format;
use alloc::string::ToString;

use super::errors::Failure;

/// Installs the hook (idempotent: the last install wins, and it is the same).
pub fn install_hook() {
    std::panic::set_hook(alloc::boxed::Box::new(|info| {
        let message = format!(
            "tagdeck hit an internal error (a bug; please report it): {}",
            info.to_string().replace('\n', " ")
        );
        web_sys::console::error_1(&message.clone().into());
        wasm_bindgen::throw_val(Failure::client("ClientPanic", message, false).into_js());
    }));
}
