//! Rendering answers the way the service sends them: the inverse of
//! [`crate::decode`].
//!
//! A success answer is a [`Value::Object`] keyed by wire names (the shape
//! [`crate::decode`] produces). In XML it becomes the
//! `<?xml version="1.0" encoding="UTF-8"?>` declaration and a
//! `<{Action}Response>` root; lists are flat, one element per item with no
//! inner item element, and an empty list is no element at all (docs/api-facts.md,
//! "cr answers"). In JSON it is one object. Error answers have their own
//! shape ([`error`]): `{"RequestId","HostId","Code","Message","Recommend"}`
//! in JSON and an `<Error>` root in XML, `Recommend` in CDATA.
//!
//! What the decoder reads back is exactly what was rendered (tested over
//! generated values of every catalogue shape in `tests/render_roundtrip.rs`),
//! with these documented limits of the wire formats themselves:
//! - XML carries no types: a value decodes to its field's catalogue type;
//! - a list inside a list is written as one element per inner list whose
//!   children are `<item>` elements, so an *empty* inner list cannot be told
//!   from a one-item list of an empty string;
//! - non-finite floats have no JSON spelling and are written as `null`.

use alloc::string::String;
use core::fmt::Write as _;

use crate::error::ApiError;
use crate::json_text::{json, json_string};
use crate::request::format_float;
use crate::sign::Format;
use crate::value::Value;

/// The XML declaration every XML answer starts with.
pub const XML_DECLARATION: &str = r#"<?xml version="1.0" encoding="UTF-8"?>"#;

/// The element name of an inner list's items (see the module docs).
const NESTED_ITEM: &str = "item";

/// Renders the success answer of `action` in `format`.
///
/// `value` should be an object; anything else is rendered as the content of
/// the root (XML) or as the whole document (JSON).
pub fn success(action: &str, value: &Value, format: Format) -> String {
    match format {
        Format::Json => json(value),
        Format::Xml => {
            let mut out = String::with_capacity(256);
            out.push_str(XML_DECLARATION);
            // `<{Action}Response>`
            out.push('<');
            out.push_str(action);
            out.push_str("Response>");
            xml_content(&mut out, value);
            out.push_str("</");
            out.push_str(action);
            out.push_str("Response>");
            out
        }
    }
}

/// Renders an error answer: `RequestId`, `HostId`, `Code`, `Message` and
/// `Recommend`, absent ones left out (`http_status` is the HTTP status line,
/// not part of the body).
pub fn error(error: &ApiError, format: Format) -> String {
    let members: [(&str, Option<&str>); 5] = [
        ("RequestId", error.request_id.as_deref()),
        ("HostId", error.host_id.as_deref()),
        ("Code", Some(error.code.as_str())),
        ("Message", Some(error.message.as_str())),
        ("Recommend", error.recommend.as_deref()),
    ];
    let mut out = String::with_capacity(256);
    match format {
        Format::Json => {
            out.push('{');
            let mut first = true;
            for (name, value) in members {
                let Some(value) = value else { continue };
                if !first {
                    out.push(',');
                }
                first = false;
                json_string(&mut out, name);
                out.push(':');
                json_string(&mut out, value);
            }
            out.push('}');
        }
        Format::Xml => {
            out.push_str(XML_DECLARATION);
            out.push_str("<Error>");
            for (name, value) in members {
                let Some(value) = value else { continue };
                open(&mut out, name);
                // The service sends the advice link in CDATA; a `]]>` inside
                // is split across two sections so the text survives as is.
                // CDATA cannot carry control characters: those need escapes.
                if name == "Recommend" && !value.chars().any(needs_reference) {
                    cdata(&mut out, value);
                } else {
                    xml_text(&mut out, value);
                }
                close(&mut out, name);
            }
            out.push_str("</Error>");
        }
    }
    out
}

// ---- XML ----

fn open(out: &mut String, name: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
}

fn close(out: &mut String, name: &str) {
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

/// The content of an element holding `value`: text for a scalar, child
/// elements for an object.
fn xml_content(out: &mut String, value: &Value) {
    match value {
        Value::Null => {}
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(n) => {
            let _ = write!(out, "{n}");
        }
        Value::Float(f) => out.push_str(&format_float(*f)),
        Value::Str(s) => xml_text(out, s),
        Value::Object(members) => {
            for (key, item) in members {
                xml_member(out, key, item);
            }
        }
        // A list that is not a member of an object (an inner list): its items
        // are wrapped, see the module docs.
        Value::Array(items) => {
            for item in items {
                xml_member(out, NESTED_ITEM, item);
            }
        }
    }
}

/// One member `name` of an object: a flat list repeats the element once per
/// item (none for an empty list); anything else is one element.
fn xml_member(out: &mut String, name: &str, value: &Value) {
    match value {
        Value::Array(items) => {
            for item in items {
                open(out, name);
                xml_content(out, item);
                close(out, name);
            }
        }
        other => {
            open(out, name);
            xml_content(out, other);
            close(out, name);
        }
    }
}

/// Escapes text content. Markup characters become entities; control
/// characters (and `\r`, which XML parsers would turn into `\n`) become
/// character references so they arrive unchanged.
fn xml_text(out: &mut String, text: &str) {
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if needs_reference(c) => {
                let _ = write!(out, "&#x{:X};", c as u32);
            }
            c => out.push(c),
        }
    }
}

/// Characters written as `&#x..;`: controls other than tab and newline, and
/// `\r`, which XML parsers would turn into `\n`.
fn needs_reference(c: char) -> bool {
    ((c as u32) < 0x20 && c != '\n' && c != '\t') || c == '\u{7f}'
}

fn cdata(out: &mut String, text: &str) {
    out.push_str("<![CDATA[");
    out.push_str(&text.replace("]]>", "]]]]><![CDATA[>"));
    out.push_str("]]>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::borrow::Cow;
    use alloc::string::ToString;
    use alloc::vec;

    fn obj(members: &[(&'static str, Value)]) -> Value {
        Value::Object(
            members
                .iter()
                .map(|(k, v)| (Cow::Borrowed(*k), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn xml_lists_are_flat_and_empty_lists_absent() {
        let value = obj(&[
            ("RequestId", "R".into()),
            (
                "Images",
                Value::Array(vec![
                    obj(&[("Tag", "a".into())]),
                    obj(&[("Tag", "b".into())]),
                ]),
            ),
            ("Layers", Value::Array(vec![])),
        ]);
        assert_eq!(
            success("ListRepoTag", &value, Format::Xml),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListRepoTagResponse><RequestId>R</RequestId>\
             <Images><Tag>a</Tag></Images><Images><Tag>b</Tag></Images></ListRepoTagResponse>"
        );
    }

    #[test]
    fn json_keeps_types_and_escapes() {
        let value = obj(&[
            ("S", "a\"b\\c\n\u{1}".into()),
            ("N", Value::Int(-9_007_199_254_740_993)),
            ("F", Value::Float(1.0)),
            ("B", Value::Bool(false)),
            ("L", Value::Array(vec![])),
        ]);
        assert_eq!(
            success("X", &value, Format::Json),
            r#"{"S":"a\"b\\c\n\u0001","N":-9007199254740993,"F":1.0,"B":false,"L":[]}"#
        );
    }

    #[test]
    fn floats_are_spelled_as_javascript_spells_them() {
        let value = obj(&[
            ("Whole", Value::Float(2.0)),
            ("Half", Value::Float(-1.5)),
            ("Big", Value::Float(1e21)),
            ("Small", Value::Float(1.5e-7)),
            ("Infinite", Value::Float(f64::INFINITY)),
        ]);
        assert_eq!(
            success("X", &value, Format::Json),
            r#"{"Whole":2.0,"Half":-1.5,"Big":1e+21,"Small":1.5e-7,"Infinite":null}"#
        );
        assert_eq!(
            success("X", &value, Format::Xml),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><XResponse><Whole>2</Whole><Half>-1.5</Half>\
             <Big>1e+21</Big><Small>1.5e-7</Small><Infinite>Infinity</Infinite></XResponse>"
        );
    }

    #[test]
    fn xml_text_is_escaped() {
        let value = obj(&[("Summary", "<b>&\r]]>".into())]);
        assert_eq!(
            success("GetRepository", &value, Format::Xml),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><GetRepositoryResponse>\
             <Summary>&lt;b&gt;&amp;&#xD;]]&gt;</Summary></GetRepositoryResponse>"
        );
    }

    #[test]
    fn errors_in_both_formats() {
        let e = ApiError {
            code: "SignatureDoesNotMatch".to_string(),
            message: "no match:GET&%2F&A".to_string(),
            request_id: Some("R-1".to_string()),
            host_id: Some("cr.cn-hangzhou.aliyuncs.com".to_string()),
            recommend: Some("https://example.invalid/?q=]]>".to_string()),
            http_status: 400,
        };
        assert_eq!(
            error(&e, Format::Json),
            r#"{"RequestId":"R-1","HostId":"cr.cn-hangzhou.aliyuncs.com","Code":"SignatureDoesNotMatch","Message":"no match:GET&%2F&A","Recommend":"https://example.invalid/?q=]]>"}"#
        );
        assert_eq!(
            error(&e, Format::Xml),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><RequestId>R-1</RequestId>\
             <HostId>cr.cn-hangzhou.aliyuncs.com</HostId><Code>SignatureDoesNotMatch</Code>\
             <Message>no match:GET&amp;%2F&amp;A</Message>\
             <Recommend><![CDATA[https://example.invalid/?q=]]]]><![CDATA[>]]></Recommend></Error>"
        );
    }
}
