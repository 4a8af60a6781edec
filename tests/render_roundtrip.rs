//! Whatever `render` writes, `decode` reads back to the same value.
//!
//! Property-style: for every operation of the catalogue (and for synthetic
//! shapes that use every kind of field, so the property holds for entries
//! still to come), many values of the answer's shape are generated from a
//! fixed-seed generator, rendered as XML and as JSON, decoded, and compared.
//! Values are generated in the decoder's normal form: fields in catalogue
//! order, lists always present (possibly empty), absent scalars left out.

use std::borrow::Cow;

use tagdeck::catalog::{self, Field, Operation, Type};
use tagdeck::decode::{api_error, decode_response, response_fields};
use tagdeck::render;
use tagdeck::sign::Format;
use tagdeck::{ApiError, Error, Value};

/// Values per operation and format.
const CASES: usize = 200;

/// splitmix64: small, fast and fixed-seed, so a failure is reproducible.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Strings that have broken XML and JSON writers before: markup, entities,
/// CDATA ends, quotes, control characters, `\r`, non-ASCII, blank text.
const TRICKY: &[&str] = &[
    "",
    " ",
    "v0.1",
    "a b",
    "<Images>",
    "&amp;",
    "]]>",
    "\"quoted\" 'single'",
    "line\nbreak",
    "cr\r\nlf",
    "tab\there",
    "\u{1}\u{1f}\u{7f}",
    "中文 tag",
    "🐳 whale",
    "  leading and trailing  ",
    "back\\slash",
    "sha256:67bfbcc12b67936ec7f867927817cbb071832b873dbcaed312a1930ba5f1d529",
];

/// `Any` text must not be blank: blank XML text reads as "no value".
const ANY_TEXT: &[&str] = &["x", "{\"created\":\"2019-11-04\"}", "a <b> & c", "中文"];

fn string(g: &mut Gen) -> String {
    if g.chance(70) {
        TRICKY[g.below(TRICKY.len())].to_string()
    } else {
        // Random printable and non-ASCII characters.
        let len = g.below(12);
        (0..len)
            .map(|_| match g.below(4) {
                0 => char::from(b'a' + g.below(26) as u8),
                1 => char::from(b' ' + g.below(95) as u8),
                2 => ['é', 'ß', '中', '🐳', '&', '<', '>'][g.below(7)],
                _ => char::from(b'0' + g.below(10) as u8),
            })
            .collect()
    }
}

fn int(g: &mut Gen) -> i64 {
    match g.below(5) {
        0 => 0,
        1 => i64::MAX - g.below(3) as i64,
        2 => i64::MIN + g.below(3) as i64,
        3 => 1_572_839_125_000 + g.below(1_000_000) as i64,
        _ => g.next() as i64,
    }
}

fn float(g: &mut Gen) -> f64 {
    match g.below(5) {
        0 => 1.0,
        1 => 0.1,
        2 => -2.5e-7,
        3 => 1.5e300,
        _ => (g.next() as i64 as f64) / 1024.0,
    }
}

/// A value of `ty`. `depth` bounds recursion through `Any`.
fn value(g: &mut Gen, ty: &Type, depth: usize) -> Value {
    match ty {
        Type::Str => Value::Str(string(g)),
        Type::Int | Type::Long => Value::Int(int(g)),
        Type::Float => Value::Float(float(g)),
        Type::Bool => Value::Bool(g.chance(50)),
        Type::Object(fields) => object(g, fields, depth),
        Type::Array(item) => {
            let n = g.below(4);
            Value::Array((0..n).map(|_| list_item(g, item, depth)).collect())
        }
        Type::Any => any(g, depth),
    }
}

/// An item of a list. An inner list is never empty (a documented limit of
/// XML, see `render`).
fn list_item(g: &mut Gen, item: &Type, depth: usize) -> Value {
    match item {
        Type::Array(inner) => {
            let n = 1 + g.below(3);
            Value::Array((0..n).map(|_| list_item(g, inner, depth)).collect())
        }
        other => value(g, other, depth),
    }
}

fn object(g: &mut Gen, fields: &[Field], depth: usize) -> Value {
    let mut members = Vec::new();
    for field in fields {
        let present = matches!(field.ty, Type::Array(_)) || g.chance(75);
        if present {
            members.push((Cow::Borrowed(field.name), value(g, &field.ty, depth)));
        }
    }
    Value::Object(members)
}

/// Free-form data in the form both formats can carry: non-blank text, or
/// objects of it; lists only inside objects and with two items or more (one
/// repeated XML element is indistinguishable from a single value).
fn any(g: &mut Gen, depth: usize) -> Value {
    if depth >= 2 || g.chance(50) {
        return Value::Str(ANY_TEXT[g.below(ANY_TEXT.len())].to_string());
    }
    let keys = ["alg", "jwk", "crv", "kid"];
    let n = 1 + g.below(3);
    let members = keys[..n]
        .iter()
        .map(|k| {
            let v = if g.chance(25) {
                Value::Array(
                    (0..2 + g.below(2))
                        .map(|_| Value::Str(ANY_TEXT[g.below(ANY_TEXT.len())].to_string()))
                        .collect(),
                )
            } else {
                any(g, depth + 1)
            };
            (Cow::Owned(k.to_string()), v)
        })
        .collect();
    Value::Object(members)
}

const fn field(name: &'static str, ty: Type) -> Field {
    Field { name, ty }
}

/// Shapes that use every kind of field, whatever the catalogue holds today.
const SYNTHETIC: &[Field] = &[
    field("Text", Type::Str),
    field("Count", Type::Int),
    field("Size", Type::Long),
    field("Progress", Type::Float),
    field("Enabled", Type::Bool),
    field("Free", Type::Any),
    field("Names", Type::Array(&Type::Str)),
    field("Sizes", Type::Array(&Type::Long)),
    field("Grid", Type::Array(&Type::Array(&Type::Str))),
    field(
        "Items",
        Type::Array(&Type::Object(&[
            field("Tag", Type::Str),
            field(
                "Only",
                Type::Array(&Type::Object(&[field("Tag", Type::Str)])),
            ),
            field("Inner", Type::Object(&[field("Deep", Type::Long)])),
        ])),
    ),
    field(
        "Struct",
        Type::Object(&[
            field("schemaVersion", Type::Int),
            field(
                "history",
                Type::Array(&Type::Object(&[field("v1Compatibility", Type::Any)])),
            ),
        ]),
    ),
];

fn synthetic_operation() -> Operation {
    Operation {
        action: "SyntheticEveryType",
        group: catalog::Group::Tag,
        method: catalog::Method::Post,
        deprecated: false,
        doc: "test",
        summary: "test",
        params: &[],
        response: SYNTHETIC,
    }
}

/// A success answer of `op`: the common fields, then the operation's own.
fn answer(g: &mut Gen, op: &Operation) -> Value {
    let fields = response_fields(op);
    let Value::Object(mut members) = object(g, &fields, 0) else {
        unreachable!()
    };
    // A success answer says so: `IsSuccess: false` would decode as an error.
    members.retain(|(k, _)| k != "IsSuccess");
    let at = members
        .iter()
        .position(|(k, _)| k != "RequestId")
        .unwrap_or(members.len());
    members.insert(at, (Cow::Borrowed("IsSuccess"), Value::Bool(true)));
    Value::Object(members)
}

fn check(op: &Operation, cases: usize, seed: u64) {
    let mut g = Gen(seed);
    for case in 0..cases {
        let want = answer(&mut g, op);
        for format in [Format::Xml, Format::Json] {
            let body = render::success(op.action, &want, format);
            match decode_response(op, 200, &body, format) {
                Ok(got) => assert_eq!(
                    got, want,
                    "{} case {case} in {format:?} did not round-trip; body:\n{body}",
                    op.action
                ),
                Err(e) => panic!(
                    "{} case {case} in {format:?}: {e}\nbody:\n{body}",
                    op.action
                ),
            }
        }
    }
}

#[test]
fn every_catalogue_answer_round_trips() {
    let mut count = 0;
    for (i, op) in catalog::operations().enumerate() {
        check(op, CASES, 0x7A6D_ECC0 + i as u64);
        count += 1;
    }
    // The tag group is complete; the others are added as they land.
    assert!(count >= 6, "only {count} operations in the catalogue");
}

#[test]
fn every_kind_of_field_round_trips() {
    check(&synthetic_operation(), CASES * 10, 42);
}

#[test]
fn error_answers_round_trip() {
    let mut g = Gen(7);
    for case in 0..CASES {
        let maybe = |g: &mut Gen| g.chance(80).then(|| string(g));
        let want = ApiError {
            code: [
                "SignatureDoesNotMatch",
                "Throttling.User",
                "InvalidTimeStamp.Expired",
            ][g.below(3)]
            .to_string(),
            message: string(&mut g),
            request_id: maybe(&mut g),
            host_id: maybe(&mut g),
            recommend: maybe(&mut g),
            http_status: [400, 404, 503][g.below(3)],
        };
        for format in [Format::Xml, Format::Json] {
            let body = render::error(&want, format);
            let got = api_error(want.http_status, &body, format);
            assert_eq!(got, want, "case {case} in {format:?}; body:\n{body}");
            // The whole decoder refuses it as an error too.
            let op = catalog::find("ListRepoTag").unwrap();
            match decode_response(op, want.http_status, &body, format) {
                Err(e) => assert_eq!(e.code(), want.code),
                Ok(v) => panic!("an error answer decoded as success: {v:?}"),
            }
        }
    }
}

#[test]
fn unsuccessful_answers_with_status_200_decode_as_errors() {
    // The service's business errors: HTTP 200, `IsSuccess: false`, a Code.
    let op = catalog::find("GetRepoTag").unwrap();
    let body_value = Value::Object(vec![
        (Cow::Borrowed("RequestId"), "R-9".into()),
        (Cow::Borrowed("IsSuccess"), Value::Bool(false)),
        (Cow::Borrowed("Code"), "TAG_NOT_EXIST".into()),
        (Cow::Borrowed("Message"), "tag <v9> does not exist".into()),
    ]);
    for format in [Format::Xml, Format::Json] {
        let body = render::success(op.action, &body_value, format);
        match decode_response(op, 200, &body, format) {
            Err(Error::Api(e)) => {
                assert_eq!(e.code, "TAG_NOT_EXIST");
                assert_eq!(e.message, "tag <v9> does not exist");
                assert_eq!(e.request_id.as_deref(), Some("R-9"));
            }
            other => panic!("{format:?}: {other:?}"),
        }
    }
}
