//! The Scaleway Container Registry API v1, at its real paths:
//!
//! - `GET /registry/v1/regions/{region}/namespaces` and `…/namespaces/{id}`
//! - `GET /registry/v1/regions/{region}/images` and `…/images/{id}`
//! - `GET /registry/v1/regions/{region}/images/{image_id}/tags`
//!   (`name`, `order_by`, `page`, `page_size`)
//! - `GET` and `DELETE /registry/v1/regions/{region}/tags/{tag_id}` (`force`)
//! - `DELETE /registry/v1/regions/{region}/images/{id}` (with its tags)
//!
//! Authentication is the `X-Auth-Token` header. Lists answer
//! `{"<things>": [...], "total_count": N}`; errors are JSON with `message`
//! and `type` (and the details Scaleway adds for each type).

use serde_json::{json, Value as Json};

use crate::app::App;
use crate::clock::rfc3339_micros;
use crate::faults::{Fault, RETRY_AFTER_MS};
use crate::reply::{same_secret, Reply, RestRequest};
use crate::state::scaleway::{ScwImage, ScwNamespace, ScwTag};
use crate::state::State;

/// Regions of the registry.
pub const REGIONS: &[&str] = &["fr-par", "nl-ams", "pl-waw"];
const DEFAULT_PAGE_SIZE: usize = 20;
const MAX_PAGE_SIZE: usize = 100;

/// Scaleway answers `Content-Type: application/json` with no charset, and
/// its official JS SDK parses a body as JSON only when the type is exactly
/// that (anything else, `;charset=utf-8` included, fails to unmarshal).
const SCALEWAY_JSON: &str = "application/json";

fn reply(status: u16, body: &Json) -> Reply {
    Reply::new(status, SCALEWAY_JSON, body.to_string())
}

/// `invalid_arguments` naming the argument.
fn invalid(argument: &str, help: impl Into<String>) -> Reply {
    let help = help.into();
    reply(
        400,
        &json!({
            "details": [{"argument_name": argument, "reason": "constraint", "help_message": help}],
            "message": "invalid argument(s)",
            "type": "invalid_arguments",
        }),
    )
}

fn not_found(resource: &str, id: &str) -> Reply {
    reply(
        404,
        &json!({"message": "resource is not found", "resource": resource, "resource_id": id, "type": "not_found"}),
    )
}

/// Answers one request under `/registry/v1/`. The `order_by`, paging and
/// error shapes are those the vendor's SDK (`@scaleway/sdk-registry`) sends
/// and parses.
pub async fn handle(app: &App, request: RestRequest<'_>) -> Reply {
    app.config.faults.delay().await;
    let expected = app.config.auth_token.expose();
    if !request.auth_token.is_some_and(|t| same_secret(t, expected)) {
        return reply(
            401,
            &json!({"message": "authentication is denied", "method": "api_key", "reason": "invalid_argument", "type": "denied_authentication"}),
        );
    }
    match app.config.faults.pick(&app.entropy) {
        Some(Fault::Throttled) => {
            // The shape the vendor's SDK reads into `TooManyRequestsError`.
            let seconds = RETRY_AFTER_MS.div_ceil(1000);
            return reply(
                429,
                &json!({
                    "help_message": "the request rate of this token is limited; retry later",
                    "limit": {"quota": 50, "window_seconds": 1},
                    "message": "too many requests",
                    "reset_seconds": seconds,
                    "type": "too_many_requests",
                }),
            )
            .with("retry-after", seconds.to_string());
        }
        Some(Fault::Unavailable) => {
            return reply(
                503,
                &json!({"message": "service is unavailable, retry later", "type": "service_unavailable"}),
            )
        }
        None => {}
    }
    let query = match request.query_params() {
        Ok(q) => q,
        Err(e) => return invalid("query", e),
    };
    let segments: Vec<&str> = request
        .path
        .trim_start_matches("/registry/v1/")
        .trim_end_matches('/')
        .split('/')
        .collect();
    let (region, rest) = match segments.as_slice() {
        ["regions", region, rest @ ..] => (*region, rest),
        _ => return not_found("path", request.path),
    };
    if !REGIONS.contains(&region) {
        return invalid("region", format!("must be one of {}", REGIONS.join(", ")));
    }
    let args = Args(query);
    let arg = |name: &str| args.get(name);
    match (request.method, rest) {
        ("GET", ["namespaces"]) => list_namespaces(&app.read(), region, &args),
        ("GET", ["namespaces", id]) => with_uuid("namespace_id", id, || {
            let state = app.read();
            match state
                .scaleway
                .namespaces
                .iter()
                .find(|n| n.region == region && n.id == *id)
            {
                Some(ns) => reply(200, &namespace_json(&state, ns)),
                None => not_found("namespace", id),
            }
        }),
        ("GET", ["images"]) => list_images(&app.read(), region, &args),
        ("GET", ["images", id]) => with_uuid("image_id", id, || {
            let state = app.read();
            match state.scaleway.image(region, id) {
                Some((ns, image)) => reply(200, &image_json(&state, ns, image)),
                None => not_found("image", id),
            }
        }),
        ("GET", ["images", id, "tags"]) => {
            with_uuid("image_id", id, || list_tags(&app.read(), region, id, &args))
        }
        ("GET", ["tags", id]) => {
            with_uuid("tag_id", id, || match app.read().scaleway.tag(region, id) {
                Some((_, image, tag)) => reply(200, &tag_json(image, tag)),
                None => not_found("tag", id),
            })
        }
        ("DELETE", ["images", id]) => {
            if !is_uuid(id) {
                return invalid("image_id", "must be a valid UUID");
            }
            let result = app.write(|state| delete_image(state, region, id)).await;
            result.unwrap_or_else(|e| reply(500, &json!({"message": e, "type": "internal_error"})))
        }
        ("DELETE", ["tags", id]) => {
            if !is_uuid(id) {
                return invalid("tag_id", "must be a valid UUID");
            }
            let force = match arg("force") {
                None | Some("false") => false,
                Some("true") => true,
                Some(_) => return invalid("force", "must be true or false"),
            };
            let result = app
                .write(|state| delete_tag(state, region, id, force))
                .await;
            result.unwrap_or_else(|e| reply(500, &json!({"message": e, "type": "internal_error"})))
        }
        (_, ["namespaces" | "images" | "tags", ..]) => reply(
            405,
            &json!({"message": format!("method {} is not allowed here", request.method), "type": "method_not_allowed"}),
        ),
        _ => not_found("path", request.path),
    }
}

/// The query parameters (the last value of a name wins).
#[derive(Debug)]
struct Args(Vec<(String, String)>);

impl Args {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

fn is_uuid(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

fn with_uuid(argument: &str, id: &str, then: impl FnOnce() -> Reply) -> Reply {
    if is_uuid(id) {
        then()
    } else {
        invalid(argument, "must be a valid UUID")
    }
}

/// `page` (from 1) and `page_size` (1 to 100).
fn paging(args: &Args) -> Result<(usize, usize), Reply> {
    let arg = |name: &str| args.get(name);
    let page = match arg("page") {
        None => 1,
        Some(p) => p
            .parse::<usize>()
            .ok()
            .filter(|p| *p >= 1)
            .ok_or_else(|| invalid("page", "must be a positive integer"))?,
    };
    let size = match arg("page_size") {
        None => DEFAULT_PAGE_SIZE,
        Some(s) => s
            .parse::<usize>()
            .ok()
            .filter(|s| (1..=MAX_PAGE_SIZE).contains(s))
            .ok_or_else(|| {
                invalid(
                    "page_size",
                    format!("must be between 1 and {MAX_PAGE_SIZE}"),
                )
            })?,
    };
    Ok((page, size))
}

fn page_of<T>(items: &[T], page: usize, size: usize) -> &[T] {
    let start = (page - 1).saturating_mul(size).min(items.len());
    &items[start..(start + size).min(items.len())]
}

/// Sorts by `order_by`: `created_at_asc` (default), `created_at_desc`,
/// `name_asc`, `name_desc`; ties keep creation order.
fn order<T>(
    items: &mut [T],
    order_by: Option<&str>,
    created: impl Fn(&T) -> i64,
    name: impl Fn(&T) -> &str,
) -> Result<(), Reply> {
    match order_by.unwrap_or("created_at_asc") {
        "created_at_asc" => items.sort_by_key(|t| created(t)),
        "created_at_desc" => items.sort_by_key(|t| std::cmp::Reverse(created(t))),
        "name_asc" => items.sort_by(|a, b| name(a).cmp(name(b))),
        "name_desc" => items.sort_by(|a, b| name(b).cmp(name(a))),
        other => {
            return Err(invalid(
                "order_by",
                format!(
                    "{other:?} is not one of created_at_asc, created_at_desc, name_asc, name_desc"
                ),
            ))
        }
    }
    Ok(())
}

fn list_namespaces(state: &State, region: &str, args: &Args) -> Reply {
    let arg = |name: &str| args.get(name);
    let (page, size) = match paging(args) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let mut namespaces: Vec<&ScwNamespace> = state
        .scaleway
        .namespaces
        .iter()
        .filter(|n| {
            n.region == region
                && arg("name").is_none_or(|x| n.name == x)
                && arg("project_id").is_none_or(|x| n.project_id == x)
                && arg("organization_id").is_none_or(|x| n.organization_id == x)
        })
        .collect();
    if let Err(r) = order(
        &mut namespaces,
        arg("order_by"),
        |n| n.created_at,
        |n| &n.name,
    ) {
        return r;
    }
    let list: Vec<Json> = page_of(&namespaces, page, size)
        .iter()
        .map(|n| namespace_json(state, n))
        .collect();
    reply(
        200,
        &json!({"namespaces": list, "total_count": namespaces.len()}),
    )
}

fn list_images(state: &State, region: &str, args: &Args) -> Reply {
    let arg = |name: &str| args.get(name);
    let (page, size) = match paging(args) {
        Ok(p) => p,
        Err(r) => return r,
    };
    if let Some(id) = arg("namespace_id") {
        if !is_uuid(id) {
            return invalid("namespace_id", "must be a valid UUID");
        }
    }
    let mut images: Vec<(&ScwNamespace, &ScwImage)> = state
        .scaleway
        .namespaces
        .iter()
        .filter(|n| {
            n.region == region
                && arg("namespace_id").is_none_or(|x| n.id == x)
                && arg("project_id").is_none_or(|x| n.project_id == x)
                && arg("organization_id").is_none_or(|x| n.organization_id == x)
        })
        .flat_map(|n| n.images.iter().map(move |i| (n, i)))
        .filter(|(_, i)| arg("name").is_none_or(|x| i.name == x))
        .collect();
    if let Err(r) = order(
        &mut images,
        arg("order_by"),
        |(_, i)| i.created_at,
        |(_, i)| &i.name,
    ) {
        return r;
    }
    let list: Vec<Json> = page_of(&images, page, size)
        .iter()
        .map(|(n, i)| image_json(state, n, i))
        .collect();
    reply(200, &json!({"images": list, "total_count": images.len()}))
}

fn list_tags(state: &State, region: &str, image_id: &str, args: &Args) -> Reply {
    let arg = |name: &str| args.get(name);
    let (page, size) = match paging(args) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let Some((_, image)) = state.scaleway.image(region, image_id) else {
        return not_found("image", image_id);
    };
    let mut tags: Vec<&ScwTag> = image
        .tags
        .iter()
        .filter(|t| arg("name").is_none_or(|x| t.name == x))
        .collect();
    if let Err(r) = order(&mut tags, arg("order_by"), |t| t.created_at, |t| &t.name) {
        return r;
    }
    let list: Vec<Json> = page_of(&tags, page, size)
        .iter()
        .map(|t| tag_json(image, t))
        .collect();
    reply(200, &json!({"tags": list, "total_count": tags.len()}))
}

/// Deletes an image with all its tags; answers the image, `deleting`.
fn delete_image(state: &mut State, region: &str, id: &str) -> (Reply, bool) {
    let found = state
        .scaleway
        .namespaces
        .iter()
        .enumerate()
        .filter(|(_, n)| n.region == region)
        .find_map(|(ni, n)| n.images.iter().position(|i| i.id == id).map(|ii| (ni, ii)));
    let Some((ni, ii)) = found else {
        return (not_found("image", id), false);
    };
    let mut body = image_json(
        state,
        &state.scaleway.namespaces[ni],
        &state.scaleway.namespaces[ni].images[ii],
    );
    body["status"] = json!("deleting");
    state.scaleway.namespaces[ni].images.remove(ii);
    (reply(200, &body), true)
}

/// Deleting a tag that shares its digest with another tag of the image
/// needs `force=true` (Scaleway's documented, deprecated, precondition).
fn delete_tag(state: &mut State, region: &str, id: &str, force: bool) -> (Reply, bool) {
    for ns in state
        .scaleway
        .namespaces
        .iter_mut()
        .filter(|n| n.region == region)
    {
        for image in &mut ns.images {
            let Some(index) = image.tags.iter().position(|t| t.id == id) else {
                continue;
            };
            let digest = image.tags[index].digest.clone();
            let shared = image.tags.iter().filter(|t| t.digest == digest).count() > 1;
            if shared && !force {
                return (
                    reply(
                        412,
                        &json!({
                            "message": "precondition is not respected",
                            "precondition": "tag_digest_shared",
                            "help_message": "another tag of this image has the same digest; delete with force=true",
                            "type": "precondition_failed",
                        }),
                    ),
                    false,
                );
            }
            let mut tag = image.tags.remove(index);
            tag.status = "deleting".into();
            let body = tag_json(image, &tag);
            return (reply(200, &body), true);
        }
    }
    (not_found("tag", id), false)
}

fn namespace_json(state: &State, ns: &ScwNamespace) -> Json {
    // The namespace's size counts each image (digest) once.
    let mut digests: Vec<&str> = ns
        .images
        .iter()
        .flat_map(|i| i.tags.iter().map(|t| t.digest.as_str()))
        .collect();
    digests.sort_unstable();
    digests.dedup();
    let size: i64 = digests
        .iter()
        .filter_map(|d| state.images.get(*d))
        .map(|i| i.size())
        .sum();
    json!({
        "id": ns.id,
        "name": ns.name,
        "description": ns.description,
        "organization_id": ns.organization_id,
        "project_id": ns.project_id,
        "status": "ready",
        "status_message": "",
        "endpoint": format!("rg.{}.scw.cloud/{}", ns.region, ns.name),
        "is_public": ns.is_public,
        "size": size,
        "created_at": rfc3339_micros(ns.created_at),
        "updated_at": rfc3339_micros(ns.updated_at),
        "image_count": ns.images.len(),
        "region": ns.region,
    })
}

fn image_json(state: &State, ns: &ScwNamespace, image: &ScwImage) -> Json {
    let size: i64 = image
        .tags
        .last()
        .and_then(|t| state.images.get(&t.digest))
        .map_or(0, |i| i.size());
    json!({
        "id": image.id,
        "name": image.name,
        "namespace_id": ns.id,
        "status": "ready",
        "status_message": "",
        "visibility": image.visibility,
        "size": size,
        "created_at": rfc3339_micros(image.created_at),
        "updated_at": rfc3339_micros(image.updated_at),
        "tags": image.tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
    })
}

fn tag_json(image: &ScwImage, tag: &ScwTag) -> Json {
    json!({
        "id": tag.id,
        "name": tag.name,
        "image_id": image.id,
        "status": tag.status,
        "digest": format!("sha256:{}", tag.digest),
        "created_at": rfc3339_micros(tag.created_at),
        "updated_at": rfc3339_micros(tag.updated_at),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids() {
        assert!(is_uuid("5c0e9a1e-7a6b-4d2c-9f3e-2b8d7c6a5e41"));
        assert!(!is_uuid("5c0e9a1e7a6b4d2c9f3e2b8d7c6a5e41"));
        assert!(!is_uuid("../../etc/passwd"));
    }
}
