//! Image builds: rules, and builds that move from `PENDING` through
//! `BUILDING` to `SUCCESS` (pushing their tag) unless cancelled.

use tagdeck::Value;

use super::{check_tag, done, page, Answer, Call, Failure, Route};
use crate::obj;
use crate::state::{BuildRecord, BuildRule, Repository, State};

pub(super) const ROUTES: &[Route] = &[
    Route::write("CreateRepoBuildRule", create_rule),
    Route::write("UpdateRepoBuildRule", update_rule),
    Route::write("DeleteRepoBuildRule", delete_rule),
    Route::read("ListRepoBuildRule", list_rules),
    Route::write("CreateBuildRecordByRule", start_build),
    Route::write("CancelRepoBuildRecord", cancel_build),
    Route::read("ListRepoBuildRecord", list_records),
    Route::read("GetRepoBuildRecordStatus", record_status),
    Route::read("GetRepoBuildRecord", get_record),
    Route::write("CreateBuildRecordByRecord", rebuild),
    Route::read("ListRepoBuildRecordLog", build_log),
];

fn rule_not_found(id: &str) -> Failure {
    Failure::business(
        "BUILD_RULE_NOT_EXIST",
        format!("The build rule {id} does not exist."),
    )
}

fn record_not_found(id: &str) -> Failure {
    Failure::business(
        "BUILD_RECORD_NOT_EXIST",
        format!("The build record {id} does not exist."),
    )
}

/// The rule `id` of `repo`, or `BUILD_RULE_NOT_EXIST`.
fn rule_mut<'a>(repo: &'a mut Repository, id: &str) -> Result<&'a mut BuildRule, Failure> {
    repo.build_rules
        .iter_mut()
        .find(|r| r.id == id)
        .ok_or_else(|| rule_not_found(id))
}

/// The first of `repos` with a build record `id`, and that record; or
/// `BUILD_RECORD_NOT_EXIST`.
fn find_record<'a>(
    repos: impl IntoIterator<Item = &'a Repository>,
    id: &str,
) -> Result<(&'a Repository, &'a BuildRecord), Failure> {
    repos
        .into_iter()
        .find_map(|repo| {
            repo.build_records
                .iter()
                .find(|r| r.id == id)
                .map(|r| (repo, r))
        })
        .ok_or_else(|| record_not_found(id))
}

fn create_rule(state: &mut State, call: &Call<'_>) -> Answer {
    check_tag("ImageTag", call.text("ImageTag"))?;
    let id = state.rng.resource_id("crbr");
    let repo = call.repository_mut(call.instance_mut(state)?)?;
    repo.build_rules.push(BuildRule {
        id: id.clone(),
        dockerfile_location: call.text("DockerfileLocation").into(),
        dockerfile_name: call.text("DockerfileName").into(),
        push_type: call.text("PushType").into(),
        push_name: call.text("PushName").into(),
        image_tag: call.text("ImageTag").into(),
        create_time: call.now,
        modified_time: call.now,
    });
    Ok(obj! { "BuildRuleId" => id })
}

fn update_rule(state: &mut State, call: &Call<'_>) -> Answer {
    if let Some(tag) = call.given("ImageTag") {
        check_tag("ImageTag", tag)?;
    }
    let id = call.text("BuildRuleId");
    let repo = call.repository_mut(call.instance_mut(state)?)?;
    let rule = rule_mut(repo, id)?;
    let fields: [(&str, &mut String); 5] = [
        ("DockerfileLocation", &mut rule.dockerfile_location),
        ("DockerfileName", &mut rule.dockerfile_name),
        ("ImageTag", &mut rule.image_tag),
        ("PushName", &mut rule.push_name),
        ("PushType", &mut rule.push_type),
    ];
    for (name, slot) in fields {
        if let Some(value) = call.given(name) {
            *slot = value.into();
        }
    }
    rule.modified_time = call.now;
    Ok(obj! { "BuildRuleId" => id })
}

fn delete_rule(state: &mut State, call: &Call<'_>) -> Answer {
    let id = call.text("BuildRuleId");
    let repo = call.repository_mut(call.instance_mut(state)?)?;
    let before = repo.build_rules.len();
    repo.build_rules.retain(|r| r.id != id);
    if repo.build_rules.len() == before {
        return Err(rule_not_found(id));
    }
    done()
}

fn list_rules(state: &State, call: &Call<'_>) -> Answer {
    let repo = call.repository(call.instance(state)?)?;
    Ok(page(call, &repo.build_rules, "BuildRules", |r| {
        obj! {
            "BuildRuleId" => &r.id,
            "DockerfileLocation" => &r.dockerfile_location,
            "DockerfileName" => &r.dockerfile_name,
            "PushType" => &r.push_type,
            "PushName" => &r.push_name,
            "ImageTag" => &r.image_tag,
            // What the rule builds: a plain image (accelerated images come
            // from artifact build rules).
            "DestArtifactType" => "IMAGE",
        }
    }))
}

/// Builds again what build `BuildRecordId` built (same rule, same tag).
fn rebuild(state: &mut State, call: &Call<'_>) -> Answer {
    let old = call.text("BuildRecordId");
    let id = state.rng.uuid();
    let repo = call.repository_mut(call.instance_mut(state)?)?;
    let (_, earlier) = find_record([&*repo], old)?;
    let record = BuildRecord::queued(id, &earlier.rule_id, &earlier.image_tag, call);
    queue(repo, record)
}

/// Adds `record` to the repository's builds; answers its id.
fn queue(repo: &mut Repository, record: BuildRecord) -> Answer {
    let id = record.id.clone();
    repo.build_records.push(record);
    Ok(obj! { "BuildRecordId" => id })
}

impl BuildRecord {
    /// A build of `rule_id` pushing `image_tag`, queued now: it starts
    /// building a quarter of a task's time later and succeeds at the end
    /// of it (see `state::tasks`).
    fn queued(id: String, rule_id: &str, image_tag: &str, call: &Call<'_>) -> Self {
        BuildRecord {
            id,
            rule_id: rule_id.into(),
            image_tag: image_tag.into(),
            status: "PENDING".into(),
            start_time: call.now,
            end_time: None,
            building_at: call.now + call.task_ms / 4,
            finish_at: call.now + call.task_ms,
        }
    }
}

/// The build's log as far as it has got, from line `Offset` (from 0): the
/// Dockerfile's steps of its rule, then the push.
fn build_log(state: &State, call: &Call<'_>) -> Answer {
    let instance = call.instance(state)?;
    let id = call.text("BuildRecordId");
    let in_repo = |r: &&Repository| call.given("RepoId").is_none_or(|want| r.id == want);
    let (repo, record) = find_record(instance.repositories.iter().filter(in_repo), id)?;
    let rule = repo.build_rules.iter().find(|r| r.id == record.rule_id);
    let dockerfile = rule.map_or("Dockerfile".to_string(), |r| {
        format!("{}{}", r.dockerfile_location, r.dockerfile_name)
    });
    let mut lines: Vec<(&str, String)> = vec![(
        "PREPARE",
        format!("Fetching source for {}/{}", repo.namespace, repo.name),
    )];
    if record.status != "PENDING" {
        lines.push(("BUILD", format!("Building with {dockerfile}")));
        lines.push(("BUILD", "Step 1/3 : FROM debian:bookworm-slim".into()));
        lines.push(("BUILD", "Step 2/3 : COPY . /app".into()));
        lines.push(("BUILD", "Step 3/3 : CMD [\"/app/start\"]".into()));
    }
    match record.status.as_str() {
        "SUCCESS" => lines.push((
            "PUSH",
            format!(
                "Pushed {}/{}:{}",
                repo.namespace, repo.name, record.image_tag
            ),
        )),
        "CANCELED" | "FAILED" => {
            lines.push(("FINISH", format!("Build {}", record.status.to_lowercase())))
        }
        _ => {}
    }
    let offset = call.int("Offset").unwrap_or(0).max(0) as usize;
    let logs: Vec<Value> = lines
        .iter()
        .enumerate()
        .skip(offset)
        .map(|(i, (stage, message))| {
            obj! { "BuildStage" => *stage, "LineNumber" => i, "Message" => message.as_str() }
        })
        .collect();
    let shown = logs.len();
    Ok(obj! {
        "BuildRecordLogs" => logs,
        "PageNo" => 1_i64,
        "PageSize" => shown,
        "TotalCount" => lines.len(),
    })
}

/// Queues a build of rule `BuildRuleId`.
fn start_build(state: &mut State, call: &Call<'_>) -> Answer {
    let rule_id = call.text("BuildRuleId");
    let id = state.rng.uuid();
    let repo = call.repository_mut(call.instance_mut(state)?)?;
    let rule = rule_mut(repo, rule_id)?;
    let record = BuildRecord::queued(id, &rule.id, &rule.image_tag, call);
    queue(repo, record)
}

fn cancel_build(state: &mut State, call: &Call<'_>) -> Answer {
    let id = call.text("BuildRecordId");
    let repo = call.repository_mut(call.instance_mut(state)?)?;
    let record = repo
        .build_records
        .iter_mut()
        .find(|r| r.id == id)
        .ok_or_else(|| record_not_found(id))?;
    if record.status != "PENDING" && record.status != "BUILDING" {
        return Err(Failure::business(
            "BUILD_RECORD_NOT_CANCELABLE",
            format!(
                "The build {id} is {} and can no longer be cancelled.",
                record.status
            ),
        ));
    }
    record.status = "CANCELED".into();
    record.end_time = Some(call.now);
    done()
}

/// The image a build makes; `ListRepoBuildRecord` also names the
/// repository by id, `GetRepoBuildRecord` does not.
fn image(repo: &Repository, record: &BuildRecord, with_repo_id: bool) -> Value {
    let named = obj! {
        "RepoNamespaceName" => &repo.namespace,
        "RepoName" => &repo.name,
        "ImageTag" => &record.image_tag,
    };
    match (with_repo_id, named) {
        (true, Value::Object(mut members)) => {
            members.insert(0, ("RepoId".into(), Value::Str(repo.id.clone())));
            Value::Object(members)
        }
        (_, named) => named,
    }
}

/// Newest first.
fn list_records(state: &State, call: &Call<'_>) -> Answer {
    let repo = call.repository(call.instance(state)?)?;
    let mut records: Vec<&BuildRecord> = repo.build_records.iter().collect();
    records.sort_by(|a, b| {
        b.start_time
            .cmp(&a.start_time)
            .then_with(|| a.id.cmp(&b.id))
    });
    Ok(page(call, &records, "BuildRecords", |r| {
        obj! {
            "BuildRecordId" => &r.id,
            "StartTime" => r.start_time,
            "EndTime" => r.end_time,
            "BuildStatus" => &r.status,
            "Image" => image(repo, r, true),
        }
    }))
}

fn record_status(state: &State, call: &Call<'_>) -> Answer {
    let repo = call.repository(call.instance(state)?)?;
    let id = call.text("BuildRecordId");
    let (_, record) = find_record([repo], id)?;
    Ok(obj! { "BuildStatus" => &record.status })
}

/// By id alone, in any repository of the instance.
fn get_record(state: &State, call: &Call<'_>) -> Answer {
    let instance = call.instance(state)?;
    let id = call.text("BuildRecordId");
    let (repo, record) = find_record(&instance.repositories, id)?;
    Ok(obj! {
        "BuildRecordId" => &record.id,
        "StartTime" => record.start_time,
        "EndTime" => record.end_time,
        "Status" => &record.status,
        "Image" => image(repo, record, false),
    })
}
