//! Helm charts: namespaces, repositories and their releases (versions).

use tagdeck::Value;

use super::{check_name, done, namespace, page, Answer, Call, Failure, Route};
use crate::state::{ChartRelease, ChartRepository, Instance, Namespace, State};
use crate::{obj, repository_obj};

pub(super) const ROUTES: &[Route] = &[
    Route::write("CreateChartNamespace", create_namespace),
    Route::write("UpdateChartNamespace", update_namespace),
    Route::write("DeleteChartNamespace", delete_namespace),
    Route::read("GetChartNamespace", get_namespace),
    Route::read("ListChartNamespace", list_namespaces),
    Route::write("CreateChartRepository", create_repository),
    Route::write("UpdateChartRepository", update_repository),
    Route::write("DeleteChartRepository", delete_repository),
    Route::read("GetChartRepository", get_repository),
    Route::read("ListChartRepository", list_repositories),
    Route::read("ListChartRelease", list_releases),
    Route::write("DeleteChartRelease", delete_release),
];

fn namespace_not_found(name: &str) -> Failure {
    Failure::business(
        "CHART_NAMESPACE_NOT_EXIST",
        format!("The chart namespace {name} does not exist."),
    )
}

fn repository_not_found(namespace: &str, name: &str) -> Failure {
    Failure::business(
        "CHART_REPO_NOT_EXIST",
        format!("The chart repository {namespace}/{name} does not exist."),
    )
}

fn repository_fields(instance: &Instance, repo: &ChartRepository) -> Value {
    repository_obj!(instance, repo)
}

fn create_namespace(state: &mut State, call: &Call<'_>) -> Answer {
    let name = call.text("NamespaceName");
    check_name("NamespaceName", name)?;
    let id = state.rng.resource_id("crcn");
    let instance = call.instance_mut(state)?;
    if instance.chart_namespace(name).is_some() {
        return Err(Failure::business(
            "CHART_NAMESPACE_ALREADY_EXIST",
            format!("The chart namespace {name} already exists."),
        ));
    }
    instance.chart_namespaces.push(Namespace::new(
        id,
        name,
        call.flag("AutoCreateRepo").unwrap_or(true),
        call.given("DefaultRepoType").unwrap_or("PRIVATE"),
        call.now,
    ));
    done()
}

fn update_namespace(state: &mut State, call: &Call<'_>) -> Answer {
    let name = call.text("NamespaceName");
    let instance = call.instance_mut(state)?;
    let ns = instance
        .chart_namespaces
        .iter_mut()
        .find(|n| n.name == name)
        .ok_or_else(|| namespace_not_found(name))?;
    if let Some(auto) = call.flag("AutoCreateRepo") {
        ns.auto_create_repo = auto;
    }
    if let Some(kind) = call.given("DefaultRepoType") {
        ns.default_repo_type = kind.into();
    }
    done()
}

/// Removes the namespace with its repositories and their releases.
fn delete_namespace(state: &mut State, call: &Call<'_>) -> Answer {
    let name = call.text("NamespaceName");
    let instance = call.instance_mut(state)?;
    let before = instance.chart_namespaces.len();
    instance.chart_namespaces.retain(|n| n.name != name);
    if instance.chart_namespaces.len() == before {
        return Err(namespace_not_found(name));
    }
    instance.chart_repositories.retain(|r| r.namespace != name);
    done()
}

fn get_namespace(state: &State, call: &Call<'_>) -> Answer {
    let instance = call.instance(state)?;
    let name = call.text("NamespaceName");
    let ns = instance
        .chart_namespace(name)
        .ok_or_else(|| namespace_not_found(name))?;
    Ok(namespace::fields(instance, ns))
}

fn list_namespaces(state: &State, call: &Call<'_>) -> Answer {
    let instance = call.instance(state)?;
    let (status, name) = (call.given("NamespaceStatus"), call.given("NamespaceName"));
    let matching: Vec<&Namespace> = instance
        .chart_namespaces
        .iter()
        .filter(|n| status.is_none_or(|s| n.status == s) && name.is_none_or(|x| n.name == x))
        .collect();
    Ok(page(call, &matching, "Namespaces", |n| {
        namespace::fields(instance, n)
    }))
}

/// `RepoNamespaceName` and `RepoName` of the request.
fn names<'a>(call: &Call<'a>) -> (&'a str, &'a str) {
    (call.text("RepoNamespaceName"), call.text("RepoName"))
}

fn create_repository(state: &mut State, call: &Call<'_>) -> Answer {
    let (namespace, name) = names(call);
    check_name("RepoName", name)?;
    let id = state.rng.resource_id("crcr");
    let instance = call.instance_mut(state)?;
    if instance.chart_namespace(namespace).is_none() {
        return Err(namespace_not_found(namespace));
    }
    if instance
        .chart_repositories
        .iter()
        .any(|r| r.namespace == namespace && r.name == name)
    {
        return Err(Failure::business(
            "CHART_REPO_ALREADY_EXIST",
            format!("The chart repository {namespace}/{name} already exists."),
        ));
    }
    instance.chart_repositories.push(ChartRepository {
        id: id.clone(),
        namespace: namespace.into(),
        name: name.into(),
        status: "NORMAL".into(),
        repo_type: call.text("RepoType").into(),
        summary: call.get("Summary").unwrap_or("").into(),
        create_time: call.now,
        modified_time: call.now,
        releases: Vec::new(),
    });
    Ok(obj! { "RepoId" => id })
}

fn repository_mut<'s>(
    instance: &'s mut Instance,
    call: &Call<'_>,
) -> Result<&'s mut ChartRepository, Failure> {
    let (namespace, name) = names(call);
    instance
        .chart_repositories
        .iter_mut()
        .find(|r| r.namespace == namespace && r.name == name)
        .ok_or_else(|| repository_not_found(namespace, name))
}

fn repository<'s>(instance: &'s Instance, call: &Call<'_>) -> Result<&'s ChartRepository, Failure> {
    let (namespace, name) = names(call);
    instance
        .chart_repositories
        .iter()
        .find(|r| r.namespace == namespace && r.name == name)
        .ok_or_else(|| repository_not_found(namespace, name))
}

fn update_repository(state: &mut State, call: &Call<'_>) -> Answer {
    let repo = repository_mut(call.instance_mut(state)?, call)?;
    repo.repo_type = call.text("RepoType").into();
    if let Some(summary) = call.get("Summary") {
        repo.summary = summary.into();
    }
    repo.modified_time = call.now;
    done()
}

fn delete_repository(state: &mut State, call: &Call<'_>) -> Answer {
    let (namespace, name) = names(call);
    let instance = call.instance_mut(state)?;
    let before = instance.chart_repositories.len();
    instance
        .chart_repositories
        .retain(|r| !(r.namespace == namespace && r.name == name));
    if instance.chart_repositories.len() == before {
        return Err(repository_not_found(namespace, name));
    }
    done()
}

fn get_repository(state: &State, call: &Call<'_>) -> Answer {
    let instance = call.instance(state)?;
    Ok(repository_fields(instance, repository(instance, call)?))
}

fn list_repositories(state: &State, call: &Call<'_>) -> Answer {
    let instance = call.instance(state)?;
    let status = call.given("RepoStatus");
    let (namespace, name) = (call.given("RepoNamespaceName"), call.given("RepoName"));
    let matching: Vec<&ChartRepository> = instance
        .chart_repositories
        .iter()
        .filter(|r| {
            status.is_none_or(|s| r.status == s)
                && namespace.is_none_or(|n| r.namespace == n)
                && name.is_none_or(|n| r.name == n)
        })
        .collect();
    Ok(page(call, &matching, "Repositories", |r| {
        repository_fields(instance, r)
    }))
}

/// Releases whose chart name starts with `Chart`, newest first.
fn list_releases(state: &State, call: &Call<'_>) -> Answer {
    let instance = call.instance(state)?;
    let repo = repository(instance, call)?;
    let prefix = call.given("Chart").unwrap_or("");
    let mut releases: Vec<&ChartRelease> = repo
        .releases
        .iter()
        .filter(|r| r.chart.starts_with(prefix))
        .collect();
    releases.sort_by(|a, b| {
        b.modified_time
            .cmp(&a.modified_time)
            .then_with(|| a.release.cmp(&b.release))
    });
    Ok(page(call, &releases, "ChartReleases", |r| {
        obj! {
            "Chart" => &r.chart,
            "Release" => &r.release,
            "Status" => &r.status,
            "Size" => r.size,
            "InstanceId" => &instance.id,
            "RepoId" => &repo.id,
            "ModifiedTime" => r.modified_time,
        }
    }))
}

fn delete_release(state: &mut State, call: &Call<'_>) -> Answer {
    let (chart, release) = (call.text("Chart"), call.text("Release"));
    let repo = repository_mut(call.instance_mut(state)?, call)?;
    let before = repo.releases.len();
    repo.releases
        .retain(|r| !(r.chart == chart && r.release == release));
    if repo.releases.len() == before {
        return Err(Failure::business(
            "CHART_RELEASE_NOT_EXIST",
            format!("The chart {chart} has no release {release}."),
        ));
    }
    repo.modified_time = call.now;
    done()
}
