//! XML answers. The `xmlparser` tokenizer (no_std) feeds a small element
//! tree; the catalogue's shape then says which elements are lists and which
//! are numbers, so a one-item list, an absent list, wrapper-style lists and
//! numbers-as-text all resolve the same way as in JSON.

use alloc::borrow::Cow;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use xmlparser::{ElementEnd, Token, Tokenizer};

use super::coerce::{self, Path};
use crate::catalog::{Field, Type};
use crate::error::{Error, Result};
use crate::order::sorted_positions;
use crate::value::Value;

/// Deeper documents are refused: no answer of this API nests beyond a few
/// levels, and the limit keeps hostile input from exhausting the stack.
const MAX_DEPTH: usize = 64;

/// One element: its local name, its text (text and CDATA, entities
/// resolved) and its child elements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element<'a> {
    /// The local name (any namespace prefix dropped).
    pub name: &'a str,
    /// Text and CDATA content, concatenated.
    pub text: Cow<'a, str>,
    /// Child elements in document order.
    pub children: Vec<Element<'a>>,
}

impl<'a> Element<'a> {
    /// The first child called `name`.
    pub fn child(&self, name: &str) -> Option<&Element<'a>> {
        self.children.iter().find(|c| c.name == name)
    }
}

/// Parses a document into its top-level elements (more than one when the
/// root is missing, as in the API reference's sample answers).
pub fn parse(body: &str) -> Result<Vec<Element<'_>>> {
    let mut stack: Vec<Element<'_>> = Vec::new();
    let mut top: Vec<Element<'_>> = Vec::new();
    for token in fragment_tokens(body) {
        let token = token.map_err(|e| Error::decode(format!("malformed XML: {e}")))?;
        match token {
            Token::ElementStart { local, span, .. } => {
                if stack.len() >= MAX_DEPTH {
                    return Err(Error::decode(format!(
                        "XML nested deeper than {MAX_DEPTH} levels at {}",
                        position(body, span.start())
                    )));
                }
                stack.push(Element {
                    name: local.as_str(),
                    text: Cow::Borrowed(""),
                    children: Vec::new(),
                });
            }
            Token::ElementEnd { end, span } => {
                let close_name = match end {
                    ElementEnd::Open => continue,
                    ElementEnd::Close(_, local) => Some(local.as_str()),
                    ElementEnd::Empty => None,
                };
                let element = stack.pop().ok_or_else(|| {
                    Error::decode(format!(
                        "closing tag without an opening one at {}",
                        position(body, span.start())
                    ))
                })?;
                if let Some(name) = close_name {
                    if name != element.name {
                        return Err(Error::decode(format!(
                            "</{name}> closes <{}> at {}",
                            element.name,
                            position(body, span.start())
                        )));
                    }
                }
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => top.push(element),
                }
            }
            Token::Text { text } => {
                let Some(parent) = stack.last_mut() else {
                    if text.as_str().trim().is_empty() {
                        continue;
                    }
                    return Err(Error::decode(format!(
                        "text outside any element at {}",
                        position(body, text.start())
                    )));
                };
                let resolved = unescape(text.as_str()).map_err(|what| {
                    Error::decode(format!("{what} at {}", position(body, text.start())))
                })?;
                append(&mut parent.text, resolved);
            }
            Token::Cdata { text, .. } => {
                if let Some(parent) = stack.last_mut() {
                    append(&mut parent.text, Cow::Borrowed(text.as_str()));
                }
            }
            // Declaration, comments, processing instructions, DTD: no data.
            _ => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(Error::decode(format!(
            "the document ends inside <{}>",
            open.name
        )));
    }
    if top.is_empty() {
        return Err(Error::decode("the document has no element"));
    }
    Ok(top)
}

/// Tokens of the content after the `<?xml ...?>` declaration, read as a
/// fragment so that several top-level elements (no root) are accepted.
fn fragment_tokens(body: &str) -> Tokenizer<'_> {
    let start = match Tokenizer::from(body).next() {
        Some(Ok(Token::Declaration { span, .. })) => span.end(),
        _ => 0,
    };
    Tokenizer::from_fragment(body, start..body.len())
}

fn append<'a>(into: &mut Cow<'a, str>, more: Cow<'a, str>) {
    if into.is_empty() {
        *into = more;
    } else {
        into.to_mut().push_str(&more);
    }
}

/// `line L, column C` of a byte offset.
fn position(body: &str, offset: usize) -> String {
    let before = &body[..offset.min(body.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!("line {line}, column {column}")
}

/// Resolves the predefined entities and character references.
fn unescape(text: &str) -> core::result::Result<Cow<'_, str>, String> {
    if !text.contains('&') {
        return Ok(Cow::Borrowed(text));
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let semi = after
            .find(';')
            .filter(|&i| i <= 10)
            .ok_or("an unterminated entity")?;
        let entity = &after[..semi];
        let ch = match entity {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(hex) = entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                {
                    u32::from_str_radix(hex, 16).ok()
                } else if let Some(dec) = entity.strip_prefix('#') {
                    dec.parse().ok()
                } else {
                    None
                };
                code.and_then(char::from_u32)
                    .ok_or_else(|| format!("an unknown entity &{entity};"))?
            }
        };
        out.push(ch);
        rest = &after[semi + 1..];
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

/// Decodes a success answer: the fields are the children of the root
/// (`<{Action}Response>`), or the top-level elements when there is no root.
pub fn decode_object(body: &str, fields: &[Field]) -> Result<Value> {
    decode_parsed(&parse(body)?, fields)
}

/// [`decode_object`] on a document already parsed.
pub fn decode_parsed(top: &[Element<'_>], fields: &[Field]) -> Result<Value> {
    let children: &[Element<'_>] = match top {
        [root] if coerce::field_index(fields, root.name).is_none() => &root.children,
        all => all,
    };
    object(children, fields, &Path::Root).map_err(Error::decode)
}

fn object(
    children: &[Element<'_>],
    fields: &[Field],
    path: &Path<'_>,
) -> core::result::Result<Value, String> {
    let mut slots: Vec<Option<Value>> = fields.iter().map(|_| None).collect();
    for (i, field) in fields.iter().enumerate() {
        let field_path = Path::Field(path, field.name);
        // Exact names first; ignoring ASCII case only when none matches
        // exactly (see `coerce::field_index`).
        let exact = children.iter().any(|c| c.name == field.name);
        let mut matching = children.iter().filter(|c| {
            if exact {
                c.name == field.name
            } else {
                c.name.eq_ignore_ascii_case(field.name)
            }
        });
        slots[i] = match &field.ty {
            Type::Array(item) => {
                let elements: Vec<&Element<'_>> = matching.collect();
                if elements.is_empty() {
                    None
                } else {
                    Some(list(&elements, item, &field_path)?)
                }
            }
            ty => match matching.next_back() {
                Some(element) => Some(value(element, ty, &field_path)?),
                None => None,
            },
        };
    }
    Ok(coerce::assemble(fields, slots))
}

/// A list from the elements that carry it: flat (one element per item) or
/// wrapped (`<Regions><Region>..</Region></Regions>`).
fn list(
    elements: &[&Element<'_>],
    item: &Type,
    path: &Path<'_>,
) -> core::result::Result<Value, String> {
    let items: Vec<&Element<'_>> = match elements {
        [only] if is_wrapper(only, item) => only.children.iter().collect(),
        _ => elements.to_vec(),
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, element) in items.into_iter().enumerate() {
        out.push(value(element, item, &Path::Index(path, i))?);
    }
    Ok(Value::Array(out))
}

/// Whether a lone list element wraps its items instead of being one: its
/// children all share one name that is not a field of the item type.
fn is_wrapper(element: &Element<'_>, item: &Type) -> bool {
    let Some(first) = element.children.first() else {
        return false;
    };
    if !element.children.iter().all(|c| c.name == first.name) {
        return false;
    }
    match item {
        // Wrapped structures are elements with members of their own; a lone
        // unknown leaf (`<LinkedVpcs><Enable>true</Enable></LinkedVpcs>`)
        // is an item with a field we do not know, not a wrapper.
        Type::Object(fields) => {
            coerce::field_index(fields, first.name).is_none()
                && element.children.iter().all(|c| !c.children.is_empty())
        }
        Type::Array(_) => false,
        // A list of scalars can only be wrapped: a scalar has no children.
        _ => true,
    }
}

fn value(element: &Element<'_>, ty: &Type, path: &Path<'_>) -> core::result::Result<Value, String> {
    match ty {
        Type::Object(fields) => {
            if element.children.is_empty() {
                coerce::from_text(ty, &element.text, path)
            } else {
                object(&element.children, fields, path)
            }
        }
        Type::Array(item) => list(&[element], item, path),
        Type::Any => Ok(any(element)),
        scalar => {
            if let Some(child) = element.children.first() {
                return Err(format!(
                    "{path}: expected {}, found the element <{}>",
                    coerce::expected(scalar),
                    child.name
                ));
            }
            coerce::from_text(scalar, &element.text, path)
        }
    }
}

/// Free-form data: text for a leaf, an object for an element with
/// children (a repeated name becomes a list).
fn any(element: &Element<'_>) -> Value {
    if element.children.is_empty() {
        return if element.text.trim().is_empty() {
            Value::Null
        } else {
            Value::Str(element.text.to_string())
        };
    }
    let children = &element.children;
    let mut values: Vec<Option<Value>> = children.iter().map(|child| Some(any(child))).collect();
    // The children sorted by name, document order kept within a name: each
    // run of one name is one member (a list when the name repeats), put at
    // the position of the name's first child. Searching the members per
    // child instead made an element with many distinct children quadratic:
    // 40,000 of them took seconds (tests/fuzz_regressions.rs).
    let names: Vec<&str> = children.iter().map(|child| child.name).collect();
    let by_name = sorted_positions(&names);
    let mut grouped: Vec<Option<Value>> = children.iter().map(|_| None).collect();
    for run in by_name.chunk_by(|&a, &b| names[a] == names[b]) {
        grouped[run[0]] = match run {
            [only] => values[*only].take(),
            _ => Some(Value::Array(
                run.iter().filter_map(|&i| values[i].take()).collect(),
            )),
        };
    }
    let members = children
        .iter()
        .zip(grouped)
        .filter_map(|(child, value)| Some((Cow::Owned(child.name.to_string()), value?)))
        .collect();
    Value::Object(members)
}
