//! Synchronisation between instances: rules, and tasks that copy a tag to
//! the target instance over time (see `state::tasks`).

use tagdeck::Value;

use super::{done, page, repo_not_found, Answer, Call, Failure, Route};
use crate::obj;
use crate::state::image::sha256_hex;
use crate::state::{ImageAddress, State, SyncRule, SyncTask};

pub(super) const ROUTES: &[Route] = &[
    Route::write("CreateRepoSyncRule", create_rule),
    Route::write("DeleteRepoSyncRule", delete_rule),
    Route::read("ListRepoSyncRule", list_rules),
    Route::write("CreateRepoSyncTaskByRule", create_task),
    Route::read("ListRepoSyncTask", list_tasks),
    Route::read("GetRepoSyncTask", get_task),
    Route::write("CreateRepoSyncTask", create_direct_task),
    Route::write("CancelRepoSyncTask", cancel_task),
];

/// Copies one tag to a target named in the call, without a rule. Without
/// `Override`, a target tag that exists already is refused.
fn create_direct_task(state: &mut State, call: &Call<'_>) -> Answer {
    let tag_name = call.text("Tag");
    let to = ImageAddress {
        region_id: call.text("TargetRegionId").into(),
        instance_id: call.text("TargetInstanceId").into(),
        namespace: call.text("TargetNamespace").into(),
        repo: call.text("TargetRepoName").into(),
        tag: call.text("TargetTag").into(),
    };
    super::check_tag("TargetTag", &to.tag)?;
    let instance = call.instance(state)?;
    let repo = call.repository(instance)?;
    let tag = repo
        .tag(tag_name)
        .ok_or_else(|| super::tag::tag_not_found(repo, tag_name))?;
    let from = ImageAddress {
        region_id: instance.region_id.clone(),
        instance_id: instance.id.clone(),
        namespace: repo.namespace.clone(),
        repo: repo.name.clone(),
        tag: tag_name.into(),
    };
    let digest = tag.digest.clone();
    let target = state
        .instances
        .iter()
        .find(|i| i.id == to.instance_id && i.region_id == to.region_id)
        .ok_or_else(|| {
            Failure::business(
                "INSTANCE_NOT_EXIST",
                format!(
                    "The target instance {} (TargetInstanceId) does not exist in {} (TargetRegionId).",
                    to.instance_id, to.region_id
                ),
            )
        })?;
    let exists = target
        .repository_named(&to.namespace, &to.repo)
        .is_some_and(|r| r.tag(&to.tag).is_some());
    if exists && !call.flag("Override").unwrap_or(false) {
        return Err(Failure::business(
            "TAG_ALREADY_EXIST",
            format!(
                "The tag {} exists in {}/{}; set Override to replace it.",
                to.tag, to.namespace, to.repo
            ),
        ));
    }
    let id = state.rng.resource_id("rst");
    let batch_id = state.rng.uuid();
    let task = SyncTask {
        id: id.clone(),
        rule_id: String::new(),
        batch_id,
        trigger: "PASSIVE".into(),
        status: "PENDING".into(),
        digest,
        from,
        to,
        create_time: call.now,
        modified_time: call.now,
        syncing_at: call.now + call.task_ms / 4,
        finish_at: call.now + call.task_ms,
        priority: call.int("Priority").unwrap_or(0),
        target_user_id: call.get("TargetUserId").unwrap_or("").into(),
    };
    call.instance_mut(state)?.sync_tasks.push(task);
    Ok(obj! { "SyncTaskId" => id })
}

/// Stops a task that has not finished.
fn cancel_task(state: &mut State, call: &Call<'_>) -> Answer {
    let id = call.text("SyncTaskId");
    let now = call.now;
    let task = call
        .instance_mut(state)?
        .sync_tasks
        .iter_mut()
        .find(|t| t.id == id)
        .ok_or_else(|| task_not_found(id))?;
    if task.status != "PENDING" && task.status != "SYNCING" {
        return Err(Failure::business(
            "SYNC_TASK_NOT_CANCELABLE",
            format!(
                "The synchronization task {id} is {} and can no longer be cancelled.",
                task.status
            ),
        ));
    }
    task.status = "CANCELED".into();
    task.modified_time = now;
    done()
}

fn task_not_found(id: &str) -> Failure {
    Failure::business(
        "SYNC_TASK_NOT_EXIST",
        format!("The synchronization task {id} does not exist."),
    )
}

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
        priority: call.int("Priority").unwrap_or(0),
        target_user_id: call.get("TargetUserId").unwrap_or("").into(),
        link_id: call.get("LinkId").unwrap_or("").into(),
        namespace_filter: call.get("NamespaceNameFilter").unwrap_or("").into(),
        repo_filter: call.get("RepoNameFilter").unwrap_or("").into(),
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
        "CrossUser" => !rule.target_user_id.is_empty(),
        "LinkId" => &rule.link_id,
        "NamespaceNameFilter" => &rule.namespace_filter,
        "RepoNameFilter" => &rule.repo_filter,
        "Priority" => rule.priority,
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
    if let Some(priority) = call.int("Priority") {
        task.priority = priority;
    }
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
        // The SDK also declares the field under this misspelt name.
        "ModifedTime" => task.modified_time,
        "ImageFrom" => address(&task.from),
        "ImageTo" => address(&task.to),
        "SyncBatchTaskId" => &task.batch_id,
        "Priority" => task.priority,
        "CrossUser" => !task.target_user_id.is_empty(),
        "CustomLink" => false,
        "LinkId" => "",
        "SyncTransAccelerate" => false,
        "TaskIssue" => task_issue(task),
    }
}

/// Why a task failed, in the service's words for the emulator's one cause.
fn task_issue(task: &SyncTask) -> &'static str {
    if task.status == "FAILED" {
        "TARGET_REPO_NOT_WRITABLE"
    } else {
        ""
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
        .ok_or_else(|| task_not_found(id))?;
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
                "ArtifactDigest" => format!("sha256:{}", task.digest),
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
        "SyncBatchTaskId" => &task.batch_id,
        "Priority" => task.priority,
        "CrossUser" => !task.target_user_id.is_empty(),
        "SyncTransAccelerate" => false,
        "TaskIssue" => task_issue(task),
    })
}
