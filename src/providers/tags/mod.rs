//! One tag interface over the three registries: Alibaba Cloud CR (the `cr`
//! RPC API's `ListRepoTag`, `GetRepoTag`, `DeleteRepoTag`,
//! `CreateRepoTag`), Scaleway and SWR.
//!
//! A [`Registry`] says where the tags are (an Alibaba repository, a
//! Scaleway image, an SWR repository). Each operation — list one page, get,
//! delete, create where the registry can — is a [`TagCall`]: a sans-IO
//! exchange that gives the request to send ([`TagCall::request`]) and takes
//! the answer ([`TagCall::receive`]), until it has an [`Outcome`]. Most
//! calls are one exchange; some are two:
//!
//! | operation | Alibaba cr | Scaleway | SWR |
//! | --- | --- | --- | --- |
//! | list a page | `ListRepoTag` (`PageNo`/`PageSize`, `TotalCount`) | `ListTags` (`page`/`page_size`, `total_count`) | `ListRepositoryTags` (`offset`/`limit`, `Content-Range`) |
//! | sort | not offered by the API | name or creation time | creation or update time |
//! | get by name | `GetRepoTag` | `ListTags?name=` (exact) | `GET …/tags/{tag}` |
//! | get by id | — | `GetTag` | — |
//! | delete | `DeleteRepoTag` | by id: `DeleteTag`; by name: `ListTags?name=` then `DeleteTag` | `DELETE …/tags/{tag}` |
//! | create from a tag | `CreateRepoTag` then `GetRepoTag` | no such API | `POST …/tags` then `GET …/tags/{tag}` |
//!
//! Alibaba steps are [`TagRequest::Rpc`]: validated parameters that the
//! transport signs (with a fresh nonce and time, asking for JSON) and
//! sends; the REST steps are ready [`HttpRequest`](super::http::HttpRequest)s.

use alloc::borrow::Cow;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::catalog::{field, Field, Type};
use crate::error::{Error, Result};
use crate::value::Value;

use super::scaleway::ScalewayTag;
use super::swr;
use super::swr::SwrTag;
use super::time::{format_ms, parse_rfc3339_ms};

/// The registries tagdeck speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Provider {
    /// Alibaba Cloud Container Registry Enterprise Edition (`cr`).
    Alibaba,
    /// Scaleway Container Registry.
    Scaleway,
    /// Open Telekom Cloud SWR.
    Swr,
}

impl Provider {
    /// `"alibaba"`, `"scaleway"` or `"swr"`.
    pub const fn name(self) -> &'static str {
        match self {
            Provider::Alibaba => "alibaba",
            Provider::Scaleway => "scaleway",
            Provider::Swr => "swr",
        }
    }
}

/// A tag, the same shape whichever registry it comes from. Fields a
/// registry does not have are `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// Where it comes from.
    pub provider: Provider,
    /// The tag's name (`latest`).
    pub name: String,
    /// The content digest, always with its algorithm (`sha256:…`; Alibaba
    /// sends the bare hex, which gets the `sha256:` it stands for).
    pub digest: Option<String>,
    /// The image size in bytes, exact to 64 bits (Alibaba, SWR).
    pub size: Option<i64>,
    /// Creation time as RFC 3339 text.
    pub created_at: Option<String>,
    /// Creation time in Unix milliseconds, for sorting.
    pub created_ms: Option<i64>,
    /// Last update as RFC 3339 text.
    pub updated_at: Option<String>,
    /// Last update in Unix milliseconds.
    pub updated_ms: Option<i64>,
    /// The registry's own status (Alibaba `NORMAL`…, Scaleway `ready`…).
    pub status: Option<String>,
    /// The registry's own id of the tag (Scaleway's UUID, SWR's number).
    pub id: Option<String>,
    /// The image id.
    pub image_id: Option<String>,
    /// The pull address (SWR).
    pub path: Option<String>,
}

fn non_empty(text: Option<String>) -> Option<String> {
    text.filter(|t| !t.is_empty())
}

/// A digest as `algorithm:hex`: 64 bare hex digits are a SHA-256 (what
/// Alibaba's `Digest` holds); anything else is kept as sent.
fn with_algorithm(digest: String) -> String {
    if digest.len() == 64 && digest.bytes().all(|b| b.is_ascii_hexdigit()) {
        format!("sha256:{digest}")
    } else {
        digest
    }
}

impl Tag {
    /// The common view of an Alibaba tag (an `Images` item of `ListRepoTag`
    /// or the answer of `GetRepoTag`). Times there are Unix milliseconds.
    pub fn from_alibaba(value: &Value, fallback_name: Option<&str>) -> Result<Self> {
        let name = value
            .get("Tag")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .or(fallback_name)
            .ok_or_else(|| Error::decode("an Alibaba tag has no Tag"))?;
        let text = |k: &str| non_empty(value.get(k).and_then(Value::as_str).map(str::to_string));
        let created_ms = value.get("ImageCreate").and_then(Value::as_i64);
        let updated_ms = value.get("ImageUpdate").and_then(Value::as_i64);
        Ok(Tag {
            provider: Provider::Alibaba,
            name: name.to_string(),
            digest: text("Digest").map(with_algorithm),
            size: value.get("ImageSize").and_then(Value::as_i64),
            created_at: created_ms.map(format_ms),
            created_ms,
            updated_at: updated_ms.map(format_ms),
            updated_ms,
            status: text("Status"),
            id: None,
            image_id: text("ImageId"),
            path: None,
        })
    }

    /// A tag of a REST registry, which sends its times as RFC 3339 text:
    /// kept as sent, and as milliseconds; the other fields unknown.
    fn dated(
        provider: Provider,
        name: String,
        created_at: Option<String>,
        updated_at: Option<String>,
    ) -> Self {
        Tag {
            provider,
            name,
            created_ms: created_at.as_deref().and_then(parse_rfc3339_ms),
            updated_ms: updated_at.as_deref().and_then(parse_rfc3339_ms),
            created_at,
            updated_at,
            digest: None,
            size: None,
            status: None,
            id: None,
            image_id: None,
            path: None,
        }
    }

    /// The common view of a Scaleway tag.
    pub fn from_scaleway(tag: ScalewayTag) -> Self {
        Tag {
            digest: non_empty(Some(tag.digest)),
            status: Some(tag.status.as_str().to_string()),
            id: Some(tag.id),
            image_id: non_empty(Some(tag.image_id)),
            ..Tag::dated(Provider::Scaleway, tag.name, tag.created_at, tag.updated_at)
        }
    }

    /// The common view of an SWR tag.
    pub fn from_swr(tag: SwrTag) -> Self {
        Tag {
            digest: non_empty(tag.digest),
            size: tag.size,
            id: tag.id.map(|n| n.to_string()),
            image_id: non_empty(tag.image_id),
            path: non_empty(tag.path),
            ..Tag::dated(Provider::Swr, tag.tag, tag.created, tag.updated)
        }
    }

    /// The tag as a value with camelCase keys (`createdMs`, `imageId`), for
    /// the JS layer; absent fields are left out. Its shape: [`TAG_FIELDS`].
    pub fn to_value(&self) -> Value {
        let mut members: Vec<(Cow<'static, str>, Value)> = Vec::with_capacity(12);
        let mut put = |key: &'static str, value: Option<Value>| {
            if let Some(value) = value {
                members.push((Cow::Borrowed(key), value));
            }
        };
        let text = |s: &Option<String>| s.as_deref().map(Value::from);
        put("provider", Some(Value::from(self.provider.name())));
        put("name", Some(Value::from(self.name.as_str())));
        put("digest", text(&self.digest));
        put("size", self.size.map(Value::Int));
        put("createdAt", text(&self.created_at));
        put("createdMs", self.created_ms.map(Value::Int));
        put("updatedAt", text(&self.updated_at));
        put("updatedMs", self.updated_ms.map(Value::Int));
        put("status", text(&self.status));
        put("id", text(&self.id));
        put("imageId", text(&self.image_id));
        put("path", text(&self.path));
        Value::Object(members)
    }
}

/// Which tag an operation is about: its name, and the registry's own id
/// when known (from a listed [`Tag`]), which saves Scaleway a look-up.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TagRef {
    /// The tag's name.
    pub name: String,
    /// The registry's id of the tag, if known.
    pub id: Option<String>,
}

impl TagRef {
    /// A tag known by name only.
    pub fn named(name: impl Into<String>) -> Self {
        TagRef {
            name: name.into(),
            id: None,
        }
    }
}

impl From<&Tag> for TagRef {
    fn from(tag: &Tag) -> Self {
        TagRef {
            name: tag.name.clone(),
            id: tag.id.clone(),
        }
    }
}

/// A page of a listing: the page number (from 1) and its size. The same
/// for all three registries (SWR's offset is `(page - 1) * page_size`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// The page, from 1.
    pub page: u32,
    /// Tags per page.
    pub page_size: u32,
}

impl Paging {
    /// The first page of `page_size` tags.
    pub fn first(page_size: u32) -> Self {
        Paging { page: 1, page_size }
    }

    fn check(&self, max_page_size: u32) -> Result<()> {
        if self.page == 0 {
            return Err(Error::invalid("page", "pages count from 1, got 0"));
        }
        if self.page_size == 0 || self.page_size > max_page_size {
            return Err(Error::invalid(
                "pageSize",
                format!(
                    "must be between 1 and {max_page_size} for this registry, got {}",
                    self.page_size
                ),
            ));
        }
        Ok(())
    }

    /// The page after this one, if `received` tags came back out of
    /// `total` (when known). An empty page always ends the listing.
    fn next(&self, received: usize, total: Option<u64>) -> Option<Paging> {
        let offset = u64::from(self.page - 1) * u64::from(self.page_size);
        swr::next_offset(offset, u64::from(self.page_size), received, total)?;
        Some(Paging {
            page: self.page.checked_add(1)?,
            page_size: self.page_size,
        })
    }
}

/// What a listing is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    /// The tag's name.
    Name,
    /// Creation time.
    Created,
    /// Last update.
    Updated,
}

/// A sort order for a listing, where the registry offers one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    /// What to sort by.
    pub key: SortKey,
    /// Largest first.
    pub descending: bool,
}

/// One page of tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagPage {
    /// The tags of this page.
    pub tags: Vec<Tag>,
    /// How many tags there are in all, when the registry says.
    pub total: Option<u64>,
    /// The next page, when there is one.
    pub next: Option<Paging>,
}

/// The shape of [`Tag::to_value`]: what the JS layer makes of it (`size`
/// a `bigint`, exact; times in milliseconds `number`s).
pub const TAG_FIELDS: &[Field] = &[
    field("provider", Type::Str),
    field("name", Type::Str),
    field("digest", Type::Str),
    field("size", Type::Long),
    field("createdAt", Type::Str),
    field("createdMs", Type::Int),
    field("updatedAt", Type::Str),
    field("updatedMs", Type::Int),
    field("status", Type::Str),
    field("id", Type::Str),
    field("imageId", Type::Str),
    field("path", Type::Str),
];

/// The shape of [`TagPage::to_value`].
pub const TAG_PAGE_FIELDS: &[Field] = &[
    field("tags", Type::Array(&Type::Object(TAG_FIELDS))),
    field("total", Type::Int),
    field(
        "next",
        Type::Object(&[field("page", Type::Int), field("pageSize", Type::Int)]),
    ),
];

impl TagPage {
    /// The page as a value for the JS layer: `{tags, total, next}` with
    /// `next` as `{page, pageSize}` or null. Its shape: [`TAG_PAGE_FIELDS`].
    pub fn to_value(&self) -> Value {
        let next = self.next.map_or(Value::Null, |p| {
            Value::Object(alloc::vec![
                (Cow::Borrowed("page"), Value::Int(i64::from(p.page))),
                (
                    Cow::Borrowed("pageSize"),
                    Value::Int(i64::from(p.page_size))
                ),
            ])
        });
        let total = self.total.map_or(Value::Null, |n| {
            Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
        });
        Value::Object(alloc::vec![
            (
                Cow::Borrowed("tags"),
                Value::Array(self.tags.iter().map(Tag::to_value).collect())
            ),
            (Cow::Borrowed("total"), total),
            (Cow::Borrowed("next"), next),
        ])
    }
}

mod call;
pub use call::{
    AlibabaRepo, Capabilities, Outcome, Registry, ScalewayImage, SwrRepo, TagCall, TagRequest,
};
