//! Instances: information, usage, regions.

use tagdeck::Value;

use super::{page, Answer, Call, Handler, Route};
use crate::obj;
use crate::state::{Instance, State};

pub(super) const ROUTES: &[Route] = &[
    Route {
        action: "GetInstance",
        handler: Handler::Read(get),
    },
    Route {
        action: "GetInstanceUsage",
        handler: Handler::Read(usage),
    },
    Route {
        action: "ListInstanceRegion",
        handler: Handler::Read(regions),
    },
    Route {
        action: "ListInstance",
        handler: Handler::Read(list),
    },
];

fn fields(instance: &Instance) -> Value {
    obj! {
        "InstanceId" => &instance.id,
        "InstanceName" => &instance.name,
        "InstanceSpecification" => &instance.specification,
        "InstanceStatus" => &instance.status,
        "CreateTime" => instance.create_time,
        "ModifiedTime" => instance.modified_time,
        "RegionId" => &instance.region_id,
    }
}

fn get(state: &State, call: &Call<'_>) -> Answer {
    let instance = call.instance(state)?;
    let Value::Object(mut members) = fields(instance) else {
        unreachable!()
    };
    // `GetInstance` has no `RegionId` of its own in the catalogue.
    members.retain(|(k, _)| k != "RegionId");
    Ok(Value::Object(members))
}

fn usage(state: &State, call: &Call<'_>) -> Answer {
    let instance = call.instance(state)?;
    Ok(obj! {
        "NamespaceQuota" => instance.namespace_quota,
        "NamespaceUsage" => instance.namespaces.len(),
        "RepoQuota" => instance.repo_quota,
        "RepoUsage" => instance.repositories.len(),
    })
}

/// In English, or in Chinese with `Lang=zh-CN`.
fn regions(state: &State, call: &Call<'_>) -> Answer {
    let chinese = call
        .given("Lang")
        .is_some_and(|l| l.to_ascii_lowercase().starts_with("zh"));
    let regions: Vec<Value> = state
        .regions
        .iter()
        .map(|r| {
            obj! {
                "RegionId" => &r.region_id,
                "LocalName" => if chinese { &r.name_zh } else { &r.name_en },
            }
        })
        .collect();
    Ok(obj! { "Regions" => regions })
}

/// The instances of the region asked for (a caller of the current API
/// sends no `RegionId`: the region is in the endpoint, so all are listed).
fn list(state: &State, call: &Call<'_>) -> Answer {
    let region = call.given("RegionId");
    let (name, status) = (call.given("InstanceName"), call.given("InstanceStatus"));
    let matching: Vec<&Instance> = state
        .instances
        .iter()
        .filter(|i| {
            region.is_none_or(|r| i.region_id == r)
                && name.is_none_or(|n| i.name.contains(n))
                && status.is_none_or(|s| i.status == s)
        })
        .collect();
    Ok(page(call, &matching, "Instances", |i| fields(i)))
}
