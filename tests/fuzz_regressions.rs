//! Inputs the fuzzing of issue 8 found (crashes or slow inputs), each kept
//! as a test so it stays fixed. `scripts/fuzz-smoke.sh` runs the targets
//! in `fuzz/`; `bench/README.md` records the runs.

use std::time::{Duration, Instant};

use tagdeck::decode::decode_action;
use tagdeck::sign::Format;
use tagdeck::Value;

/// A `GetRepoTagManifest` answer whose free-form `v1Compatibility` element
/// has the given children.
fn manifest_with_free_form_children(children: &str) -> String {
    format!(
        "<GetRepoTagManifestResponse><Manifest><history><v1Compatibility>{children}</v1Compatibility></history></Manifest></GetRepoTagManifestResponse>"
    )
}

fn free_form(answer: &Value) -> &[(std::borrow::Cow<'static, str>, Value)] {
    let history = answer
        .get("Manifest")
        .and_then(|m| m.get("history"))
        .and_then(Value::as_array)
        .expect("history");
    match history[0].get("v1Compatibility") {
        Some(Value::Object(members)) => members,
        other => panic!("v1Compatibility decoded as {other:?}"),
    }
}

/// Slow input (decode_xml): an element of free-form data with many
/// distinct child names. Each child's name was looked up among the members
/// collected so far, so 40,000 children (a 700 KB answer) took 3.5 s in a
/// release build and 14 s in a debug one, and 80,000 four times that; a
/// browser's thread would hang as long. Now a map keeps the lookup
/// logarithmic (80,000 children: about half a second unoptimized).
#[test]
fn many_distinct_free_form_children_decode_in_near_linear_time() {
    let count = 80_000;
    let children: String = (0..count).map(|i| format!("<k{i}>{i}</k{i}>")).collect();
    let body = manifest_with_free_form_children(&children);
    let started = Instant::now();
    let answer = decode_action("GetRepoTagManifest", 200, &body, Format::Xml).expect("decodes");
    let took = started.elapsed();
    let members = free_form(&answer);
    assert_eq!(members.len(), count);
    assert_eq!(members[count - 1].0, format!("k{}", count - 1));
    assert_eq!(members[count - 1].1, Value::Str((count - 1).to_string()));
    // Linear work is well under a second even unoptimized on a loaded
    // machine; the quadratic version needed far more than this.
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

/// The map keeps the old meaning: members in document order, a repeated
/// name becomes one list in the place of its first appearance.
#[test]
fn free_form_children_keep_order_and_repeated_names_become_lists() {
    let body = manifest_with_free_form_children("<b>1</b><a>2</a><b>3</b><c/><b>4</b>");
    let answer = decode_action("GetRepoTagManifest", 200, &body, Format::Xml).expect("decodes");
    let members = free_form(&answer);
    let names: Vec<&str> = members.iter().map(|(k, _)| k.as_ref()).collect();
    assert_eq!(names, ["b", "a", "c"]);
    assert_eq!(
        members[0].1,
        Value::Array(vec![
            Value::Str("1".into()),
            Value::Str("3".into()),
            Value::Str("4".into())
        ])
    );
    assert_eq!(members[1].1, Value::Str("2".into()));
    assert_eq!(members[2].1, Value::Null);
}

/// The JSON decoder on the same shape (it never searched, kept as a guard).
#[test]
fn many_distinct_free_form_keys_in_json_decode_in_linear_time() {
    let count = 40_000;
    let members: Vec<String> = (0..count).map(|i| format!("\"k{i}\":{i}")).collect();
    let body = format!(
        "{{\"Manifest\":{{\"history\":[{{\"v1Compatibility\":{{{}}}}}]}}}}",
        members.join(",")
    );
    let started = Instant::now();
    let answer = decode_action("GetRepoTagManifest", 200, &body, Format::Json).expect("decodes");
    let took = started.elapsed();
    assert_eq!(free_form(&answer).len(), count);
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

/// Crash (decode_xml, `check_api_error`): an error body whose `Code` is
/// empty (`  <Code></Code>`) gave an error with an empty code, which a
/// caller can neither show nor act on. The HTTP status names it now; what
/// else the body says is kept.
#[test]
fn an_empty_code_in_an_error_body_is_named_from_the_http_status() {
    use tagdeck::decode::api_error;
    let xml = api_error(400, "  <Code></Code>\n", Format::Xml);
    assert_eq!((xml.code.as_str(), xml.http_status), ("BadRequest", 400));
    let json = api_error(
        503,
        r#"{"Code":" ","Message":"try later","RequestId":"R-1"}"#,
        Format::Json,
    );
    assert_eq!(json.code, "ServiceUnavailable");
    assert_eq!(json.message, "try later");
    assert_eq!(json.request_id.as_deref(), Some("R-1"));
    // A 200 answer with IsSuccess false and an empty code is still an
    // error with a code.
    let Err(tagdeck::Error::Api(e)) = decode_action(
        "GetRepoTag",
        200,
        r#"{"IsSuccess":false,"Code":"","Message":"no such tag"}"#,
        Format::Json,
    ) else {
        panic!("not an API error")
    };
    assert!(!e.code.is_empty());
    assert_eq!(e.message, "no such tag");
}
