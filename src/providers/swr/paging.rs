//! Paging by `Content-Range`: what a listing page says about the rest of
//! the listing (the module docs of `swr` say how the header is read).

use alloc::borrow::Cow;
use alloc::format;

use crate::catalog::{Field, Type};
use crate::error::{shorten, Error, Result};
use crate::value::Value;

use super::super::http::{HttpRequest, HttpResponse};
use super::names::parse_filter;

/// A page of `fields` (the items under the first field's name, then the
/// raw `Content-Range`, its total and the next offset). Never inlined: one
/// copy serves both listings in the WebAssembly.
#[inline(never)]
pub(super) fn content_range_page(
    fields: &'static [Field],
    request: &HttpRequest,
    response: &HttpResponse,
    tags: Value,
) -> Result<(Value, Type)> {
    let content_range = response.header("content-range");
    let total = content_range
        .map(parse_content_range)
        .transpose()?
        .map(|range| range.total);
    let received = tags.as_array().map_or(0, <[Value]>::len);
    let next = requested_window(request)
        .and_then(|(offset, limit)| next_offset(offset, limit, received, total));
    let number = |n: Option<u64>| n.map_or(Value::Null, |n| Value::Int(n as i64));
    let page = Value::Object(alloc::vec![
        (Cow::Borrowed(fields[0].name), tags),
        (
            Cow::Borrowed("content_range"),
            content_range.map_or(Value::Null, Value::from),
        ),
        (Cow::Borrowed("total"), number(total)),
        (Cow::Borrowed("next_offset"), number(next)),
    ]);
    Ok((page, Type::Object(fields)))
}

/// The `(offset, limit)` a listing request asked for, from its query (the
/// separate parameters or the `filter` form).
fn requested_window(request: &HttpRequest) -> Option<(u64, u64)> {
    let get = |name: &str| {
        request
            .query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let (offset, limit) = match get("filter") {
        Some(filter) => {
            let parts = parse_filter(&filter).ok()?;
            let part = |name: &str| {
                parts
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.clone())
            };
            (part("offset")?, part("limit")?)
        }
        None => (get("offset")?, get("limit")?),
    };
    Some((offset.parse().ok()?, limit.parse().ok()?))
}

/// A `Content-Range` header: `offset-count/total` by SWR's reference
/// (`first-last/total` in HTTP's reading of the same header), or
/// `*/total` when the range is empty. An optional unit word before it
/// (`items 0-99/250`) is accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContentRange {
    /// The two numbers before the `/`, as sent: the first is the offset;
    /// the second is the page's count (SWR's reading) or its last index
    /// (HTTP's). `None` for `*/total`.
    pub range: Option<(u64, u64)>,
    /// The total number of records.
    pub total: u64,
}

/// Parses a `Content-Range` value; the error names the header and shows
/// what was received.
pub fn parse_content_range(text: &str) -> Result<ContentRange> {
    let malformed = || {
        Error::decode(format!(
            "the Content-Range header is malformed: expected offset-count/total, got {:?}",
            shorten(text, 60)
        ))
    };
    let number = |s: &str| -> Option<u64> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let trimmed = text.trim();
    // An optional unit (`items 0-9/10`), as HTTP's form has one.
    let spec = match trimmed.split_once(' ') {
        Some((unit, rest)) if unit.bytes().all(|b| b.is_ascii_alphabetic()) => rest.trim(),
        Some(_) => return Err(malformed()),
        None => trimmed,
    };
    let (range, total) = spec.split_once('/').ok_or_else(malformed)?;
    let total = number(total).ok_or_else(malformed)?;
    let range = if range == "*" {
        None
    } else {
        let (first, second) = range.split_once('-').ok_or_else(malformed)?;
        Some((
            number(first).ok_or_else(malformed)?,
            number(second).ok_or_else(malformed)?,
        ))
    };
    Ok(ContentRange { range, total })
}

/// Where the next page starts, from what was asked (`offset`, `limit`),
/// how many tags came back and the total from `Content-Range` (if any).
///
/// With a total: more pages while `offset + received < total`. Without one:
/// more pages while pages come back full. The next offset is always
/// `offset + limit`, a multiple of `limit` as the service requires. An
/// empty page ends the listing either way (so a total that shrinks while
/// paging cannot loop).
pub fn next_offset(offset: u64, limit: u64, received: usize, total: Option<u64>) -> Option<u64> {
    if received == 0 || limit == 0 {
        return None;
    }
    let more = match total {
        Some(total) => offset.saturating_add(received as u64) < total,
        None => received as u64 >= limit,
    };
    more.then(|| offset.saturating_add(limit))
}
