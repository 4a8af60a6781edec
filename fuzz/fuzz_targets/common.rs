//! What the decoding targets share: splitting an input into the operation
//! it is decoded as and the body, and the invariants every decoded answer
//! keeps.

use tagdeck::catalog::{self, Operation, Type};
use tagdeck::decode::response_fields;
use tagdeck::Value;

/// An input is `Action\nbody`. A first line that names no operation still
/// picks one (by its bytes), so mutated names keep exercising decoders and
/// seeds made from `tests/fixtures/cr/{Action}/response.*` start right.
pub fn split(data: &[u8]) -> Option<(&'static Operation, &str)> {
    let text = std::str::from_utf8(data).ok()?;
    let (first, body) = text.split_once('\n').unwrap_or(("", text));
    let operation = catalog::find(first).unwrap_or_else(|| {
        let all: Vec<&'static Operation> = catalog::operations().collect();
        let pick = first.bytes().fold(0usize, |h, b| h.wrapping_mul(31).wrapping_add(b.into()));
        all[pick % all.len()]
    });
    Some((operation, body))
}

/// A successful decode is an object in which every list field of the
/// answer is present as a list (absent lists are empty, never missing).
pub fn check_answer(operation: &Operation, answer: &Value) {
    let Value::Object(_) = answer else {
        panic!("{} decoded to {} instead of an object", operation.action, answer.kind());
    };
    for field in response_fields(operation) {
        if let Type::Array(_) = field.ty {
            match answer.get(field.name) {
                Some(Value::Array(_)) => {}
                other => panic!("{}: list {} decoded as {other:?}", operation.action, field.name),
            }
        }
    }
}

/// An error answer never has an empty code: the HTTP status gives one when
/// the body does not.
pub fn check_api_error(status: u16, body: &str, format: tagdeck::sign::Format) {
    let error = tagdeck::decode::api_error(status, body, format);
    assert!(!error.code.is_empty(), "empty code for HTTP {status}");
    assert_eq!(error.http_status, status);
}
