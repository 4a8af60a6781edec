//! The XML decoder: the tree parser on any text (checked against the tree
//! `xmlparser` gives, see `reference_xml.rs`), then `decode_response` as one
//! of the catalogue's operations (success and error answers).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tagdeck::decode::{decode_response, xml};
use tagdeck::sign::Format;
use tagdeck::Error;

#[path = "common.rs"]
mod common;
#[path = "reference_xml.rs"]
mod reference_xml;

fuzz_target!(|data: &[u8]| {
    let Some((operation, body)) = common::split(data) else {
        return;
    };
    let parsed = xml::parse(body);
    if let Ok(top) = &parsed {
        assert!(!top.is_empty(), "a parsed document has at least one element");
    }
    if let Some(reference) = reference_xml::parse(body) {
        match &parsed {
            Ok(top) => assert_eq!(top, &reference, "tree differs from xmlparser's"),
            Err(e) => panic!("xmlparser accepts what tagdeck refuses: {e:?}"),
        }
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
