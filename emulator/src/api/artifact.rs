//! The artifact operations that are more than records (`kinds`): running a
//! subscription rule, its per-tag results, cancelling an accelerated-image
//! build and reading its log.

use serde_json::{json, Value as Json};
use tagdeck::Value;

use super::records::not_found;
use super::{done, kinds, page, Answer, Call, Failure, Route};
use crate::obj;
use crate::state::artifacts::BUILD_TASK;
use crate::state::records::Record;
use crate::state::{image, Repository, State};

pub(super) const ROUTES: &[Route] = &[
    Route::write("CreateArtifactSubscriptionTask", subscribe),
    Route::read("GetArtifactSubscriptionTaskResult", subscription_results),
    Route::write("CancelArtifactBuildTask", cancel_build),
    Route::read("ListArtifactBuildTaskLog", build_log),
];

/// The tags the upstream repositories offer, newest first: what a
/// subscription chooses from with its `TagRegexp` and `TagCount`.
fn upstream_tags() -> Vec<String> {
    let mut tags = vec!["latest".to_string()];
    for minor in (0..10).rev() {
        tags.push(format!("1.{minor}.0"));
        tags.push(format!("v1.{minor}.0"));
        tags.push(format!("release-v1.{minor}"));
    }
    tags
}

/// Runs subscription rule `RuleId` now: the `TagCount` newest upstream
/// tags matching its `TagRegexp` are imported into its repository (made
/// when missing), existing tags only with `Override`.
fn subscribe(state: &mut State, call: &Call<'_>) -> Answer {
    let rule_id = call.text("RuleId");
    let task_id = state.rng.resource_id("crast");
    let ii = call.instance_index(state)?;
    let kind = &kinds::SUBSCRIPTION_RULE;
    let rule = state.instances[ii]
        .record(kind.name, rule_id)
        .cloned()
        .ok_or_else(|| not_found(kind, rule_id))?;
    let namespace = rule.text("NamespaceName");
    let repo_name = match rule.text("RepoName") {
        n if n.is_empty() => rule.text("SourceRepoName"),
        n => n,
    };
    let pattern = regex_lite::Regex::new(&format!("^(?:{})$", rule.text("TagRegexp")))
        .map_err(|e| Failure::invalid("TagRegexp", e))?;
    let count = rule.int("TagCount").unwrap_or(1).max(0) as usize;
    let chosen: Vec<String> = upstream_tags()
        .into_iter()
        .filter(|t| pattern.is_match(t))
        .take(count)
        .collect();
    if state.instances[ii].namespace(&namespace).is_none() {
        return Err(Failure::business(
            "NAMESPACE_NOT_EXIST",
            format!("The namespace {namespace} of rule {rule_id} does not exist."),
        ));
    }
    let ri = match state.instances[ii]
        .repositories
        .iter()
        .position(|r| r.namespace == namespace && r.name == repo_name)
    {
        Some(ri) => ri,
        None => {
            let id = state.rng.resource_id("crr");
            let mut repo = Repository::new(id, &namespace, &repo_name, "PRIVATE", call.now);
            repo.build_type = "AUTO".into();
            state.instances[ii].repositories.push(repo);
            state.instances[ii].repositories.len() - 1
        }
    };
    let override_existing = rule.flag("Override");
    let mut results = Vec::new();
    let mut imported = 0;
    for tag in &chosen {
        let exists = state.instances[ii].repositories[ri].tag(tag).is_some();
        let image = image::generate(&mut state.rng, repo_name.len(), call.now);
        let digest = state.put_image(image);
        let result = if exists && !override_existing {
            "SKIPPED"
        } else if state.push_tag(ii, ri, tag, &digest, call.now, call.task_ms) {
            imported += 1;
            "SUCCESS"
        } else {
            "FAILED"
        };
        results.push(json!({
            "TaskId": task_id, "InstanceId": state.instances[ii].id,
            "NamespaceName": namespace, "RepoName": repo_name, "Tag": tag,
            "Result": result, "Status": "FINISHED",
            "StartTime": call.now, "EndTime": call.now,
        }));
    }
    let mut task = Record {
        id: task_id.clone(),
        ..Record::default()
    };
    for copied in [
        "NamespaceName",
        "SourceNamespaceName",
        "SourceProvider",
        "SourceRepoName",
    ] {
        task.set(copied, rule.text(copied));
    }
    task.set("RepoName", repo_name);
    task.set("ArtifactType", "IMAGE");
    task.set("SourceRepoType", "PUBLIC");
    task.set("TaskType", "MANUAL");
    task.set("TaskStatus", "SUCCESS");
    task.set(
        "TaskResult",
        if imported == chosen.len() {
            "SUCCESS"
        } else {
            "PARTIAL_SUCCESS"
        },
    );
    task.set(
        "Message",
        format!("{imported} of {} tags imported", chosen.len()),
    );
    task.set("TagTotalCount", chosen.len());
    task.set("TagSubscriptionCount", imported);
    task.set("StartTime", call.now);
    task.set("EndTime", call.now);
    task.set("CreateTime", call.now);
    task.set("Results", Json::Array(results));
    state.instances[ii]
        .records_mut(kinds::SUBSCRIPTION_TASK.name)
        .push(task);
    Ok(obj! { "TaskId" => task_id })
}

fn subscription_results(state: &State, call: &Call<'_>) -> Answer {
    let id = call.text("TaskId");
    let kind = &kinds::SUBSCRIPTION_TASK;
    let task = call
        .instance(state)?
        .record(kind.name, id)
        .ok_or_else(|| not_found(kind, id))?;
    let results: Vec<Json> = task
        .fields
        .get("Results")
        .and_then(Json::as_array)
        .cloned()
        .unwrap_or_default();
    let shape = match call.op.response.iter().find(|f| f.name == "TaskResults") {
        Some(tagdeck::catalog::Field {
            ty: tagdeck::catalog::Type::Array(tagdeck::catalog::Type::Object(fields)),
            ..
        }) => *fields,
        _ => &[],
    };
    Ok(page(call, &results, "TaskResults", |r| {
        super::records::render(shape, r)
    }))
}

/// The build task `BuildTaskId`.
fn build_task<'s>(state: &'s State, call: &Call<'_>) -> Result<&'s Record, Failure> {
    let id = call.text("BuildTaskId");
    call.instance(state)?
        .record(BUILD_TASK, id)
        .ok_or_else(|| not_found(&kinds::BUILD_TASK, id))
}

/// Stops a build that has not finished.
fn cancel_build(state: &mut State, call: &Call<'_>) -> Answer {
    let id = call.text("BuildTaskId");
    let task = call
        .instance_mut(state)?
        .record_mut(BUILD_TASK, id)
        .ok_or_else(|| not_found(&kinds::BUILD_TASK, id))?;
    let status = task.text("TaskStatus");
    if !matches!(status.as_str(), "PENDING" | "RUNNING") {
        return Err(Failure::business(
            "ARTIFACT_BUILD_TASK_FINISHED",
            format!("The build task {id} is {status} and cannot be cancelled."),
        ));
    }
    task.set("TaskStatus", "CANCELED");
    task.set("EndTime", call.now);
    done()
}

/// The build's log so far, `PageSize` lines from page `Page` (from 1).
fn build_log(state: &State, call: &Call<'_>) -> Answer {
    let task = build_task(state, call)?;
    let source = task
        .fields
        .get("SourceArtifact")
        .cloned()
        .unwrap_or_default();
    let version = source.get("Version").and_then(Json::as_str).unwrap_or("");
    let status = task.text("TaskStatus");
    let mut lines = vec![format!("task {} started for tag {version}", task.id)];
    let state_of_steps = match status.as_str() {
        "SUCCESS" => "done",
        "PENDING" | "RUNNING" => "waiting",
        _ => "not run",
    };
    if let Some(Json::Array(steps)) = task.fields.get("Instructions") {
        for step in steps {
            lines.push(format!(
                "step {}: {state_of_steps}",
                step.as_str().unwrap_or("")
            ));
        }
    }
    lines.push(format!("task {}", status.to_lowercase()));
    let no = call.int("Page").unwrap_or(1).max(1);
    let size = call.int("PageSize").unwrap_or(100).max(1);
    let logs: Vec<Value> = lines
        .iter()
        .enumerate()
        .skip(((no - 1) * size) as usize)
        .take(size as usize)
        .map(|(i, line)| obj! { "LineNumber" => i + 1, "Message" => line.as_str() })
        .collect();
    Ok(obj! { "BuildTaskLogs" => logs, "TotalCount" => lines.len() })
}
