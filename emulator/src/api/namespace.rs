//! Image namespaces.

use tagdeck::Value;

use super::{check_name, done, page, Answer, Call, Failure, Handler, Route};
use crate::obj;
use crate::state::{Instance, Namespace, State};

pub(super) const ROUTES: &[Route] = &[
    Route {
        action: "CreateNamespace",
        handler: Handler::Write(create),
    },
    Route {
        action: "DeleteNamespace",
        handler: Handler::Write(delete),
    },
    Route {
        action: "UpdateNamespace",
        handler: Handler::Write(update),
    },
    Route {
        action: "GetNamespace",
        handler: Handler::Read(get),
    },
    Route {
        action: "ListNamespace",
        handler: Handler::Read(list),
    },
];

fn not_found(name: &str) -> Failure {
    Failure::business(
        "NAMESPACE_NOT_EXIST",
        format!("The namespace {name} does not exist."),
    )
}

/// A namespace as the API shows it (image and chart namespaces alike).
pub(super) fn fields(instance: &Instance, ns: &Namespace) -> Value {
    obj! {
        "NamespaceName" => &ns.name,
        "NamespaceStatus" => &ns.status,
        "AutoCreateRepo" => ns.auto_create_repo,
        "DefaultRepoType" => &ns.default_repo_type,
        "InstanceId" => &instance.id,
        "NamespaceId" => &ns.id,
    }
}

fn create(state: &mut State, call: &Call<'_>) -> Answer {
    let name = call.text("NamespaceName");
    check_name("NamespaceName", name)?;
    let id = state.rng.resource_id("crn");
    let instance = call.instance_mut(state)?;
    if instance.namespace(name).is_some() {
        return Err(Failure::business(
            "NAMESPACE_ALREADY_EXIST",
            format!("The namespace {name} already exists."),
        ));
    }
    if instance.namespaces.len() as i64 >= instance.namespace_quota {
        return Err(Failure::business(
            "NAMESPACE_QUOTA_EXCEED",
            format!(
                "The instance holds its quota of {} namespaces.",
                instance.namespace_quota
            ),
        ));
    }
    instance.namespaces.push(Namespace {
        id,
        name: name.into(),
        status: "NORMAL".into(),
        auto_create_repo: call.flag("AutoCreateRepo").unwrap_or(true),
        default_repo_type: call
            .given("DefaultRepositoryType")
            .unwrap_or("PRIVATE")
            .into(),
        create_time: call.now,
    });
    done()
}

/// Removes the namespace with every repository (and so every tag) in it.
fn delete(state: &mut State, call: &Call<'_>) -> Answer {
    let name = call.text("NamespaceName");
    let instance = call.instance_mut(state)?;
    let before = instance.namespaces.len();
    instance.namespaces.retain(|n| n.name != name);
    if instance.namespaces.len() == before {
        return Err(not_found(name));
    }
    instance.repositories.retain(|r| r.namespace != name);
    done()
}

fn update(state: &mut State, call: &Call<'_>) -> Answer {
    let name = call.text("NamespaceName");
    let instance = call.instance_mut(state)?;
    let ns = instance
        .namespaces
        .iter_mut()
        .find(|n| n.name == name)
        .ok_or_else(|| not_found(name))?;
    if let Some(auto) = call.flag("AutoCreateRepo") {
        ns.auto_create_repo = auto;
    }
    if let Some(kind) = call.given("DefaultRepositoryType") {
        ns.default_repo_type = kind.into();
    }
    done()
}

fn get(state: &State, call: &Call<'_>) -> Answer {
    let instance = call.instance(state)?;
    let name = call.text("NamespaceName");
    let ns = instance.namespace(name).ok_or_else(|| not_found(name))?;
    if let Some(id) = call.given("NamespaceId") {
        if id != ns.id {
            return Err(not_found(id));
        }
    }
    Ok(fields(instance, ns))
}

fn list(state: &State, call: &Call<'_>) -> Answer {
    let instance = call.instance(state)?;
    let status = call.given("NamespaceStatus");
    let name = call.given("NamespaceName");
    let matching: Vec<&Namespace> = instance
        .namespaces
        .iter()
        .filter(|n| status.is_none_or(|s| n.status == s) && name.is_none_or(|x| n.name == x))
        .collect();
    Ok(page(call, &matching, "Namespaces", |n| fields(instance, n)))
}
