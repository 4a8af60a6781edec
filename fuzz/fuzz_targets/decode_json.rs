//! The JSON decoder: `decode_action` as one of the catalogue's operations
//! (success and error answers), and the schema-less `json::decode`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tagdeck::catalog::Type;
use tagdeck::decode::{decode_response, json};
use tagdeck::sign::Format;
use tagdeck::Error;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((operation, body)) = common::split(data) else {
        return;
    };
    match decode_response(operation, 200, body, Format::Json) {
        Ok(answer) => common::check_answer(operation, &answer),
        Err(Error::Decode { .. } | Error::Api(_)) => {}
        Err(other) => panic!("unexpected error kind: {other:?}"),
    }
    let _ = json::decode(body, &Type::Any);
    common::check_api_error(500, body, Format::Json);
});
