//! SWR's name rules (organizations, repositories, tags) and the `filter`
//! form of the listing parameters, as the operation table checks them.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::error::{Error, Result};
use crate::value::Value;

use super::super::{accept, refuse, rest};
use super::{FILTER_FORM, FILTER_PARTS, LISTING_PARAMS};

/// An organization name: 1 to 64 characters, a lower-case letter first, a
/// letter or digit last, lower-case letters, digits, `.`, `_` and `-` in
/// between; `.`, `_`, `-` never next to one another, except `__`.
pub(super) fn check_namespace(name: &str, text: &str) -> Result<String> {
    const RULE: &str = "expected 1 to 64 of a-z 0-9 . _ -, starting with a letter, ending with a letter or digit, separators not doubled (except __)";
    let b = text.as_bytes();
    let separator = |c: u8| matches!(c, b'.' | b'_' | b'-');
    let ok = (1..=64).contains(&b.len())
        && b[0].is_ascii_lowercase()
        && (b[b.len() - 1].is_ascii_lowercase() || b[b.len() - 1].is_ascii_digit())
        && b.iter()
            .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || separator(c))
        && b.windows(2)
            .all(|w| !(separator(w[0]) && separator(w[1])) || w == b"__")
        && !text.contains("___");
    accept(ok, name, text, RULE)
}

/// A repository name: 1 to 128 of lower-case letters, digits, `.`, `_`,
/// `-` and `/` (or `$`, SWR's path spelling of `/`), starting and ending
/// with a letter or digit. Sent with `$` for `/`.
pub(super) fn check_repository(name: &str, text: &str) -> Result<String> {
    const RULE: &str = "expected 1 to 128 of a-z 0-9 . _ - / (or $ for /), starting and ending with a letter or digit";
    let b = text.as_bytes();
    let alnum = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    let ok = (1..=128).contains(&b.len())
        && alnum(b[0])
        && alnum(b[b.len() - 1])
        && b.iter()
            .all(|&c| alnum(c) || matches!(c, b'.' | b'_' | b'-' | b'/' | b'$'));
    if ok {
        Ok(text.replace('/', "$"))
    } else {
        Err(refuse(name, text, RULE))
    }
}

/// A Docker tag name (see [`super::check_docker_tag`]).
pub(super) fn check_tag_name(name: &str, text: &str) -> Result<String> {
    super::super::check_docker_tag(name, text)
}

/// A tag filter: part of a tag name, so tag characters only (which also
/// keeps `|` and `::` out of the filter form).
pub(super) fn check_tag_filter(name: &str, text: &str) -> Result<String> {
    let ok = (1..=128).contains(&text.len())
        && text
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'));
    accept(
        ok,
        name,
        text,
        "expected 1 to 128 tag name characters (A-Z a-z 0-9 _ . -)",
    )
}

/// The parts of a `filter` value, as (name, value) pairs in the order given.
/// Every part is `name::value`; names are the five listing parameters, each
/// at most once.
pub fn parse_filter(text: &str) -> Result<Vec<(String, String)>> {
    let mut parts: Vec<(String, String)> = Vec::new();
    if text.is_empty() {
        return Err(Error::invalid(
            "filter",
            format!("is empty; expected {FILTER_FORM}"),
        ));
    }
    for part in text.split('|') {
        let Some((key, value)) = part.split_once("::") else {
            return Err(Error::invalid(
                "filter",
                format!("part {part:?} is not name::value; expected {FILTER_FORM}"),
            ));
        };
        if !LISTING_PARAMS.iter().any(|p| p.name == key) {
            return Err(Error::invalid(
                "filter",
                format!(
                    "unknown part {key:?}; expected offset, limit, order_column, order_type or tag"
                ),
            ));
        }
        if parts.iter().any(|(k, _)| k == key) {
            return Err(Error::invalid("filter", format!("{key} is given twice")));
        }
        parts.push((key.to_string(), value.to_string()));
    }
    Ok(parts)
}

/// Writes a `filter` value from its parts, in the reference's order.
pub fn format_filter(parts: &[(&str, String)]) -> String {
    let mut out = String::new();
    for param in LISTING_PARAMS {
        if let Some((_, value)) = parts.iter().find(|(k, _)| *k == param.name) {
            if !out.is_empty() {
                out.push('|');
            }
            out.push_str(param.name);
            out.push_str("::");
            out.push_str(value);
        }
    }
    out
}

/// The `filter` value of the given listing parameters (`offset`, `limit`,
/// `order_column`, `order_type`, `tag`; `Null` is absent), checked by the
/// rules of the separate parameters (an error names the part), in
/// canonical order; `None` when no part is given.
pub fn filter<K: AsRef<str>>(parts: &[(K, Value)]) -> Result<Option<String>> {
    let checked = rest::check_params(&FILTER_PARTS, parts)?;
    if checked.is_empty() {
        return Ok(None);
    }
    let parts: Vec<(&str, String)> = checked.iter().map(|(p, v)| (p.name, v.clone())).collect();
    Ok(Some(format_filter(&parts)))
}

/// Checks a `filter` by the rules of the separate parameters and gives it
/// back in canonical order.
pub(super) fn check_filter(name: &str, text: &str) -> Result<String> {
    let parts = parse_filter(text)?;
    let as_values: Vec<(&str, Value)> = parts
        .iter()
        .map(|(k, v)| (k.as_str(), Value::from(v.as_str())))
        .collect();
    let canonical = filter(&as_values).map_err(|inner| {
        let reason = match inner {
            Error::InvalidParameter { name, reason } => format!("{name}: {reason}"),
            Error::MissingParameter { name } => format!("{name} is missing"),
            other => other.message(),
        };
        Error::invalid(name, reason)
    })?;
    Ok(canonical.unwrap_or_default())
}
