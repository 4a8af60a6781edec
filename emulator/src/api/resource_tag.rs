//! Tags (key/value labels) on instances: `TagResources`, `UntagResources`,
//! `ListTagResources`, with the region named by `RegionId` and flat list
//! parameters (`ResourceId.1`, `Tag.1.Key`, `TagKey.1`).

use serde_json::Value as Json;
use tagdeck::Value;

use super::records::param_json;
use super::{done, token_page, Answer, Call, Failure, Route};
use crate::obj;
use crate::state::{ResourceTag, State};

pub(super) const ROUTES: &[Route] = &[
    Route::write("TagResources", tag),
    Route::write("UntagResources", untag),
    Route::read("ListTagResources", list),
];

/// The only resource type of this API that takes tags.
const INSTANCE: &str = "INSTANCE";
/// Labels one resource may carry.
const MAX_TAGS: usize = 20;
/// Answers per page of `ListTagResources` (which has no `MaxResults`): a
/// resource carries up to 20 tags, so paging shows with one instance.
const PAGE: i64 = 10;

fn resource_type(call: &Call<'_>) -> Result<&'static str, Failure> {
    let given = call.text("ResourceType");
    if given.eq_ignore_ascii_case(INSTANCE) {
        Ok(INSTANCE)
    } else {
        Err(Failure::invalid(
            "ResourceType",
            format!("only Instance resources take tags, got {given:?}"),
        ))
    }
}

/// The texts of a flat list parameter (`ResourceId.1`, ...).
fn texts(call: &Call<'_>, name: &str) -> Vec<String> {
    match param_json(call, name) {
        Some(Json::Array(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
        Some(Json::String(one)) => vec![one],
        _ => Vec::new(),
    }
}

/// The `(key, value)` pairs of the flat `Tag.N.Key`/`Tag.N.Value` list.
fn pairs(call: &Call<'_>) -> Result<Vec<(String, String)>, Failure> {
    let Some(Json::Array(items)) = param_json(call, "Tag") else {
        return Ok(Vec::new());
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let key = item.get("Key").and_then(Json::as_str).unwrap_or("");
            let value = item.get("Value").and_then(Json::as_str).unwrap_or("");
            if key.is_empty()
                || key.len() > 128
                || key.starts_with("aliyun")
                || key.starts_with("acs:")
            {
                return Err(Failure::invalid(
                    &format!("Tag.{}.Key", i + 1),
                    format!(
                        "{key:?} must be 1 to 128 characters, not starting with aliyun or acs:"
                    ),
                ));
            }
            Ok((key.to_string(), value.to_string()))
        })
        .collect()
}

/// The ids named, each an instance of the region asked for.
fn resources(state: &State, call: &Call<'_>, required: bool) -> Result<Vec<String>, Failure> {
    let region = call.text("RegionId");
    let ids = texts(call, "ResourceId");
    if required && ids.is_empty() {
        return Err(Failure::missing("ResourceId.1"));
    }
    for id in &ids {
        if !state
            .instances
            .iter()
            .any(|i| &i.id == id && i.region_id == region)
        {
            return Err(Failure::business(
                "INSTANCE_NOT_EXIST",
                format!("The instance {id} (ResourceId) does not exist in region {region}."),
            ));
        }
    }
    Ok(ids)
}

fn tag(state: &mut State, call: &Call<'_>) -> Answer {
    let kind = resource_type(call)?;
    let ids = resources(state, call, true)?;
    let pairs = pairs(call)?;
    if pairs.is_empty() {
        return Err(Failure::missing("Tag.1.Key"));
    }
    let region = call.text("RegionId").to_string();
    for id in &ids {
        for (key, value) in &pairs {
            match state
                .resource_tags
                .iter_mut()
                .find(|t| &t.resource_id == id && &t.key == key)
            {
                Some(existing) => existing.value = value.clone(),
                None => state.resource_tags.push(ResourceTag {
                    region_id: region.clone(),
                    resource_type: kind.into(),
                    resource_id: id.clone(),
                    key: key.clone(),
                    value: value.clone(),
                }),
            }
        }
        let count = state
            .resource_tags
            .iter()
            .filter(|t| &t.resource_id == id)
            .count();
        if count > MAX_TAGS {
            return Err(Failure::business(
                "TagResources.Exceeded",
                format!(
                    "The instance {id} would carry {count} tags; at most {MAX_TAGS} are allowed."
                ),
            ));
        }
    }
    done()
}

fn untag(state: &mut State, call: &Call<'_>) -> Answer {
    resource_type(call)?;
    let ids = resources(state, call, true)?;
    let keys = texts(call, "TagKey");
    let all = call.flag("All").unwrap_or(false);
    if keys.is_empty() && !all {
        return Err(Failure::missing("TagKey.1"));
    }
    state
        .resource_tags
        .retain(|t| !(ids.contains(&t.resource_id) && (all || keys.contains(&t.key))));
    done()
}

/// The labels of the resources named (or of all of the region's), those
/// with every `Tag.N` pair given, one page after `NextToken`.
fn list(state: &State, call: &Call<'_>) -> Answer {
    let kind = resource_type(call)?;
    let ids = resources(state, call, false)?;
    let wanted = pairs(call)?;
    let region = call.text("RegionId");
    let has = |id: &str, (k, v): &(String, String)| {
        state
            .resource_tags
            .iter()
            .any(|t| t.resource_id == id && &t.key == k && (v.is_empty() || &t.value == v))
    };
    let matching: Vec<&ResourceTag> = state
        .resource_tags
        .iter()
        .filter(|t| {
            t.region_id == region
                && t.resource_type == kind
                && (ids.is_empty() || ids.contains(&t.resource_id))
                && wanted.iter().all(|p| has(&t.resource_id, p))
        })
        .collect();
    let (range, next) = token_page(call, matching.len(), PAGE)?;
    let items: Vec<Value> = matching[range]
        .iter()
        .map(|t| {
            obj! {
                "ResourceId" => &t.resource_id,
                "ResourceType" => &t.resource_type,
                "TagKey" => &t.key,
                "TagValue" => &t.value,
            }
        })
        .collect();
    Ok(obj! {
        "NextToken" => next,
        "TagResources" => obj! { "TagResource" => items },
    })
}
