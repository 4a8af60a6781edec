//! Image namespaces.

use tagdeck::Value;

use super::{check_name, done, page, Answer, Call, Failure, Route};
use crate::obj;
use crate::state::{Instance, Namespace, State};

pub(super) const ROUTES: &[Route] = &[
    Route::write("CreateNamespace", create),
    Route::write("DeleteNamespace", delete),
    Route::write("UpdateNamespace", update),
    Route::read("GetNamespace", get),
    Route::read("ListNamespace", list),
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
        "ResourceGroupId" => &instance.resource_group_id,
    }
}

/// An image namespace: the common fields and the defaults of the
/// repositories it creates (chart namespaces have none).
fn image_fields(instance: &Instance, ns: &Namespace) -> Value {
    let mut value = fields(instance, ns);
    if let Value::Object(members) = &mut value {
        members.push((
            "DefaultRepoConfiguration".into(),
            obj! {
                "RepoType" => &ns.default_repo_type,
                "TagImmutability" => ns.default_tag_immutability,
                "ArtifactBuildRuleParameters" => obj! { "ImageIndexOnly" => ns.image_index_only },
            },
        ));
    }
    value
}

/// Applies `DefaultRepoType` and the JSON text `DefaultRepoConfiguration`
/// (`{"RepoType": …, "TagImmutability": …, "ArtifactBuildRuleParameters":
/// {"ImageIndexOnly": …}}`; it wins over `DefaultRepoType`) to `ns`.
fn apply_defaults(ns: &mut Namespace, call: &Call<'_>) -> Result<(), Failure> {
    if let Some(kind) = call.given("DefaultRepoType") {
        super::check_repo_type("DefaultRepoType", kind)?;
        ns.default_repo_type = kind.into();
    }
    let Some(text) = call.given("DefaultRepoConfiguration") else {
        return Ok(());
    };
    let name = "DefaultRepoConfiguration";
    let config: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| Failure::invalid(name, format!("not a JSON object: {e}")))?;
    if !config.is_object() {
        return Err(Failure::invalid(name, "not a JSON object"));
    }
    let flag = |value: Option<&serde_json::Value>, field: &str| match value {
        None => Ok(None),
        Some(serde_json::Value::Bool(b)) => Ok(Some(*b)),
        Some(serde_json::Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Some(serde_json::Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(Some(false)),
        Some(other) => Err(Failure::invalid(
            name,
            format!("{field} must be true or false, got {other}"),
        )),
    };
    if let Some(kind) = config.get("RepoType") {
        let kind = kind.as_str().unwrap_or("");
        super::check_repo_type(&format!("{name}.RepoType"), kind)?;
        ns.default_repo_type = kind.into();
    }
    if let Some(b) = flag(config.get("TagImmutability"), "TagImmutability")? {
        ns.default_tag_immutability = b;
    }
    let index_only = config
        .get("ArtifactBuildRuleParameters")
        .and_then(|p| p.get("ImageIndexOnly"));
    if let Some(b) = flag(index_only, "ArtifactBuildRuleParameters.ImageIndexOnly")? {
        ns.image_index_only = b;
    }
    Ok(())
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
    let auto_create = call.flag("AutoCreateRepo").unwrap_or(true);
    let mut ns = Namespace::new(id, name, auto_create, "PRIVATE", call.now);
    apply_defaults(&mut ns, call)?;
    instance.namespaces.push(ns);
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
    let mut changed = ns.clone();
    apply_defaults(&mut changed, call)?;
    *ns = changed;
    done()
}

/// By `NamespaceName`, or by `NamespaceId`; both must agree when given.
fn get(state: &State, call: &Call<'_>) -> Answer {
    let instance = call.instance(state)?;
    let (name, id) = (call.given("NamespaceName"), call.given("NamespaceId"));
    let ns = instance
        .namespaces
        .iter()
        .find(|n| name.is_none_or(|x| n.name == x) && id.is_none_or(|x| n.id == x))
        .ok_or_else(|| not_found(name.or(id).unwrap_or("")))?;
    if name.is_none() && id.is_none() {
        return Err(Failure::missing("NamespaceName"));
    }
    Ok(image_fields(instance, ns))
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
    Ok(page(call, &matching, "Namespaces", |n| {
        image_fields(instance, n)
    }))
}
