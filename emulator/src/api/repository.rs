//! Image repositories.

use tagdeck::Value;

use super::{
    check_name, done, page, pages_by_token, repo_not_found, token_page, Answer, Call, Failure,
    Route, DEFAULT_PAGE_SIZE,
};
use crate::state::{Instance, Repository, State};
use crate::{obj, repository_obj};

pub(super) const ROUTES: &[Route] = &[
    Route::write("CreateRepository", create),
    Route::write("DeleteRepository", delete),
    Route::write("UpdateRepository", update),
    Route::read("GetRepository", get),
    Route::read("ListRepository", list),
];

fn fields(instance: &Instance, repo: &Repository) -> Value {
    repository_obj! {
        instance,
        repo,
        "RepoBuildType" => &repo.build_type,
        "TagImmutability" => repo.tag_immutability,
    }
}

fn create(state: &mut State, call: &Call<'_>) -> Answer {
    let (namespace, name) = (call.text("RepoNamespaceName"), call.text("RepoName"));
    check_name("RepoName", name)?;
    let id = state.rng.resource_id("crr");
    let instance = call.instance_mut(state)?;
    if instance.namespace(namespace).is_none() {
        return Err(Failure::business(
            "NAMESPACE_NOT_EXIST",
            format!("The namespace {namespace} does not exist."),
        ));
    }
    if instance.repository_named(namespace, name).is_some() {
        return Err(Failure::business(
            "REPO_ALREADY_EXIST",
            format!("The repository {namespace}/{name} already exists."),
        ));
    }
    if instance.repositories.len() as i64 >= instance.repo_quota {
        return Err(Failure::business(
            "REPO_QUOTA_EXCEED",
            format!(
                "The instance holds its quota of {} repositories.",
                instance.repo_quota
            ),
        ));
    }
    let mut repo = Repository::new(id.clone(), namespace, name, call.text("RepoType"), call.now);
    repo.summary = call.text("Summary").into();
    repo.detail = call.get("Detail").unwrap_or("").into();
    repo.tag_immutability = call.flag("TagImmutability").unwrap_or(false);
    instance.repositories.push(repo);
    Ok(obj! { "RepoId" => id })
}

/// The index of the repository named by `RepoId`, or by
/// `RepoNamespaceName` and `RepoName`.
fn named(instance: &Instance, call: &Call<'_>) -> Result<usize, Failure> {
    let found = match (
        call.given("RepoId"),
        call.given("RepoNamespaceName"),
        call.given("RepoName"),
    ) {
        (Some(id), _, _) => instance
            .repositories
            .iter()
            .position(|r| r.id == id)
            .ok_or_else(|| repo_not_found(id)),
        (None, Some(ns), Some(name)) => instance
            .repositories
            .iter()
            .position(|r| r.namespace == ns && r.name == name)
            .ok_or_else(|| repo_not_found(&format!("{ns}/{name}"))),
        (None, None, _) => Err(Failure::missing("RepoId")),
        (None, Some(_), None) => Err(Failure::missing("RepoName")),
    };
    found
}

fn delete(state: &mut State, call: &Call<'_>) -> Answer {
    let instance = call.instance_mut(state)?;
    let index = named(instance, call)?;
    instance.repositories.remove(index);
    done()
}

fn update(state: &mut State, call: &Call<'_>) -> Answer {
    let now = call.now;
    let instance = call.instance_mut(state)?;
    let index = named(instance, call)?;
    let repo = &mut instance.repositories[index];
    repo.repo_type = call.text("RepoType").into();
    if let Some(immutable) = call.flag("TagImmutability") {
        repo.tag_immutability = immutable;
    }
    if let Some(summary) = call.get("Summary") {
        repo.summary = summary.into();
    }
    if let Some(detail) = call.get("Detail") {
        repo.detail = detail.into();
    }
    repo.modified_time = now;
    done()
}

/// By `RepoId`, or by `RepoNamespaceName` and `RepoName`.
fn get(state: &State, call: &Call<'_>) -> Answer {
    let instance = call.instance(state)?;
    let repo = &instance.repositories[named(instance, call)?];
    // Only a single repository's answer has its long description.
    let mut value = fields(instance, repo);
    if let Value::Object(members) = &mut value {
        members.push(("Detail".into(), Value::Str(repo.detail.clone())));
    }
    Ok(value)
}

fn list(state: &State, call: &Call<'_>) -> Answer {
    let instance = call.instance(state)?;
    let status = call.given("RepoStatus").filter(|s| *s != "ALL");
    let (name, namespace) = (call.given("RepoName"), call.given("RepoNamespaceName"));
    let matching: Vec<&Repository> = instance
        .repositories
        .iter()
        .filter(|r| {
            status.is_none_or(|s| r.status == s)
                && name.is_none_or(|n| r.name == n)
                && namespace.is_none_or(|n| r.namespace == n)
        })
        .collect();
    if pages_by_token(call) {
        let (range, next) = token_page(call, matching.len(), DEFAULT_PAGE_SIZE)?;
        let size = range.len();
        let items: Vec<Value> = matching[range]
            .iter()
            .map(|r| fields(instance, r))
            .collect();
        return Ok(obj! {
            "Repositories" => items,
            "TotalCount" => matching.len(),
            "MaxResults" => size,
            "NextToken" => next,
        });
    }
    Ok(page(call, &matching, "Repositories", |r| {
        fields(instance, r)
    }))
}
