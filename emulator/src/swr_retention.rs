//! SWR image retention policies at their real paths (the SWR API
//! reference's "Image Retention Policy Management"):
//!
//! - `GET …/repos/{repository}/retentions`: the repository's policies, a
//!   JSON array;
//! - `POST …/retentions` with `{"algorithm":"or","rules":[…]}`: 201
//!   `{"id": N}`; a repository holds one policy, a second is a conflict;
//! - `GET …/retentions/{retention_id}`: the policy;
//! - `PATCH …/retentions/{retention_id}` with the same body: 201, no body;
//! - `DELETE …/retentions/{retention_id}`: 204;
//! - `GET …/retentions/histories` (`offset` with `limit`, or the same in one
//!   `filter`): `{"retention_log": [...], "total": N}`, the tags the
//!   policies deleted, newest first; `Content-Range` when a window is asked.
//!
//! A created or modified policy runs at once, then daily
//! (`state::swr_retention` says how it decides).

use serde_json::{json, Value as Json};

use crate::app::App;
use crate::clock::rfc3339_seconds;
use crate::reply::{Reply, RestRequest, JSON};
use crate::state::swr_retention::{read_body, SwrRetention};
use crate::state::State;
use crate::swr::{error, invalid, options, repo_not_found};

fn policy_not_found(id: &str) -> Reply {
    error(
        404,
        "SVCSTG.SWR.4040004",
        format!("Retention policy {id} not found"),
    )
}

fn internal(e: String) -> Reply {
    error(500, "SVCSTG.SWR.5000001", e)
}

/// Answers `…/repos/{repo}/retentions[/{id}]`; `rest` is what follows
/// `retentions`.
pub async fn handle(
    app: &App,
    request: &RestRequest<'_>,
    namespace: &str,
    repo: &str,
    rest: &[&str],
) -> Reply {
    let (method, body) = (request.method, request.body);
    match (method, rest) {
        ("GET", ["histories"]) => match request.query_params().and_then(|q| options(&q)) {
            Ok(window) => history(&app.read(), namespace, repo, window.offset, window.limit),
            Err(e) => invalid(e),
        },
        ("GET", []) => {
            let state = app.read();
            match state.swr.repo(namespace, repo) {
                Some(r) => {
                    let list: Vec<Json> = r.retentions.iter().map(SwrRetention::to_json).collect();
                    Reply::new(200, JSON, Json::Array(list).to_string())
                }
                None => repo_not_found(namespace, repo),
            }
        }
        ("GET", [id]) => {
            let state = app.read();
            let Some(r) = state.swr.repo(namespace, repo) else {
                return repo_not_found(namespace, repo);
            };
            match r.retentions.iter().find(|p| p.id.to_string() == *id) {
                Some(p) => Reply::new(200, JSON, p.to_json().to_string()),
                None => policy_not_found(id),
            }
        }
        ("POST", []) => save(app, namespace, repo, None, body).await,
        ("PATCH", [id]) => save(app, namespace, repo, Some(id), body).await,
        ("DELETE", [id]) => {
            let id = id.to_string();
            app.write(|state| {
                let Some(r) = state.swr.repo_mut(namespace, repo) else {
                    return (repo_not_found(namespace, repo), false);
                };
                match r.retentions.iter().position(|p| p.id.to_string() == id) {
                    Some(i) => {
                        r.retentions.remove(i);
                        (Reply::empty(204), true)
                    }
                    None => (policy_not_found(&id), false),
                }
            })
            .await
            .unwrap_or_else(internal)
        }
        _ => error(
            405,
            "SVCSTG.SWR.4050001",
            format!("Method {method} is not allowed here"),
        ),
    }
}

/// Creates (`id` none) or modifies a policy from the body, then runs it.
async fn save(app: &App, namespace: &str, repo: &str, id: Option<&str>, body: &[u8]) -> Reply {
    let body: Json = match serde_json::from_slice(body) {
        Ok(b) => b,
        Err(e) => return invalid(format!("the body is not JSON: {e}")),
    };
    let rules = match read_body(&body) {
        Ok(rules) => rules,
        Err(message) => return invalid(message),
    };
    let now = app.now();
    app.write(|state| {
        let new_id = state.swr.next_id + 1;
        let Some(r) = state.swr.repo_mut(namespace, repo) else {
            return (repo_not_found(namespace, repo), false);
        };
        let (id, reply) = match id {
            None => {
                if let Some(existing) = r.retentions.first() {
                    let message = format!(
                        "Repository {namespace}/{repo} already has retention policy {}; modify or delete it",
                        existing.id
                    );
                    return (error(409, "SVCSTG.SWR.4090002", message), false);
                }
                r.retentions.push(SwrRetention {
                    id: new_id,
                    rules,
                    last_run: None,
                });
                let reply = Reply::new(201, JSON, json!({ "id": new_id }).to_string());
                (new_id, reply)
            }
            Some(id) => match r.retentions.iter_mut().find(|p| p.id.to_string() == id) {
                Some(policy) => {
                    policy.rules = rules;
                    (policy.id, Reply::empty(201))
                }
                None => return (policy_not_found(id), false),
            },
        };
        if id == new_id {
            state.swr.next_id = new_id;
        }
        // SWR applies a policy as soon as it is set.
        if let Err(e) = state.run_swr_retention(namespace, repo, id, now) {
            return (internal(e), true);
        }
        (reply, true)
    })
    .await
    .unwrap_or_else(internal)
}

/// The repository's retention records, newest first, in the window asked.
fn history(
    state: &State,
    namespace: &str,
    repo: &str,
    offset: Option<usize>,
    limit: Option<usize>,
) -> Reply {
    let Some(r) = state.swr.repo(namespace, repo) else {
        return repo_not_found(namespace, repo);
    };
    let total = r.retention_log.len();
    let start = offset.unwrap_or(0).min(total);
    let end = limit.map_or(total, |l| (start + l).min(total));
    let page: Vec<Json> = r
        .retention_log
        .iter()
        .rev()
        .skip(start)
        .take(end - start)
        .map(|record| {
            json!({
                "id": record.id, "retention_id": record.retention_id,
                "rule_type": record.rule_type, "namespace": namespace, "repo": repo,
                "tag": record.tag, "created_at": rfc3339_seconds(record.at),
            })
        })
        .collect();
    let reply = Reply::new(
        200,
        JSON,
        json!({ "retention_log": page, "total": total }).to_string(),
    );
    match (offset, limit) {
        (Some(_), Some(_)) => {
            reply.with("content-range", format!("{start}-{}/{total}", end - start))
        }
        _ => reply,
    }
}
