//! Open Telekom Cloud SWR v2 tag API, at its real paths:
//!
//! - `GET /v2/manage/namespaces/{namespace}/repos/{repository}/tags`
//!   (`offset`, `limit`, `order_column`, `order_type`, `tag`, or the same in
//!   one `filter=offset::0|limit::10|…`): a JSON array, and
//!   `Content-Range: offset-count/total`;
//! - `GET` and `DELETE …/tags/{tag}`;
//! - `POST …/tags` with `{"source_tag","destination_tag","override"}`;
//! - `GET /v2/manage/repos` (`namespace`, `name`, `offset`, `limit`): the
//!   account's repositories, paged by `Content-Range` like the tags;
//! - `GET /v2/manage/namespaces`: `{"namespaces": [...]}`;
//! - `…/repos/{repository}/retentions[/{id}]`: image retention policies
//!   (`swr_retention.rs`).
//!
//! Authentication is the `X-Auth-Token` header. Errors are
//! `{"errorCode","errorMessage"}`.

use serde_json::{json, Value as Json};

use crate::app::App;
use crate::clock::rfc3339_seconds;
use crate::faults::{Fault, RETRY_AFTER_MS};
use crate::reply::{same_secret, Reply, RestRequest, JSON};
use crate::state::swr::{SwrRepo, SwrTag};
use crate::state::State;

/// The registry host in pull addresses.
const REGISTRY: &str = "swr.eu-de.otc.t-systems.com";

pub(crate) fn error(status: u16, code: &str, message: impl Into<String>) -> Reply {
    Reply::new(
        status,
        JSON,
        json!({"errorCode": code, "errorMessage": message.into()}).to_string(),
    )
}

pub(crate) fn invalid(message: impl Into<String>) -> Reply {
    error(400, "SVCSTG.SWR.4001008", message)
}

/// Answers one request under `/v2/manage/`.
pub async fn handle(app: &App, request: RestRequest<'_>) -> Reply {
    app.config.faults.delay().await;
    let expected = app.config.auth_token.expose();
    if !request.auth_token.is_some_and(|t| same_secret(t, expected)) {
        return error(
            401,
            "SVCSTG.SWR.4010001",
            "Authentication failed: X-Auth-Token is missing or not valid",
        );
    }
    match app.config.faults.pick(&app.entropy) {
        Some(Fault::Throttled) => {
            return error(429, "SVCSTG.SWR.4290001", "Too many requests, retry later")
                .with("retry-after", RETRY_AFTER_MS.div_ceil(1000).to_string())
        }
        Some(Fault::Unavailable) => {
            return error(
                503,
                "SVCSTG.SWR.5030001",
                "Service unavailable, retry later",
            )
        }
        None => {}
    }
    // Timed work that is due (a retention policy's daily run) first.
    if let Err(e) = app.settle().await {
        return error(500, "SVCSTG.SWR.5000001", e);
    }
    let decoded: Vec<String> = request
        .path
        .trim_start_matches("/v2/manage/")
        .trim_end_matches('/')
        .split('/')
        .map(|s| tagdeck::encode::form_decode(&s.replace('+', "%2B")).unwrap_or_default())
        .collect();
    let segments: Vec<&str> = decoded.iter().map(String::as_str).collect();
    let (namespace, repo, rest) = match segments.as_slice() {
        ["repos"] | ["namespaces"] if request.method == "GET" => {
            let query = match request.query_params() {
                Ok(q) => q,
                Err(e) => return invalid(e),
            };
            let state = app.read();
            return if segments[0] == "repos" {
                list_repos(&state, &query)
            } else {
                list_namespaces(&state, &query)
            };
        }
        ["namespaces", ns, "repos", repo, "tags", rest @ ..] => (*ns, *repo, rest),
        ["namespaces", ns, "repos", repo, "retentions", rest @ ..] => {
            return crate::swr_retention::handle(app, &request, ns, repo, rest).await;
        }
        _ => {
            return error(
                404,
                "SVCSTG.SWR.4040001",
                format!("No such API: {}", request.path),
            )
        }
    };
    match (request.method, rest) {
        ("GET", []) => {
            let query = match request.query_params() {
                Ok(q) => q,
                Err(e) => return invalid(e),
            };
            list(&app.read(), namespace, repo, &query)
        }
        ("GET", [tag]) => {
            let state = app.read();
            match find(&state, namespace, repo) {
                Ok(r) => match r.tags.iter().find(|t| t.name == *tag) {
                    Some(t) => Reply::new(200, JSON, tag_json(&state, namespace, r, t).to_string()),
                    None => tag_not_found(tag),
                },
                Err(reply) => reply,
            }
        }
        ("DELETE", [tag]) => {
            let tag = tag.to_string();
            let result = app
                .write(|state| {
                    let Some(r) = state.swr.repo_mut(namespace, repo) else {
                        return (repo_not_found(namespace, repo), false);
                    };
                    match r.tags.iter().position(|t| t.name == tag) {
                        Some(i) => {
                            r.tags.remove(i);
                            (Reply::empty(204), true)
                        }
                        None => (tag_not_found(&tag), false),
                    }
                })
                .await;
            result.unwrap_or_else(|e| error(500, "SVCSTG.SWR.5000001", e))
        }
        ("POST", []) => create(app, namespace, repo, request.body).await,
        _ => error(
            405,
            "SVCSTG.SWR.4050001",
            format!("Method {} is not allowed here", request.method),
        ),
    }
}

pub(crate) fn repo_not_found(namespace: &str, repo: &str) -> Reply {
    error(
        404,
        "SVCSTG.SWR.4040002",
        format!("Repository {namespace}/{repo} not found"),
    )
}

fn tag_not_found(tag: &str) -> Reply {
    error(404, "SVCSTG.SWR.4040003", format!("Tag {tag} not found"))
}

fn find<'s>(state: &'s State, namespace: &str, repo: &str) -> Result<&'s SwrRepo, Reply> {
    state
        .swr
        .repo(namespace, repo)
        .ok_or_else(|| repo_not_found(namespace, repo))
}

/// The list's options, from separate parameters or one `filter`.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct ListOptions {
    pub(crate) offset: Option<usize>,
    pub(crate) limit: Option<usize>,
    order_column: Option<String>,
    order_type: Option<String>,
    tag: Option<String>,
}

pub(crate) fn options(query: &[(String, String)]) -> Result<ListOptions, String> {
    let mut pairs: Vec<(String, String)> = query.to_vec();
    if let Some((_, filter)) = query.iter().find(|(k, _)| k == "filter") {
        for part in filter.split('|').filter(|p| !p.is_empty()) {
            let (k, v) = part
                .split_once("::")
                .ok_or_else(|| format!("filter: {part:?} is not name::value"))?;
            pairs.push((k.to_string(), v.to_string()));
        }
    }
    let get = |name: &str| {
        pairs
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let number = |name: &str, min: usize| -> Result<Option<usize>, String> {
        get(name)
            .map(|v| {
                v.parse::<usize>()
                    .ok()
                    .filter(|n| *n >= min)
                    .ok_or_else(|| format!("{name}: {v:?} must be an integer of at least {min}"))
            })
            .transpose()
    };
    let options = ListOptions {
        offset: number("offset", 0)?,
        limit: number("limit", 1)?,
        order_column: get("order_column"),
        order_type: get("order_type"),
        tag: get("tag").filter(|t| !t.is_empty()),
    };
    if options.offset.is_some() != options.limit.is_some() {
        return Err("offset and limit must be used together".into());
    }
    if options.order_column.is_some() != options.order_type.is_some() {
        return Err("order_column and order_type must be used together".into());
    }
    if let Some(c) = &options.order_column {
        if c != "updated_at" && c != "created_at" {
            return Err(format!(
                "order_column: {c:?} must be updated_at or created_at"
            ));
        }
    }
    if let Some(t) = &options.order_type {
        if t != "desc" && t != "asc" {
            return Err(format!("order_type: {t:?} must be desc or asc"));
        }
    }
    Ok(options)
}

fn list(state: &State, namespace: &str, repo: &str, query: &[(String, String)]) -> Reply {
    let options = match options(query) {
        Ok(o) => o,
        Err(e) => return invalid(e),
    };
    let r = match find(state, namespace, repo) {
        Ok(r) => r,
        Err(reply) => return reply,
    };
    let mut tags: Vec<&SwrTag> = r
        .tags
        .iter()
        .filter(|t| options.tag.as_deref().is_none_or(|x| t.name.contains(x)))
        .collect();
    let by_created = options.order_column.as_deref() == Some("created_at");
    let key = |t: &SwrTag| if by_created { t.created } else { t.updated };
    // Newest first unless asked otherwise; ties by name for a stable order.
    if options.order_type.as_deref() == Some("asc") {
        tags.sort_by(|a, b| key(a).cmp(&key(b)).then_with(|| a.name.cmp(&b.name)));
    } else {
        tags.sort_by(|a, b| key(b).cmp(&key(a)).then_with(|| a.name.cmp(&b.name)));
    }
    let total = tags.len();
    let offset = options.offset.unwrap_or(0).min(total);
    let end = options.limit.map_or(total, |l| (offset + l).min(total));
    let page: Vec<Json> = tags[offset..end]
        .iter()
        .map(|t| tag_json(state, namespace, r, t))
        .collect();
    Reply::new(200, JSON, Json::Array(page).to_string()).with(
        "content-range",
        format!("{offset}-{}/{total}", end - offset),
    )
}

/// `GET /v2/manage/repos`: every repository, by namespace then name,
/// filtered by `namespace` (exact) and `name` (part of the name).
fn list_repos(state: &State, query: &[(String, String)]) -> Reply {
    let window: Vec<(String, String)> = query
        .iter()
        .filter(|(k, _)| k == "offset" || k == "limit")
        .cloned()
        .collect();
    let options = match options(&window) {
        Ok(o) => o,
        Err(e) => return invalid(e),
    };
    let get = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let mut repos: Vec<(&str, &SwrRepo)> = state
        .swr
        .namespaces
        .iter()
        .filter(|n| get("namespace").is_none_or(|x| n.name == x))
        .flat_map(|n| n.repos.iter().map(move |r| (n.name.as_str(), r)))
        .filter(|(_, r)| get("name").is_none_or(|x| r.name.contains(x)))
        .collect();
    repos.sort_by(|a, b| (a.0, &a.1.name).cmp(&(b.0, &b.1.name)));
    let total = repos.len();
    let offset = options.offset.unwrap_or(0).min(total);
    let end = options.limit.map_or(total, |l| (offset + l).min(total));
    let page: Vec<Json> = repos[offset..end]
        .iter()
        .map(|(namespace, r)| repo_json(state, namespace, r))
        .collect();
    Reply::new(200, JSON, Json::Array(page).to_string()).with(
        "content-range",
        format!("{offset}-{}/{total}", end - offset),
    )
}

fn repo_json(state: &State, namespace: &str, repo: &SwrRepo) -> Json {
    // A repository's times: its first tag's creation, its last change.
    let created = repo.tags.iter().map(|t| t.created).min();
    let updated = repo.tags.iter().map(|t| t.updated).max();
    let size: i64 = repo
        .tags
        .iter()
        .filter_map(|t| state.images.get(&t.digest))
        .map(|i| i.size())
        .sum();
    json!({
        "name": repo.name,
        "namespace": namespace,
        "category": "other",
        "description": "",
        "size": size,
        "is_public": false,
        "num_images": repo.tags.len(),
        "num_download": 0,
        "created_at": created.map(rfc3339_seconds).unwrap_or_default(),
        "updated_at": updated.map(rfc3339_seconds).unwrap_or_default(),
        "path": format!("{REGISTRY}/{namespace}/{}", repo.name),
        "internal_path": format!("100.125.0.198:20202/{namespace}/{}", repo.name),
        "domain_name": "tagdeck-emulator",
        "tags": repo.tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        "status": false,
        "total_range": 0,
    })
}

/// `GET /v2/manage/namespaces`: the organizations, `namespace` filtering
/// by name.
fn list_namespaces(state: &State, query: &[(String, String)]) -> Reply {
    let wanted = query.iter().find(|(k, _)| k == "namespace").map(|(_, v)| v);
    let namespaces: Vec<Json> = state
        .swr
        .namespaces
        .iter()
        .filter(|n| wanted.is_none_or(|w| &n.name == w))
        .map(|n| json!({"id": n.id, "name": n.name, "creator_name": "tagdeck", "auth": 7}))
        .collect();
    Reply::new(200, JSON, json!({ "namespaces": namespaces }).to_string())
}

/// `POST …/tags`: a new tag pointing at the source tag's image.
async fn create(app: &App, namespace: &str, repo: &str, body: &[u8]) -> Reply {
    let body: Json = match serde_json::from_slice(body) {
        Ok(b) => b,
        Err(e) => return invalid(format!("the body is not JSON: {e}")),
    };
    let text = |name: &str| {
        body.get(name)
            .and_then(Json::as_str)
            .filter(|s| !s.is_empty())
    };
    let (Some(source), Some(destination)) = (text("source_tag"), text("destination_tag")) else {
        return invalid("source_tag and destination_tag are required strings");
    };
    let replace = match body.get("override") {
        None | Some(Json::Null) => false,
        Some(Json::Bool(b)) => *b,
        Some(_) => return invalid("override must be true or false"),
    };
    if !valid_tag(destination) {
        return invalid(format!(
            "destination_tag: {destination:?} is not a valid tag"
        ));
    }
    let now = app.now();
    let result = app
        .write(|state| {
            let id = state.swr.new_id();
            let Some(r) = state.swr.repo_mut(namespace, repo) else {
                return (repo_not_found(namespace, repo), false);
            };
            let Some(digest) = r
                .tags
                .iter()
                .find(|t| t.name == source)
                .map(|t| t.digest.clone())
            else {
                return (tag_not_found(source), false);
            };
            match r.tags.iter_mut().find(|t| t.name == destination) {
                Some(_) if !replace => (
                    error(
                        409,
                        "SVCSTG.SWR.4090001",
                        format!("Tag {destination} already exists; set override to replace it"),
                    ),
                    false,
                ),
                Some(existing) => {
                    existing.digest = digest;
                    existing.updated = now;
                    (Reply::empty(201), true)
                }
                None => {
                    r.tags.push(SwrTag {
                        id,
                        name: destination.to_string(),
                        digest,
                        created: now,
                        updated: now,
                    });
                    (Reply::empty(201), true)
                }
            }
        })
        .await;
    result.unwrap_or_else(|e| error(500, "SVCSTG.SWR.5000001", e))
}

/// Docker's tag grammar, shared with the cr API.
fn valid_tag(tag: &str) -> bool {
    crate::api::check_tag("destination_tag", tag).is_ok()
}

fn tag_json(state: &State, namespace: &str, repo: &SwrRepo, tag: &SwrTag) -> Json {
    let image = state.images.get(&tag.digest);
    json!({
        "id": tag.id,
        "repo_id": repo.id,
        "Tag": tag.name,
        "image_id": image.map(|i| i.config_digest.clone()).unwrap_or_default(),
        "manifest": image.map(|i| i.manifest_json()).unwrap_or_default(),
        "digest": format!("sha256:{}", tag.digest),
        "schema": 2,
        "path": format!("{REGISTRY}/{namespace}/{}:{}", repo.name, tag.name),
        "internal_path": format!("100.125.0.198:20202/{namespace}/{}:{}", repo.name, tag.name),
        "size": image.map_or(0, |i| i.size()),
        "is_trusted": false,
        "created": rfc3339_seconds(tag.created),
        "updated": rfc3339_seconds(tag.updated),
        "deleted": null,
        "domain_id": state.swr.domain_id,
        "tag_type": 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn filter_and_separate_parameters_agree() {
        let a = options(&q(&[
            ("offset", "10"),
            ("limit", "5"),
            ("order_column", "updated_at"),
            ("order_type", "asc"),
            ("tag", "v1"),
        ]))
        .unwrap();
        let b = options(&q(&[(
            "filter",
            "offset::10|limit::5|order_column::updated_at|order_type::asc|tag::v1",
        )]))
        .unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn bad_options_name_the_parameter() {
        for (query, needle) in [
            (q(&[("offset", "0")]), "together"),
            (q(&[("offset", "x"), ("limit", "5")]), "offset"),
            (q(&[("offset", "0"), ("limit", "0")]), "limit"),
            (
                q(&[("order_column", "name"), ("order_type", "asc")]),
                "order_column",
            ),
            (
                q(&[("order_column", "updated_at"), ("order_type", "up")]),
                "order_type",
            ),
            (q(&[("filter", "offset")]), "filter"),
        ] {
            let e = options(&query).unwrap_err();
            assert!(e.contains(needle), "{query:?}: {e}");
        }
    }
}
