//! The XML decoder: the tree parser on any text, then `decode_response` as
//! one of the catalogue's operations (success and error answers).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tagdeck::decode::{decode_response, xml};
use tagdeck::sign::Format;
use tagdeck::Error;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((operation, body)) = common::split(data) else {
        return;
    };
    let parsed = xml::parse(body);
    if let Ok(top) = &parsed {
        assert!(!top.is_empty(), "a parsed document has at least one element");
    }
    match decode_response(operation, 200, body, Format::Xml) {
        Ok(answer) => {
            assert!(parsed.is_ok(), "decoded a document the parser refuses");
            common::check_answer(operation, &answer);
        }
        Err(Error::Decode { .. } | Error::Api(_)) => {}
        Err(other) => panic!("unexpected error kind: {other:?}"),
    }
    common::check_api_error(400, body, Format::Xml);
});
