//! The one tag interface over every registry: `TagRepository`, from
//! `client.repository(locator)` (Alibaba) or `registry.repository(locator)`
//! (Scaleway, SWR). `listTags` (one page), `getTag`, `deleteTag`,
//! `createTag` where the registry can: the core's [`TagCall`] steps over
//! the registry's own transport (retries, timeouts), as its native methods
//! run. `allTags()` (a snapshot, sorted here where the registry cannot)
//! and `deleteTags()` (paced, one report) are JavaScript: `bulk.js`.

use alloc::boxed::Box;
use alloc::format;
use alloc::rc::Rc;
use alloc::string::{String, ToString};

use js_sys::{Array, Object, Promise, Reflect};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use super::client::Settings;
use super::convert::{describe, is_plain_object};
use super::errors::Failure;
use super::options::Options;
use super::promise::promise;
use super::registries::{reject, RestClient};
use super::tape::{value_to_js, Naming};
use crate::catalog::Type;
use crate::error::Error;
use crate::providers::tags::{
    Outcome, Paging, Registry, Sort, SortKey, Tag, TagCall, TagPage, TagRef, TagRequest,
    TAG_FIELDS, TAG_PAGE_FIELDS,
};

/// The page size the common interface asks for when not told.
const DEFAULT_PAGE_SIZE: u32 = 100;
/// No operation of the common interface takes more exchanges than this.
const MAX_STEPS: usize = 4;

#[wasm_bindgen(module = "/src/wasm/bulk.js")]
extern "C" {
    /// `repository.deleteTags(tags, options)`, over `__deleteTagOnce`.
    #[wasm_bindgen(js_name = deleteTagsOf)]
    fn delete_tags_of(repository: JsValue, tags: &JsValue, options: &JsValue) -> Promise;
    /// The same pacing over a delete function of the caller's.
    #[wasm_bindgen(js_name = deleteTagsWith)]
    fn paced_deletes_with(delete_one: &JsValue, tags: &JsValue, options: &JsValue) -> Promise;
    /// `allTags()`'s iterator over a snapshot of every page.
    #[wasm_bindgen(js_name = tagSnapshot)]
    fn tag_snapshot(
        repository: JsValue,
        page_size: u32,
        sort: &JsValue,
        server_sorts: bool,
    ) -> JsValue;
}

/// `deleteTagsWith(deleteOne, tags, options)`: `deleteTags`'s pacing and
/// report over any function that deletes one tag with one request (a
/// proxy's, say). Typed in `api.d.ts`.
#[wasm_bindgen(js_name = deleteTagsWith, skip_typescript)]
pub fn delete_tags_with(delete_one: JsValue, tags: JsValue, options: JsValue) -> Promise {
    paced_deletes_with(&delete_one, &tags, &options)
}

/// How a repository's requests travel.
#[derive(Debug, Clone)]
pub(super) enum Carrier {
    /// Alibaba: the `Client` signs, retries and decodes.
    Rpc(Rc<Settings>),
    /// Scaleway, SWR.
    Rest(Rc<RestClient>),
}

#[derive(Debug)]
pub(super) struct RepositoryInner {
    pub(super) registry: Registry,
    carrier: Carrier,
}

impl RepositoryInner {
    /// Runs a call's steps to its outcome; each request sent once when not
    /// `retry`.
    pub(super) async fn run(&self, mut call: TagCall, retry: bool) -> Result<Outcome, Failure> {
        for _ in 0..MAX_STEPS {
            let outcome = match (call.request(), &self.carrier) {
                (TagRequest::Rpc(prepared), Carrier::Rpc(settings)) => {
                    let answer = settings.execute_value(prepared, retry).await?;
                    call.receive_decoded(&answer)?
                }
                (TagRequest::Http(request), Carrier::Rest(rest)) => {
                    let answer = rest.send(request, retry).await?;
                    call.receive(&answer)?
                }
                _ => {
                    return Err(Failure::from(Error::decode(
                        "a request of one registry was given to another's transport",
                    )))
                }
            };
            if let Some(outcome) = outcome {
                return Ok(outcome);
            }
        }
        Err(Failure::from(Error::decode(format!(
            "the operation took more than {MAX_STEPS} exchanges"
        ))))
    }
}

/// One repository's tags through the common interface.
#[wasm_bindgen]
#[derive(Debug, Clone)]
pub struct TagRepository {
    pub(super) inner: Rc<RepositoryInner>,
}

impl TagRepository {
    pub(super) fn new(registry: Registry, carrier: Carrier) -> Self {
        TagRepository {
            inner: Rc::new(RepositoryInner { registry, carrier }),
        }
    }

    /// Runs `call` (refused already when it could not be built), retrying
    /// as the transport's policy allows unless `once`. Not generic, so that
    /// the operations share one future's code.
    fn start(
        &self,
        call: Result<TagCall, Failure>,
        finish: fn(Outcome) -> Result<JsValue, Failure>,
        once: bool,
    ) -> Promise {
        let call = match call {
            Ok(call) => call,
            Err(failure) => return reject(failure),
        };
        let inner = Rc::clone(&self.inner);
        promise(Box::pin(async move {
            inner.run(call, !once).await.and_then(finish)
        }))
    }

    fn delete_call(&self, tag: &JsValue, force: bool) -> Result<TagCall, Failure> {
        Ok(self.inner.registry.delete(&tag_ref(tag)?, force)?)
    }
}

#[wasm_bindgen]
impl TagRepository {
    /// `"alibaba"`, `"scaleway"` or `"swr"`.
    #[wasm_bindgen(getter, unchecked_return_type = "Provider")]
    pub fn provider(&self) -> String {
        self.inner.registry.provider().name().to_string()
    }

    /// What this registry can do here.
    #[wasm_bindgen(getter, unchecked_return_type = "TagCapabilities")]
    pub fn capabilities(&self) -> JsValue {
        let caps = self.inner.registry.capabilities();
        let object = Object::new();
        set(&object, "create", &JsValue::from_bool(caps.create));
        set(
            &object,
            "maxPageSize",
            &JsValue::from_f64(f64::from(caps.max_page_size)),
        );
        let keys: Array = caps
            .sort_keys
            .iter()
            .map(|k| JsValue::from_str(sort_key_name(*k)))
            .collect();
        set(&object, "sortKeys", &keys);
        object.into()
    }

    /// One page of tags.
    #[wasm_bindgen(js_name = listTags, unchecked_return_type = "Promise<TagPage>")]
    pub fn list_tags(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ListTagsOptions")] options: Option<JsValue>,
    ) -> Promise {
        let registry = &self.inner.registry;
        let options = options.unwrap_or(JsValue::UNDEFINED);
        let call = list_options(&options, true, registry)
            .and_then(|(paging, sort)| Ok(registry.list(paging, sort)?));
        self.start(
            call,
            |outcome| match outcome {
                Outcome::Page(page) => page_to_js(&page),
                other => unexpected(other),
            },
            false,
        )
    }

    /// Every tag that exists when the iteration starts, exactly once:
    /// `for await (const tag of repo.allTags())`. Every page is listed
    /// before the first tag is yielded, so deleting while iterating skips
    /// none; a `sort` the registry cannot do is done here.
    #[wasm_bindgen(js_name = allTags, unchecked_return_type = "AsyncGenerator<Tag, void, undefined>")]
    pub fn all_tags(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "Omit<ListTagsOptions, \"page\">")] options: Option<
            JsValue,
        >,
    ) -> Result<JsValue, JsValue> {
        let registry = &self.inner.registry;
        let options = options.unwrap_or(JsValue::UNDEFINED);
        let (paging, sort) = list_options(&options, false, registry).map_err(Failure::into_js)?;
        let server_sorts = sort.is_some_and(|s| registry.capabilities().sort_keys.contains(&s.key));
        // Checked now, so a bad page size throws here, not later.
        registry
            .list(paging, sort.filter(|_| server_sorts))
            .map_err(|e| Failure::from(e).into_js())?;
        let sort = if sort.is_some() {
            Options::new(&options, "options", &["pageSize", "sort"])
                .map_err(Failure::into_js)?
                .get("sort")
        } else {
            JsValue::UNDEFINED
        };
        Ok(tag_snapshot(
            self.clone().into(),
            paging.page_size,
            &sort,
            server_sorts,
        ))
    }

    /// One tag, by name or as a listed `Tag`.
    #[wasm_bindgen(js_name = getTag, unchecked_return_type = "Promise<Tag>")]
    pub fn get_tag(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TagRef")] tag: JsValue,
    ) -> Promise {
        let call = tag_ref(&tag).and_then(|tag| Ok(self.inner.registry.get(&tag)?));
        self.start(call, tag_outcome, false)
    }

    /// Deletes a tag; resolves to the deleted tag where the registry says
    /// (Scaleway), else `null`. `{ force: true }` is for Scaleway, which
    /// refuses to delete a tag whose digest another tag shares unless
    /// forced; it is never forced otherwise.
    #[wasm_bindgen(js_name = deleteTag, unchecked_return_type = "Promise<Tag | null>")]
    pub fn delete_tag(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TagRef")] tag: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "{ force?: boolean }")] options: Option<
            JsValue,
        >,
    ) -> Promise {
        let call = flag_option(options, "force").and_then(|force| self.delete_call(&tag, force));
        self.start(call, deleted_outcome, false)
    }

    /// `deleteTag` with each request sent once: `deleteTags` (`bulk.js`)
    /// paces and counts the retries itself.
    #[wasm_bindgen(js_name = __deleteTagOnce, skip_typescript)]
    pub fn delete_tag_once(&self, tag: JsValue, force: bool) -> Promise {
        self.start(self.delete_call(&tag, force), deleted_outcome, true)
    }

    /// Deletes many tags, paced to the registry's limits, and resolves to
    /// a report of every tag (`bulk.js`). Typed in `api.d.ts`.
    #[wasm_bindgen(js_name = deleteTags, skip_typescript)]
    pub fn delete_tags(&self, tags: JsValue, options: JsValue) -> Promise {
        delete_tags_of(self.clone().into(), &tags, &options)
    }

    /// Creates `destination` from `source` and resolves to the new tag.
    /// Rejects with `InvalidApi.NotFound` where the registry has no such
    /// API (Scaleway), before any request.
    #[wasm_bindgen(js_name = createTag, unchecked_return_type = "Promise<Tag>")]
    pub fn create_tag(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] source: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] destination: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "{ overwrite?: boolean }")] options: Option<
            JsValue,
        >,
    ) -> Promise {
        let call = (|| {
            let source = string_arg(&source, "source")?;
            let destination = string_arg(&destination, "destination")?;
            let overwrite = flag_option(options, "overwrite")?;
            Ok(self
                .inner
                .registry
                .create(&source, &destination, overwrite)?)
        })();
        self.start(call, tag_outcome, false)
    }
}

fn tag_outcome(outcome: Outcome) -> Result<JsValue, Failure> {
    match outcome {
        Outcome::Tag(tag) => tag_to_js(&tag),
        other => unexpected(other),
    }
}

fn deleted_outcome(outcome: Outcome) -> Result<JsValue, Failure> {
    match outcome {
        Outcome::Deleted(tag) => tag.as_ref().map_or(Ok(JsValue::NULL), tag_to_js),
        other => unexpected(other),
    }
}

/// An outcome the operation never gives (a bug), as an error rather than a
/// panic. Named by its kind: formatting it whole would link `Debug` for
/// every type a tag holds.
pub(super) fn unexpected(outcome: Outcome) -> Result<JsValue, Failure> {
    let kind = match outcome {
        Outcome::Page(_) => "a page of tags",
        Outcome::Tag(_) => "a tag",
        Outcome::Deleted(_) => "a deletion",
    };
    Err(Failure::from(Error::decode(format!(
        "unexpected outcome: {kind} (a bug; please report it)"
    ))))
}

/// The one boolean of an `{ name?: boolean }` options argument (absent: false).
fn flag_option(options: Option<JsValue>, name: &str) -> Result<bool, Failure> {
    match options.filter(|o| !o.is_null() && !o.is_undefined()) {
        None => Ok(false),
        Some(options) => Ok(Options::new(&options, "options", &[name])?
            .boolean(name)?
            .unwrap_or(false)),
    }
}

fn string_arg(value: &JsValue, name: &str) -> Result<String, Failure> {
    value.as_string().ok_or_else(|| {
        Failure::invalid(
            name,
            format!("expected a tag name (a string), got {}", describe(value)),
        )
    })
}

/// A tag given as its name, or as an object with `name` (and `id`), such as
/// a `Tag` from `listTags` (its other fields are not read).
fn tag_ref(value: &JsValue) -> Result<TagRef, Failure> {
    if let Some(name) = value.as_string() {
        return Ok(TagRef::named(name));
    }
    if !is_plain_object(value) {
        return Err(Failure::invalid(
            "tag",
            format!(
                "expected a tag name or {{ name, id }}, got {}",
                describe(value)
            ),
        ));
    }
    let field = |name: &str| -> Result<Option<String>, Failure> {
        let v = Reflect::get(value, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
        if v.is_undefined() || v.is_null() {
            return Ok(None);
        }
        v.as_string().map(Some).ok_or_else(|| {
            Failure::invalid(
                &format!("tag.{name}"),
                format!("expected a string, got {}", describe(&v)),
            )
        })
    };
    Ok(TagRef {
        name: field("name")?.unwrap_or_default(),
        id: field("id")?,
    })
}

fn sort_key_name(key: SortKey) -> &'static str {
    match key {
        SortKey::Name => "name",
        SortKey::Created => "created",
        SortKey::Updated => "updated",
    }
}

/// `{ page, pageSize, sort }` of `listTags` (`page` only when `with_page`).
pub(super) fn list_options(
    options: &JsValue,
    with_page: bool,
    registry: &Registry,
) -> Result<(Paging, Option<Sort>), Failure> {
    let max = registry.capabilities().max_page_size;
    let default_size = DEFAULT_PAGE_SIZE.min(max);
    if options.is_undefined() || options.is_null() {
        return Ok((Paging::first(default_size), None));
    }
    let known: &[&str] = if with_page {
        &["page", "pageSize", "sort"]
    } else {
        &["pageSize", "sort"]
    };
    let options = Options::new(options, "options", known)?;
    let page = options
        .number("page", 1.0, f64::from(u32::MAX), true)?
        .map_or(1, |n| n as u32);
    let page_size = options
        .number("pageSize", 1.0, f64::from(max), true)?
        .map_or(default_size, |n| n as u32);
    let sort = options.get("sort");
    let sort = if sort.is_undefined() || sort.is_null() {
        None
    } else {
        let sort = Options::new(&sort, "sort", &["key", "descending"])?;
        let key = match sort.required_string("key")?.as_str() {
            "name" => SortKey::Name,
            "created" => SortKey::Created,
            "updated" => SortKey::Updated,
            other => {
                return Err(Failure::invalid(
                    "sort.key",
                    format!("expected \"name\", \"created\" or \"updated\", got {other:?}"),
                ))
            }
        };
        Some(Sort {
            key,
            descending: sort.boolean("descending")?.unwrap_or(false),
        })
    };
    Ok((Paging { page, page_size }, sort))
}

/// Sets a data property of a fresh object (cannot fail; a `__proto__` key
/// never arrives here: every key comes from a known field).
pub(super) fn set(object: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(object, &JsValue::from_str(key), value);
}

/// A common tag as JS: `size` as `bigint`, absent fields left out.
pub(super) fn tag_to_js(tag: &Tag) -> Result<JsValue, Failure> {
    value_to_js(&tag.to_value(), &Type::Object(TAG_FIELDS), Naming::Rpc)
}

/// A page of common tags as JS: `{ tags, total, next }`.
fn page_to_js(page: &TagPage) -> Result<JsValue, Failure> {
    value_to_js(
        &page.to_value(),
        &Type::Object(TAG_PAGE_FIELDS),
        Naming::Rpc,
    )
}
