//! The registries and the calls of the common tag interface: where a
//! repository's tags are ([`Registry`]) and each operation as a sans-IO
//! exchange ([`TagCall`]); see the parent module for the table of what each
//! registry is asked.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::decode::decode_action;
use crate::error::{ApiError, Error, Result};
use crate::request::{prepare, Prepared};
use crate::sign::Format;
use crate::value::Value;

use crate::providers::http::{HttpRequest, HttpResponse};
use crate::providers::scaleway::{self, Scaleway};
use crate::providers::swr::{self, Swr};

use super::{Paging, Provider, Sort, SortKey, Tag, TagPage, TagRef};

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

impl ScalewayImage {
    /// The request of `GetTag` or `DeleteTag` (with `force` when given)
    /// for the tag with this id.
    fn tag_request(
        &self,
        operation: &str,
        tag_id: &str,
        force: Option<bool>,
    ) -> Result<HttpRequest> {
        self.client.request(
            operation,
            &[
                ("tag_id", Value::from(tag_id)),
                ("force", force.map_or(Value::Null, Value::Bool)),
            ],
        )
    }
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

impl SwrRepo {
    /// The request of `ShowRepoTag` or `DeleteRepoTag` for the tag `tag`.
    pub(crate) fn tag_request(&self, operation: &str, tag: &str) -> Result<HttpRequest> {
        self.client.request(
            operation,
            &[
                ("namespace", Value::from(self.namespace.as_str())),
                ("repository", Value::from(self.repository.as_str())),
                ("tag", Value::from(tag)),
            ],
        )
    }
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
                TagRequest::Http(image.client.request(
                    "ListTags",
                    &[
                        ("image_id", Value::from(image.image_id.as_str())),
                        ("page", Value::Int(paging.page.into())),
                        ("page_size", Value::Int(paging.page_size.into())),
                        ("order_by", order_by.map_or(Value::Null, Value::from)),
                    ],
                )?)
            }
            Registry::Swr(repo) => {
                let offset = u64::from(paging.page - 1) * u64::from(paging.page_size);
                let order_column = sort.map(|s| match s.key {
                    SortKey::Created => "created_at",
                    // Names are refused above (not in `sort_keys`).
                    SortKey::Updated | SortKey::Name => "updated_at",
                });
                let order_type = sort.map(|s| if s.descending { "desc" } else { "asc" });
                TagRequest::Http(repo.client.request(
                    "ListRepositoryTags",
                    &[
                        ("namespace", Value::from(repo.namespace.as_str())),
                        ("repository", Value::from(repo.repository.as_str())),
                        ("offset", Value::Int(offset as i64)),
                        ("limit", Value::Int(paging.page_size.into())),
                        (
                            "order_column",
                            order_column.map_or(Value::Null, Value::from),
                        ),
                        ("order_type", order_type.map_or(Value::Null, Value::from)),
                    ],
                )?)
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
                    TagRequest::Http(image.tag_request("GetTag", id, None)?),
                ),
                None => scaleway_find(image, &tag.name, None)?,
            },
            Registry::Swr(repo) => (
                Step::Get {
                    name: tag.name.clone(),
                },
                TagRequest::Http(repo.tag_request("ShowRepoTag", &tag.name)?),
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
                    TagRequest::Http(image.tag_request("DeleteTag", id, Force(force).param())?),
                ),
                None => scaleway_find(image, &tag.name, Some(Force(force)))?,
            },
            Registry::Swr(repo) => (
                Step::Delete,
                TagRequest::Http(repo.tag_request("DeleteRepoTag", &tag.name)?),
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
                crate::providers::check_docker_tag("FromTag", source)?;
                crate::providers::check_docker_tag("ToTag", destination)?;
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
            Registry::Swr(repo) => TagRequest::Http(repo.client.request(
                "CreateRepoTag",
                &[
                    ("namespace", Value::from(repo.namespace.as_str())),
                    ("repository", Value::from(repo.repository.as_str())),
                    ("source_tag", Value::from(source)),
                    ("destination_tag", Value::from(destination)),
                    ("override", Value::Bool(overwrite)),
                ],
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
    crate::providers::check_docker_tag(param, name).map(|_| ())
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
    let request = image.client.request(
        "ListTags",
        &[
            ("image_id", Value::from(image.image_id.as_str())),
            ("name", Value::from(name)),
        ],
    )?;
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
                let request = image.tag_request("DeleteTag", &found.id, force.param())?;
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
                let request = repo.tag_request("ShowRepoTag", &destination)?;
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
