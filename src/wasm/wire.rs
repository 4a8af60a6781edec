//! The tables both halves of the JS boundary read (`boundary.rs` and
//! `boundary.js`), written once: `build.rs` compiles this file too and
//! writes them into the JavaScript as constants (`build/boundary.rs`).

/// `signRequest`'s options other than `params` (the public contract), in
/// the order `packSignOptions` packs them into slots.
pub const SIGN_OPTIONS: [&str; 10] = [
    "method",
    "endpoint",
    "accessKeyId",
    "accessKeySecret",
    "securityToken",
    "timestamp",
    "nonce",
    "version",
    "format",
    "signatureVersion",
];

// The opcodes of a decoded answer's tape (`tape.rs` writes them,
// `answerFromTape` reads them).
/// `null`.
pub const NULL: u32 = 0;
/// `false`.
pub const FALSE: u32 = 1;
/// `true`.
pub const TRUE: u32 = 2;
/// The next of `numbers`.
pub const NUMBER: u32 = 3;
/// The next of `longs` (a `BigInt64Array`: exact to 64 bits).
pub const LONG: u32 = 4;
/// Then its length; the next that many UTF-16 code units of `text`.
pub const STRING: u32 = 5;
/// Then the item count, then the items.
pub const ARRAY: u32 = 6;
/// Then the member count, then per member a key, then the value.
pub const OBJECT: u32 = 7;
/// A key not in the key table: its length, then its text.
pub const INLINE_KEY: u32 = u32::MAX;

/// Every opcode by its name, for the JavaScript (read by `build.rs` only).
#[allow(dead_code)]
pub const OPCODES: [(&str, u32); 9] = [
    ("NULL", NULL),
    ("FALSE", FALSE),
    ("TRUE", TRUE),
    ("NUMBER", NUMBER),
    ("LONG", LONG),
    ("STRING", STRING),
    ("ARRAY", ARRAY),
    ("OBJECT", OBJECT),
    ("INLINE_KEY", INLINE_KEY),
];
