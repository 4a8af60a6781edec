//! Image repositories.

use tagdeck::Value;

use super::{check_name, done, page, repo_not_found, Answer, Call, Failure, Handler, Route};
use crate::obj;
use crate::state::{Instance, Repository, State};

pub(super) const ROUTES: &[Route] = &[
    Route {
        action: "CreateRepository",
        handler: Handler::Write(create),
    },
    Route {
        action: "DeleteRepository",
        handler: Handler::Write(delete),
    },
    Route {
        action: "UpdateRepository",
        handler: Handler::Write(update),
    },
    Route {
        action: "GetRepository",
        handler: Handler::Read(get),
    },
    Route {
        action: "ListRepository",
        handler: Handler::Read(list),
    },
];

fn fields(instance: &Instance, repo: &Repository) -> Value {
    obj! {
        "InstanceId" => &instance.id,
        "RepoId" => &repo.id,
        "RepoNamespaceName" => &repo.namespace,
        "RepoName" => &repo.name,
        "RepoStatus" => &repo.status,
        "RepoType" => &repo.repo_type,
        "RepoBuildType" => &repo.build_type,
        "Summary" => &repo.summary,
        "Detail" => &repo.detail,
        "CreateTime" => repo.create_time,
        "ModifiedTime" => repo.modified_time,
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
    instance.repositories.push(Repository {
        id: id.clone(),
        namespace: namespace.into(),
        name: name.into(),
        status: "NORMAL".into(),
        repo_type: call.text("RepoType").into(),
        build_type: "MANUAL".into(),
        summary: call.text("Summary").into(),
        detail: call.get("Detail").unwrap_or("").into(),
        create_time: call.now,
        modified_time: call.now,
        tags: Vec::new(),
        build_rules: Vec::new(),
        build_records: Vec::new(),
        triggers: Vec::new(),
        scans: Vec::new(),
    });
    Ok(obj! { "RepoId" => id })
}

fn delete(state: &mut State, call: &Call<'_>) -> Answer {
    let id = call.text("RepoId");
    let instance = call.instance_mut(state)?;
    let index = instance
        .repositories
        .iter()
        .position(|r| r.id == id)
        .ok_or_else(|| repo_not_found(id))?;
    instance.repositories.remove(index);
    done()
}

fn update(state: &mut State, call: &Call<'_>) -> Answer {
    let now = call.now;
    let repo = call.repository_mut(call.instance_mut(state)?)?;
    repo.repo_type = call.text("RepoType").into();
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
    let repo = match (
        call.given("RepoId"),
        call.given("RepoNamespaceName"),
        call.given("RepoName"),
    ) {
        (Some(id), _, _) => instance.repository(id).ok_or_else(|| repo_not_found(id))?,
        (None, Some(ns), Some(name)) => instance
            .repository_named(ns, name)
            .ok_or_else(|| repo_not_found(&format!("{ns}/{name}")))?,
        (None, None, _) => return Err(Failure::missing("RepoId")),
        (None, Some(_), None) => return Err(Failure::missing("RepoName")),
    };
    Ok(fields(instance, repo))
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
    Ok(page(call, &matching, "Repositories", |r| {
        fields(instance, r)
    }))
}
