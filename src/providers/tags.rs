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
//! sends; the REST steps are ready [`HttpRequest`]s.

use alloc::borrow::Cow;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::catalog::{field, Field, Type};
use crate::decode::decode_action;
use crate::error::{ApiError, Error, Result};
use crate::request::{prepare, Prepared};
use crate::sign::Format;
use crate::value::Value;

use super::http::{HttpRequest, HttpResponse};
use super::scaleway::{self, Scaleway, ScalewayTag};
use super::swr::{self, Swr, SwrTag};
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

    /// The common view of a Scaleway tag.
    pub fn from_scaleway(tag: ScalewayTag) -> Self {
        Tag {
            provider: Provider::Scaleway,
            created_ms: tag.created_at.as_deref().and_then(parse_rfc3339_ms),
            updated_ms: tag.updated_at.as_deref().and_then(parse_rfc3339_ms),
            name: tag.name,
            digest: non_empty(Some(tag.digest)),
            size: None,
            created_at: tag.created_at,
            updated_at: tag.updated_at,
            status: Some(tag.status.as_str().to_string()),
            id: Some(tag.id),
            image_id: non_empty(Some(tag.image_id)),
            path: None,
        }
    }

    /// The common view of an SWR tag.
    pub fn from_swr(tag: SwrTag) -> Self {
        Tag {
            provider: Provider::Swr,
            created_ms: tag.created.as_deref().and_then(parse_rfc3339_ms),
            updated_ms: tag.updated.as_deref().and_then(parse_rfc3339_ms),
            name: tag.tag,
            digest: non_empty(tag.digest),
            size: tag.size,
            created_at: tag.created,
            updated_at: tag.updated,
            status: None,
            id: tag.id.map(|n| n.to_string()),
            image_id: non_empty(tag.image_id),
            path: non_empty(tag.path),
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

/// What the registries can do through this interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    /// Whether a tag can be created from another.
    pub create: bool,
    /// The largest page size the registry accepts.
    pub max_page_size: u32,
    /// The sort keys a listing accepts.
    pub sort_keys: &'static [SortKey],
}

/// Where an Alibaba CR repository's tags are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlibabaRepo {
    /// The Enterprise Edition instance (`cri-…`).
    pub instance_id: String,
    /// The region (`cn-hangzhou`).
    pub region_id: String,
    /// The repository's id (`crr-…`), which list, get and delete take.
    pub repo_id: String,
    /// The namespace's name, which create takes.
    pub namespace_name: Option<String>,
    /// The repository's name, which create takes.
    pub repo_name: Option<String>,
}

/// Where a Scaleway image's tags are.
#[derive(Debug, Clone)]
pub struct ScalewayImage {
    /// The client configuration (region, secret key).
    pub client: Scaleway,
    /// The image's UUID (see `ListNamespaces` and `ListImages` to find it).
    pub image_id: String,
}

/// Where an SWR repository's tags are.
#[derive(Debug, Clone)]
pub struct SwrRepo {
    /// The client configuration (IAM token).
    pub client: Swr,
    /// The organization.
    pub namespace: String,
    /// The repository.
    pub repository: String,
}

/// A registry's tags, through the one interface.
#[derive(Debug, Clone)]
pub enum Registry {
    /// An Alibaba CR repository.
    Alibaba(AlibabaRepo),
    /// A Scaleway image.
    Scaleway(ScalewayImage),
    /// An SWR repository.
    Swr(SwrRepo),
}

/// A request of a [`TagCall`].
#[derive(Debug, Clone, PartialEq)]
pub enum TagRequest {
    /// An Alibaba `cr` RPC call: validated parameters (`Action` first) for
    /// the transport to sign with a fresh nonce and time and send, asking
    /// for `Format=JSON`.
    Rpc(Prepared),
    /// A REST request, ready to send.
    Http(HttpRequest),
}

/// What a finished [`TagCall`] gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A listing's page.
    Page(TagPage),
    /// One tag (get, or the tag a create made).
    Tag(Tag),
    /// A delete went through; Scaleway answers the deleted tag.
    Deleted(Option<Tag>),
}

/// Whether a Scaleway delete is forced.
#[derive(Debug, Clone, Copy)]
struct Force(bool);

impl Force {
    /// `force=true` only when asked: the switch is deprecated, and an
    /// unforced delete is the documented default.
    fn param(self) -> Option<bool> {
        self.0.then_some(true)
    }
}

/// Where an exchange is.
#[derive(Debug, Clone)]
enum Step {
    /// A page was asked for.
    List(Paging),
    /// One tag was asked for (by name or id).
    Get { name: String },
    /// Scaleway: the tag's id is being looked up by name, to get it or
    /// (when `delete` is set) to delete it, forced or not.
    FindByName { name: String, delete: Option<Force> },
    /// A delete was sent.
    Delete,
    /// A create was sent; the new tag is read next.
    Create { destination: String },
}

/// One operation in progress: send [`TagCall::request`], give the answer
/// to [`TagCall::receive`], and repeat while it answers `None`.
#[derive(Debug, Clone)]
pub struct TagCall {
    registry: Registry,
    step: Step,
    request: TagRequest,
}

impl Registry {
    /// Which registry this is.
    pub fn provider(&self) -> Provider {
        match self {
            Registry::Alibaba(_) => Provider::Alibaba,
            Registry::Scaleway(_) => Provider::Scaleway,
            Registry::Swr(_) => Provider::Swr,
        }
    }

    /// What it can do here.
    pub fn capabilities(&self) -> Capabilities {
        match self {
            Registry::Alibaba(_) => Capabilities {
                create: true,
                max_page_size: 100,
                sort_keys: &[],
            },
            Registry::Scaleway(_) => Capabilities {
                create: false,
                max_page_size: 100,
                sort_keys: &[SortKey::Name, SortKey::Created],
            },
            Registry::Swr(_) => Capabilities {
                create: true,
                max_page_size: swr::MAX_LIMIT as u32,
                sort_keys: &[SortKey::Created, SortKey::Updated],
            },
        }
    }

    /// Lists one page, in the registry's order or sorted by `sort`.
    pub fn list(&self, paging: Paging, sort: Option<Sort>) -> Result<TagCall> {
        paging.check(self.capabilities().max_page_size)?;
        if let Some(sort) = sort {
            if !self.capabilities().sort_keys.contains(&sort.key) {
                return Err(Error::invalid(
                    "sort",
                    format!(
                        "{} cannot sort tags by {}",
                        self.provider().name(),
                        sort_key_name(sort.key)
                    ),
                ));
            }
        }
        let request = match self {
            Registry::Alibaba(repo) => rpc(
                "ListRepoTag",
                alibaba_params(
                    repo,
                    &[
                        ("RepoId", Value::from(repo.repo_id.as_str())),
                        ("PageNo", Value::Int(i64::from(paging.page))),
                        ("PageSize", Value::Int(i64::from(paging.page_size))),
                    ],
                ),
            )?,
            Registry::Scaleway(image) => {
                let order_by = sort.map(|s| match (s.key, s.descending) {
                    (SortKey::Name, false) => "name_asc",
                    (SortKey::Name, true) => "name_desc",
                    (_, false) => "created_at_asc",
                    (_, true) => "created_at_desc",
                });
                TagRequest::Http(image.client.list_tags(&scaleway::ListTags {
                    image_id: &image.image_id,
                    page: Some(paging.page),
                    page_size: Some(paging.page_size),
                    order_by,
                    name: None,
                })?)
            }
            Registry::Swr(repo) => {
                let offset = u64::from(paging.page - 1) * u64::from(paging.page_size);
                let order_column = sort.map(|s| match s.key {
                    SortKey::Created => "created_at",
                    // Names are refused above (not in `sort_keys`).
                    SortKey::Updated | SortKey::Name => "updated_at",
                });
                let order_type = sort.map(|s| if s.descending { "desc" } else { "asc" });
                TagRequest::Http(repo.client.list_tags(&swr::ListTags {
                    namespace: &repo.namespace,
                    repository: &repo.repository,
                    offset: Some(offset),
                    limit: Some(paging.page_size),
                    order_column,
                    order_type,
                    tag: None,
                    as_filter: false,
                })?)
            }
        };
        Ok(self.call(Step::List(paging), request))
    }

    /// Reads one tag. Scaleway reads by id when `tag.id` is known, else
    /// looks the name up (exact match).
    pub fn get(&self, tag: &TagRef) -> Result<TagCall> {
        check_name("tag", &tag.name, tag.id.is_some())?;
        let (step, request) = match self {
            Registry::Alibaba(repo) => (
                Step::Get {
                    name: tag.name.clone(),
                },
                alibaba_tag_call("GetRepoTag", repo, &tag.name)?,
            ),
            Registry::Scaleway(image) => match &tag.id {
                Some(id) => (
                    Step::Get {
                        name: tag.name.clone(),
                    },
                    TagRequest::Http(image.client.get_tag(id)?),
                ),
                None => scaleway_find(image, &tag.name, None)?,
            },
            Registry::Swr(repo) => (
                Step::Get {
                    name: tag.name.clone(),
                },
                TagRequest::Http(repo.client.get_tag(
                    &repo.namespace,
                    &repo.repository,
                    &tag.name,
                )?),
            ),
        };
        Ok(self.call(step, request))
    }

    /// Deletes one tag. Scaleway deletes by id, looking the name up first
    /// when the id is not known.
    ///
    /// `force` matters to Scaleway only: it refuses to delete a tag whose
    /// digest another tag of the image shares unless `force=true` (a
    /// deprecated switch; whether it then removes the other tags too is not
    /// documented). tagdeck never forces on its own. Alibaba and SWR delete
    /// just the tag either way.
    pub fn delete(&self, tag: &TagRef, force: bool) -> Result<TagCall> {
        check_name("tag", &tag.name, tag.id.is_some())?;
        let (step, request) = match self {
            Registry::Alibaba(repo) => (
                Step::Delete,
                alibaba_tag_call("DeleteRepoTag", repo, &tag.name)?,
            ),
            Registry::Scaleway(image) => match &tag.id {
                Some(id) => (
                    Step::Delete,
                    TagRequest::Http(image.client.delete_tag(id, Force(force).param())?),
                ),
                None => scaleway_find(image, &tag.name, Some(Force(force)))?,
            },
            Registry::Swr(repo) => (
                Step::Delete,
                TagRequest::Http(repo.client.delete_tag(
                    &repo.namespace,
                    &repo.repository,
                    &tag.name,
                )?),
            ),
        };
        Ok(self.call(step, request))
    }

    /// Creates `destination` pointing at the image of `source`, then reads
    /// it back. `overwrite` replaces an existing `destination` (SWR's
    /// `override`); Alibaba's `CreateRepoTag` has no such switch, so only
    /// `false` is accepted there. Scaleway has no API to create a tag
    /// (tags come from pushing an image): refused before any request.
    pub fn create(&self, source: &str, destination: &str, overwrite: bool) -> Result<TagCall> {
        let request = match self {
            Registry::Scaleway(_) => {
                return Err(Error::UnknownAction {
                    action: "CreateTag".to_string(),
                })
            }
            Registry::Alibaba(repo) => {
                super::check_docker_tag("FromTag", source)?;
                super::check_docker_tag("ToTag", destination)?;
                if overwrite {
                    return Err(Error::invalid(
                        "overwrite",
                        "Alibaba's CreateRepoTag has no option to overwrite an existing tag",
                    ));
                }
                let namespace = repo
                    .namespace_name
                    .as_deref()
                    .ok_or_else(|| Error::missing("NamespaceName"))?;
                let name = repo
                    .repo_name
                    .as_deref()
                    .ok_or_else(|| Error::missing("RepoName"))?;
                rpc(
                    "CreateRepoTag",
                    alibaba_params(
                        repo,
                        &[
                            ("NamespaceName", Value::from(namespace)),
                            ("RepoName", Value::from(name)),
                            ("FromTag", Value::from(source)),
                            ("ToTag", Value::from(destination)),
                        ],
                    ),
                )?
            }
            Registry::Swr(repo) => TagRequest::Http(repo.client.create_tag(
                &repo.namespace,
                &repo.repository,
                source,
                destination,
                Some(overwrite),
            )?),
        };
        Ok(self.call(
            Step::Create {
                destination: destination.to_string(),
            },
            request,
        ))
    }

    fn call(&self, step: Step, request: TagRequest) -> TagCall {
        TagCall {
            registry: self.clone(),
            step,
            request,
        }
    }
}

fn sort_key_name(key: SortKey) -> &'static str {
    match key {
        SortKey::Name => "name",
        SortKey::Created => "creation time",
        SortKey::Updated => "update time",
    }
}

/// A tag name must be a Docker tag, unless the registry's id addresses it
/// (then the name is informational and may be empty).
fn check_name(param: &str, name: &str, has_id: bool) -> Result<()> {
    if has_id && name.is_empty() {
        return Ok(());
    }
    super::check_docker_tag(param, name).map(|_| ())
}

fn rpc(action: &str, params: Vec<(&'static str, Value)>) -> Result<TagRequest> {
    Ok(TagRequest::Rpc(prepare(action, &params)?))
}

/// The instance every Alibaba tag call takes, then `own` (the region is in
/// the endpoint: no tag operation has a `RegionId` parameter).
fn alibaba_params(repo: &AlibabaRepo, own: &[(&'static str, Value)]) -> Vec<(&'static str, Value)> {
    let mut params = alloc::vec![("InstanceId", Value::from(repo.instance_id.as_str()))];
    params.extend(own.iter().cloned());
    params
}

fn alibaba_tag_call(action: &str, repo: &AlibabaRepo, tag: &str) -> Result<TagRequest> {
    rpc(
        action,
        alibaba_params(
            repo,
            &[
                ("RepoId", Value::from(repo.repo_id.as_str())),
                ("Tag", Value::from(tag)),
            ],
        ),
    )
}

fn scaleway_find(
    image: &ScalewayImage,
    name: &str,
    delete: Option<Force>,
) -> Result<(Step, TagRequest)> {
    let request = image.client.list_tags(&scaleway::ListTags {
        image_id: &image.image_id,
        name: Some(name),
        ..Default::default()
    })?;
    Ok((
        Step::FindByName {
            name: name.to_string(),
            delete,
        },
        TagRequest::Http(request),
    ))
}

impl TagCall {
    /// The request to send now.
    pub fn request(&self) -> &TagRequest {
        &self.request
    }

    /// Which registry it runs against.
    pub fn provider(&self) -> Provider {
        self.registry.provider()
    }

    /// Takes the answer to [`TagCall::request`]. `Some` when the call is
    /// finished; `None` when [`TagCall::request`] now holds a follow-up
    /// request to send. An error answer ends the call with that error.
    /// (An RPC answer is read as JSON: the transport asks for `Format=JSON`.)
    pub fn receive(&mut self, response: &HttpResponse) -> Result<Option<Outcome>> {
        match &self.request {
            TagRequest::Rpc(prepared) => {
                let answer = decode_action(
                    prepared.operation.action,
                    response.status,
                    &response.body,
                    Format::Json,
                )?;
                self.receive_decoded(&answer)
            }
            TagRequest::Http(_) => self.receive_rest(response),
        }
    }

    /// Takes the answer to an RPC request already decoded by the transport
    /// (a client that signs, retries and decodes, and turns error answers
    /// into errors itself). Like [`TagCall::receive`] otherwise.
    pub fn receive_decoded(&mut self, answer: &Value) -> Result<Option<Outcome>> {
        let (Registry::Alibaba(repo), TagRequest::Rpc(_)) = (&self.registry, &self.request) else {
            return Err(Error::decode(
                "a decoded answer was given to a REST step: give it the HTTP response",
            ));
        };
        match self.step.clone() {
            Step::List(paging) => {
                let tags = answer
                    .get("Images")
                    .and_then(Value::as_array)
                    .unwrap_or(&[])
                    .iter()
                    .map(|v| Tag::from_alibaba(v, None))
                    .collect::<Result<Vec<_>>>()?;
                let total = answer
                    .get("TotalCount")
                    .and_then(Value::as_i64)
                    .and_then(|n| u64::try_from(n).ok());
                Ok(Some(page(paging, tags, total)))
            }
            Step::Get { name } => Ok(Some(Outcome::Tag(Tag::from_alibaba(answer, Some(&name))?))),
            Step::Delete => Ok(Some(Outcome::Deleted(None))),
            Step::Create { destination } => {
                let request = alibaba_tag_call("GetRepoTag", repo, &destination)?;
                self.follow(Step::Get { name: destination }, request)
            }
            Step::FindByName { .. } => Err(inconsistent()),
        }
    }

    fn receive_rest(&mut self, response: &HttpResponse) -> Result<Option<Outcome>> {
        match (&self.registry, self.step.clone()) {
            (Registry::Scaleway(_), Step::List(paging)) => {
                let list = scaleway::decode_tag_list(response)?;
                let tags = list.tags.into_iter().map(Tag::from_scaleway).collect();
                Ok(Some(page(paging, tags, Some(list.total_count))))
            }
            (Registry::Scaleway(_), Step::Get { .. }) => Ok(Some(Outcome::Tag(
                Tag::from_scaleway(scaleway::decode_tag(response)?),
            ))),
            (Registry::Scaleway(_), Step::Delete) => Ok(Some(Outcome::Deleted(Some(
                Tag::from_scaleway(scaleway::decode_tag(response)?),
            )))),
            (Registry::Scaleway(image), Step::FindByName { name, delete }) => {
                let list = scaleway::decode_tag_list(response)?;
                let Some(found) = list.tags.into_iter().find(|t| t.name == name) else {
                    return Err(Error::api_error(ApiError {
                        code: "not_found".to_string(),
                        message: format!(
                            "no tag named {name:?} in image {} (looked up with ListTags name={name})",
                            image.image_id
                        ),
                        http_status: 404,
                        request_id: response.request_id(),
                        ..ApiError::default()
                    }));
                };
                let Some(force) = delete else {
                    return Ok(Some(Outcome::Tag(Tag::from_scaleway(found))));
                };
                let request = image.client.delete_tag(&found.id, force.param())?;
                self.follow(Step::Delete, TagRequest::Http(request))
            }
            (Registry::Swr(_), Step::List(paging)) => {
                let offset = u64::from(paging.page - 1) * u64::from(paging.page_size);
                let swr_page =
                    swr::decode_tag_page(response, Some((offset, u64::from(paging.page_size))))?;
                let total = swr_page.range.map(|r| r.total);
                let tags = swr_page.tags.into_iter().map(Tag::from_swr).collect();
                Ok(Some(page(paging, tags, total)))
            }
            (Registry::Swr(_), Step::Get { .. }) => Ok(Some(Outcome::Tag(Tag::from_swr(
                swr::decode_tag(response)?,
            )))),
            (Registry::Swr(_), Step::Delete) => {
                swr::decode_empty("DeleteRepoTag", response)?;
                Ok(Some(Outcome::Deleted(None)))
            }
            (Registry::Swr(repo), Step::Create { destination }) => {
                swr::decode_empty("CreateRepoTag", response)?;
                let request =
                    repo.client
                        .get_tag(&repo.namespace, &repo.repository, &destination)?;
                self.follow(Step::Get { name: destination }, TagRequest::Http(request))
            }
            // Alibaba steps are RPC requests; Scaleway never creates; only
            // Scaleway looks names up.
            (Registry::Alibaba(_), _)
            | (Registry::Swr(_), Step::FindByName { .. })
            | (Registry::Scaleway(_), Step::Create { .. }) => Err(inconsistent()),
        }
    }

    fn follow(&mut self, step: Step, request: TagRequest) -> Result<Option<Outcome>> {
        self.step = step;
        self.request = request;
        Ok(None)
    }
}

/// A step this registry never starts (a bug, reported rather than panicking).
fn inconsistent() -> Error {
    Error::decode("this registry has no such step (a TagCall was built inconsistently)")
}

fn page(paging: Paging, tags: Vec<Tag>, total: Option<u64>) -> Outcome {
    let next = paging.next(tags.len(), total);
    Outcome::Page(TagPage { tags, total, next })
}
