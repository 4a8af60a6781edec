//! The reference the XML tokenizer is checked against: the element tree
//! built with the `xmlparser` crate (a full, validating XML tokenizer), as
//! tagdeck's decoder built it before it got its own tokenizer. Every
//! document `xmlparser` accepts must parse to the same tree with tagdeck.

use std::borrow::Cow;

use tagdeck::decode::xml::Element;
use xmlparser::{ElementEnd, Token, Tokenizer};

/// The tree of `body`, or `None` where `xmlparser` refuses it (or it has
/// text outside elements, too deep nesting, or an unknown entity, which
/// tagdeck refuses too).
pub fn parse(body: &str) -> Option<Vec<Element<'_>>> {
    let start = match Tokenizer::from(body).next() {
        Some(Ok(Token::Declaration { span, .. })) => span.end(),
        _ => 0,
    };
    let mut stack: Vec<Element<'_>> = Vec::new();
    let mut top: Vec<Element<'_>> = Vec::new();
    for token in Tokenizer::from_fragment(body, start..body.len()) {
        match token.ok()? {
            Token::ElementStart { local, .. } => {
                if stack.len() >= 64 {
                    return None;
                }
                stack.push(Element { name: local.as_str(), text: Cow::Borrowed(""), children: Vec::new() });
            }
            Token::ElementEnd { end, .. } => {
                let close = match end {
                    ElementEnd::Open => continue,
                    ElementEnd::Close(_, local) => Some(local.as_str()),
                    ElementEnd::Empty => None,
                };
                let element = stack.pop()?;
                if close.is_some_and(|name| name != element.name) {
                    return None;
                }
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => top.push(element),
                }
            }
            Token::Text { text } => match stack.last_mut() {
                Some(parent) => append(&mut parent.text, unescape(text.as_str())?),
                None if text.as_str().trim().is_empty() => {}
                None => return None,
            },
            Token::Cdata { text, .. } => {
                if let Some(parent) = stack.last_mut() {
                    append(&mut parent.text, Cow::Borrowed(text.as_str()));
                }
            }
            _ => {}
        }
    }
    (stack.is_empty() && !top.is_empty()).then_some(top)
}

fn append<'a>(into: &mut Cow<'a, str>, more: Cow<'a, str>) {
    if into.is_empty() {
        *into = more;
    } else {
        into.to_mut().push_str(&more);
    }
}

/// The predefined entities and character references (as tagdeck resolves
/// them; `None` for any other entity).
fn unescape(text: &str) -> Option<Cow<'_, str>> {
    if !text.contains('&') {
        return Some(Cow::Borrowed(text));
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let semi = after.find(';').filter(|&i| i <= 10)?;
        let entity = &after[..semi];
        let ch = match entity {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(hex) = entity.strip_prefix("#x").or_else(|| entity.strip_prefix("#X")) {
                    u32::from_str_radix(hex, 16).ok()
                } else if let Some(dec) = entity.strip_prefix('#') {
                    dec.parse().ok()
                } else {
                    None
                };
                code.and_then(char::from_u32)?
            }
        };
        out.push(ch);
        rest = &after[semi + 1..];
    }
    out.push_str(rest);
    Some(Cow::Owned(out))
}
