//! Instances: information, usage, regions.

use tagdeck::Value;

use super::{done, page, Answer, Call, Failure, Route};
use crate::obj;
use crate::state::{Instance, State};

pub(super) const ROUTES: &[Route] = &[
    Route::read("GetInstance", get),
    Route::read("GetInstanceUsage", usage),
    Route::read("ListInstanceRegion", regions),
    Route::read("ListInstance", list),
    Route::read("GetInstanceCount", count),
    Route::write("ChangeResourceGroup", change_resource_group),
];

/// How many instances the account has (every region).
fn count(state: &State, _: &Call<'_>) -> Answer {
    Ok(obj! { "Count" => state.instances.len() })
}

/// Moves the instance `ResourceId` of region `ResourceRegionId` into the
/// resource group `ResourceGroupId`.
fn change_resource_group(state: &mut State, call: &Call<'_>) -> Answer {
    let (id, region) = (call.text("ResourceId"), call.text("ResourceRegionId"));
    let group = call.text("ResourceGroupId");
    if !group.starts_with("rg-") || group.len() < 4 {
        return Err(Failure::invalid(
            "ResourceGroupId",
            format!("{group:?} is not a resource group id (rg-…)"),
        ));
    }
    let instance = state
        .instances
        .iter_mut()
        .find(|i| i.id == id && i.region_id == region)
        .ok_or_else(|| {
            Failure::business(
                "INSTANCE_NOT_EXIST",
                format!("The instance {id} (ResourceId) does not exist in region {region} (ResourceRegionId)."),
            )
        })?;
    instance.resource_group_id = group.to_string();
    done()
}

/// VPCs one instance may link (per module).
const VPC_QUOTA: i64 = 10;

fn fields(state: &State, instance: &Instance) -> Value {
    let tags: Vec<Value> = state
        .resource_tags
        .iter()
        .filter(|t| t.resource_id == instance.id)
        .map(|t| obj! { "TagKey" => &t.key, "TagValue" => &t.value })
        .collect();
    obj! {
        "InstanceId" => &instance.id,
        "InstanceName" => &instance.name,
        "InstanceSpecification" => &instance.specification,
        "InstanceStatus" => &instance.status,
        // Why an instance is not running; the emulator's always run.
        "InstanceIssue" => "",
        "CreateTime" => instance.create_time,
        "ModifiedTime" => instance.modified_time,
        "RegionId" => &instance.region_id,
        "ResourceGroupId" => &instance.resource_group_id,
        "Tags" => tags,
    }
}

fn get(state: &State, call: &Call<'_>) -> Answer {
    let instance = call.instance(state)?;
    let Value::Object(mut members) = fields(state, instance) else {
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
        // Chart quotas are the image ones.
        "ChartNamespaceQuota" => instance.namespace_quota,
        "ChartNamespaceUsage" => instance.chart_namespaces.len(),
        "ChartRepoQuota" => instance.repo_quota,
        "ChartRepoUsage" => instance.chart_repositories.len(),
        "VpcQuota" => VPC_QUOTA,
        "VpcUsage" => instance.linked_vpcs.len(),
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

/// The instances, of the region asked for when one is (the SDK names the
/// region by the endpoint; this emulator serves all regions at one).
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
    Ok(page(call, &matching, "Instances", |i| fields(state, i)))
}
