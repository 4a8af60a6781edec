//! Synchronisation between instances: rules, and tasks that copy a tag to
//! the target instance over time (see `state::tasks`).

use tagdeck::Value;

use super::{done, page, repo_not_found, Answer, Call, Failure, Handler, Route};
use crate::obj;
use crate::state::image::sha256_hex;
use crate::state::{ImageAddress, State, SyncRule, SyncTask};

pub(super) const ROUTES: &[Route] = &[
    Route {
        action: "CreateRepoSyncRule",
        handler: Handler::Write(create_rule),
    },
    Route {
        action: "DeleteRepoSyncRule",
        handler: Handler::Write(delete_rule),
    },
    Route {
        action: "ListRepoSyncRule",
        handler: Handler::Read(list_rules),
    },
    Route {
        action: "CreateRepoSyncTaskByRule",
        handler: Handler::Write(create_task),
    },
    Route {
        action: "ListRepoSyncTask",
        handler: Handler::Read(list_tasks),
    },
    Route {
        action: "GetRepoSyncTask",
        handler: Handler::Read(get_task),
    },
];

fn rule_not_found(id: &str) -> Failure {
    Failure::business(
        "SYNC_RULE_NOT_EXIST",
        format!("The synchronization rule {id} does not exist."),
    )
}

fn create_rule(state: &mut State, call: &Call<'_>) -> Answer {
    let filter = call.text("TagFilter");
    if let Err(e) = regex_lite::Regex::new(filter) {
        return Err(Failure::invalid(
            "TagFilter",
            format!("{filter:?} is not a regular expression: {e}"),
        ));
    }
    let (target_id, target_region) = (call.text("TargetInstanceId"), call.text("TargetRegionId"));
    let target_namespace = call.text("TargetNamespaceName");
    let source_id = call.instance(state)?.id.clone();
    if target_id == source_id {
        return Err(Failure::invalid(
            "TargetInstanceId",
            "the target must be another instance",
        ));
    }
    let target = state
        .instance(target_id)
        .filter(|i| i.region_id == target_region)
        .ok_or_else(|| {
            Failure::business(
                "INSTANCE_NOT_EXIST",
                format!(
                    "The target instance {target_id} does not exist in region {target_region}."
                ),
            )
        })?;
    if target.namespace(target_namespace).is_none() {
        return Err(Failure::business(
            "NAMESPACE_NOT_EXIST",
            format!("The target namespace {target_namespace} does not exist in {target_id}."),
        ));
    }
    let id = state.rng.resource_id("crsr");
    let (namespace, repo, name) = (
        call.text("NamespaceName"),
        call.text("RepoName"),
        call.text("SyncRuleName"),
    );
    let scope = call.text("SyncScope");
    let instance = call.instance_mut(state)?;
    if instance.namespace(namespace).is_none() {
        return Err(Failure::business(
            "NAMESPACE_NOT_EXIST",
            format!("The namespace {namespace} does not exist."),
        ));
    }
    if scope == "REPO" && instance.repository_named(namespace, repo).is_none() {
        return Err(repo_not_found(&format!("{namespace}/{repo}")));
    }
    if instance.sync_rules.iter().any(|r| r.name == name) {
        return Err(Failure::business(
            "SYNC_RULE_ALREADY_EXIST",
            format!("A synchronization rule named {name} exists."),
        ));
    }
    instance.sync_rules.push(SyncRule {
        id: id.clone(),
        name: name.into(),
        local_region_id: instance.region_id.clone(),
        local_namespace: namespace.into(),
        local_repo: repo.into(),
        target_region_id: target_region.into(),
        target_instance_id: target_id.into(),
        target_namespace: target_namespace.into(),
        target_repo: call.text("TargetRepoName").into(),
        tag_filter: filter.into(),
        scope: scope.into(),
        trigger: call.text("SyncTrigger").into(),
        create_time: call.now,
        modified_time: call.now,
    });
    Ok(obj! { "SyncRuleId" => id })
}

fn delete_rule(state: &mut State, call: &Call<'_>) -> Answer {
    let id = call.text("SyncRuleId");
    let instance = call.instance_mut(state)?;
    let before = instance.sync_rules.len();
    instance.sync_rules.retain(|r| r.id != id);
    if instance.sync_rules.len() == before {
        return Err(rule_not_found(id));
    }
    done()
}

fn rule_fields(instance_id: &str, rule: &SyncRule) -> Value {
    obj! {
        "SyncRuleId" => &rule.id,
        "LocalRegionId" => &rule.local_region_id,
        "LocalInstanceId" => instance_id,
        "LocalNamespaceName" => &rule.local_namespace,
        "LocalRepoName" => &rule.local_repo,
        "TargetRegionId" => &rule.target_region_id,
        "TargetInstanceId" => &rule.target_instance_id,
        "TargetNamespaceName" => &rule.target_namespace,
        "TargetRepoName" => &rule.target_repo,
        "TagFilter" => &rule.tag_filter,
        "SyncScope" => &rule.scope,
        "SyncDirection" => "FROM",
        "CreateTime" => rule.create_time,
        "ModifiedTime" => rule.modified_time,
        "SyncRuleName" => &rule.name,
        "SyncTrigger" => &rule.trigger,
    }
}

fn list_rules(state: &State, call: &Call<'_>) -> Answer {
    let instance = call.instance(state)?;
    let (ns, repo) = (call.given("NamespaceName"), call.given("RepoName"));
    let (target, region) = (call.given("TargetInstanceId"), call.given("TargetRegionId"));
    let rules: Vec<&SyncRule> = instance
        .sync_rules
        .iter()
        .filter(|r| {
            ns.is_none_or(|x| r.local_namespace == x)
                && repo.is_none_or(|x| r.local_repo == x)
                && target.is_none_or(|x| r.target_instance_id == x)
                && region.is_none_or(|x| r.target_region_id == x)
        })
        .collect();
    Ok(page(call, &rules, "SyncRules", |r| {
        rule_fields(&instance.id, r)
    }))
}

/// Synchronises one tag now: the repository must be covered by the rule
/// and the tag must match its filter.
fn create_task(state: &mut State, call: &Call<'_>) -> Answer {
    let (rule_id, tag_name) = (call.text("SyncRuleId"), call.text("Tag"));
    let instance = call.instance(state)?;
    let rule = instance
        .sync_rules
        .iter()
        .find(|r| r.id == rule_id)
        .ok_or_else(|| rule_not_found(rule_id))?
        .clone();
    let repo = call.repository(instance)?;
    if !rule.covers(&repo.namespace, &repo.name) {
        return Err(Failure::business(
            "SYNC_RULE_NOT_MATCH",
            format!(
                "The rule {rule_id} does not cover the repository {}/{}.",
                repo.namespace, repo.name
            ),
        ));
    }
    let tag = repo
        .tag(tag_name)
        .ok_or_else(|| super::tag::tag_not_found(repo, tag_name))?;
    if !rule.matches_tag(tag_name) {
        return Err(Failure::business(
            "TAG_NOT_MATCH_RULE",
            format!(
                "The tag {tag_name} does not match the rule's filter {:?}.",
                rule.tag_filter
            ),
        ));
    }
    let (instance_id, repo_name, digest) =
        (instance.id.clone(), repo.name.clone(), tag.digest.clone());
    let mut task = rule.task(
        &instance_id,
        &repo_name,
        tag_name,
        &digest,
        "PASSIVE",
        call.now,
        call.task_ms,
    );
    task.id = state.rng.resource_id("rst");
    task.batch_id = state.rng.uuid();
    let id = task.id.clone();
    call.instance_mut(state)?.sync_tasks.push(task);
    Ok(obj! { "SyncTaskId" => id })
}

fn address(a: &ImageAddress) -> Value {
    obj! {
        "RegionId" => &a.region_id,
        "RepoNamespaceName" => &a.namespace,
        "RepoName" => &a.repo,
        "ImageTag" => &a.tag,
        "InstanceId" => &a.instance_id,
    }
}

fn task_fields(task: &SyncTask) -> Value {
    obj! {
        "SyncTaskId" => &task.id,
        "TaskStatus" => &task.status,
        "TaskTrigger" => &task.trigger,
        "SyncRuleId" => &task.rule_id,
        "CreateTime" => task.create_time,
        "ModifiedTime" => task.modified_time,
        "ImageFrom" => address(&task.from),
        "ImageTo" => address(&task.to),
    }
}

/// Newest first; `SyncRecordId` narrows to one task or one rule's tasks.
fn list_tasks(state: &State, call: &Call<'_>) -> Answer {
    let instance = call.instance(state)?;
    let record = call.given("SyncRecordId");
    let mut tasks: Vec<&SyncTask> = instance
        .sync_tasks
        .iter()
        .filter(|t| record.is_none_or(|r| t.id == r || t.rule_id == r))
        .collect();
    tasks.sort_by(|a, b| {
        b.create_time
            .cmp(&a.create_time)
            .then_with(|| a.id.cmp(&b.id))
    });
    Ok(page(call, &tasks, "SyncTasks", |t| task_fields(t)))
}

/// The task with the progress of each layer of its image.
fn get_task(state: &State, call: &Call<'_>) -> Answer {
    let instance = call.instance(state)?;
    let id = call.text("SyncTaskId");
    let task = instance
        .sync_tasks
        .iter()
        .find(|t| t.id == id)
        .ok_or_else(|| {
            Failure::business(
                "SYNC_TASK_NOT_EXIST",
                format!("The synchronization task {id} does not exist."),
            )
        })?;
    let layers = state
        .images
        .get(&task.digest)
        .map(|i| i.layers.as_slice())
        .unwrap_or(&[]);
    let half = layers.len().div_ceil(2);
    let mut synced_total = 0;
    let layer_tasks: Vec<Value> = layers
        .iter()
        .enumerate()
        .map(|(i, layer)| {
            let status = match task.status.as_str() {
                "SUCCESS" => "SUCCESS",
                "SYNCING" if i < half => "SUCCESS",
                "SYNCING" => "SYNCING",
                "FAILED" => "FAILED",
                _ => "PENDING",
            };
            let synced = if status == "SUCCESS" { layer.size } else { 0 };
            synced_total += synced;
            obj! {
                "SyncLayerTaskId" => format!("rslt-{}", &sha256_hex(format!("{}/{i}", task.id).as_bytes())[..16]),
                "TaskStatus" => status,
                "Digest" => format!("sha256:{}", layer.digest),
                "Size" => layer.size,
                "SyncedSize" => synced,
            }
        })
        .collect();
    // The service reports progress as 1 once the task is done.
    let progress = i64::from(task.status == "SUCCESS");
    Ok(obj! {
        "SyncTaskId" => &task.id,
        "TaskStatus" => &task.status,
        "TaskTrigger" => &task.trigger,
        "SyncRuleId" => &task.rule_id,
        "Progress" => progress,
        "SyncedSize" => synced_total,
        "LayerTasks" => layer_tasks,
        "ImageFrom" => address(&task.from),
        "ImageTo" => address(&task.to),
    })
}
