//! SWR's tag answers as Rust types, for Rust users of the core: a tag, a
//! page of them with its `Content-Range`, and the decoders that make them.

use alloc::string::String;
use alloc::vec::Vec;

use crate::error::Result;
use crate::value::Value;

use super::super::http::HttpResponse;
use super::super::rest::{boolean, integer, required_text, text};
use super::{next_offset, parse_content_range, ContentRange, API};

/// One tag as SWR describes it (the SWR API reference's tag fields). Sizes and ids are
/// 64-bit and exact.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SwrTag {
    /// Its numeric id.
    pub id: Option<i64>,
    /// The repository's numeric id.
    pub repo_id: Option<i64>,
    /// The tag's name (`Tag` on the wire, capital T).
    pub tag: String,
    /// The image id.
    pub image_id: Option<String>,
    /// The image manifest (JSON text).
    pub manifest: Option<String>,
    /// The image's SHA digest.
    pub digest: Option<String>,
    /// Docker manifest schema, 1 or 2.
    pub schema: Option<i64>,
    /// External pull address `{registry}/{namespace}/{repository}:{tag}`.
    pub path: Option<String>,
    /// Internal pull address.
    pub internal_path: Option<String>,
    /// Size in bytes, 0 to 9223372036854775807.
    pub size: Option<i64>,
    /// Whether the image is trusted (false by default).
    pub is_trusted: bool,
    /// Creation time (UTC).
    pub created: Option<String>,
    /// Update time (UTC).
    pub updated: Option<String>,
    /// Deletion time (usually null).
    pub deleted: Option<String>,
    /// The account id.
    pub domain_id: Option<String>,
    /// 0: manifest; 1: manifest list.
    pub tag_type: Option<i64>,
}

impl SwrTag {
    /// Reads a decoded tag object.
    pub fn from_value(value: &Value) -> Result<Self> {
        Ok(SwrTag {
            id: integer(value, "id"),
            repo_id: integer(value, "repo_id"),
            tag: required_text(value, "Tag", "an SWR tag")?,
            image_id: text(value, "image_id"),
            manifest: text(value, "manifest"),
            digest: text(value, "digest"),
            schema: integer(value, "schema"),
            path: text(value, "path"),
            internal_path: text(value, "internal_path"),
            size: integer(value, "size"),
            is_trusted: boolean(value, "is_trusted").unwrap_or(false),
            created: text(value, "created"),
            updated: text(value, "updated"),
            deleted: text(value, "deleted"),
            domain_id: text(value, "domain_id"),
            tag_type: integer(value, "tag_type"),
        })
    }
}

/// One page of tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagPage {
    /// The tags of this page.
    pub tags: Vec<SwrTag>,
    /// The `Content-Range` header, when the answer had one.
    pub range: Option<ContentRange>,
    /// The offset of the next page, when there is one.
    pub next_offset: Option<u64>,
}

/// Decodes the answer of the operation called `operation` into a value
/// (the generic path the JS layer uses).
pub fn decode(operation: &str, response: &HttpResponse) -> Result<Value> {
    API.decode(API.operation(operation)?, response)
}

/// Decodes a `ListRepositoryTags` answer. `requested` is the `(offset,
/// limit)` that was sent, if any; it decides where the next page starts.
pub fn decode_tag_page(response: &HttpResponse, requested: Option<(u64, u64)>) -> Result<TagPage> {
    let value = decode("ListRepositoryTags", response)?;
    let tags: Vec<SwrTag> = value
        .as_array()
        .unwrap_or(&[])
        .iter()
        .map(SwrTag::from_value)
        .collect::<Result<_>>()?;
    let range = response
        .header("content-range")
        .map(parse_content_range)
        .transpose()?;
    let next_offset = requested
        .and_then(|(offset, limit)| next_offset(offset, limit, tags.len(), range.map(|r| r.total)));
    Ok(TagPage {
        tags,
        range,
        next_offset,
    })
}

/// Decodes a `ShowRepoTag` answer: one tag object.
pub fn decode_tag(response: &HttpResponse) -> Result<SwrTag> {
    SwrTag::from_value(&decode("ShowRepoTag", response)?)
}

/// Decodes a `DeleteRepoTag` or `CreateRepoTag` answer (success has no
/// body worth reading).
pub fn decode_empty(operation: &str, response: &HttpResponse) -> Result<()> {
    decode(operation, response).map(|_| ())
}
