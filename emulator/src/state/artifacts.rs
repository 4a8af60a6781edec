//! What a push sets off besides synchronisation: accelerated-image builds
//! (for repositories with an artifact build rule), delivery-chain runs (for
//! repositories a chain covers), and the event centre's notifications of
//! finished work (for its rules whose event type and scope match).

use serde_json::{json, Value as Json};

use super::records::Record;
use super::State;

/// Where accelerated-image builds live in `Instance::records`.
pub const BUILD_TASK: &str = "ArtifactBuildTask";
/// Where delivery-chain runs live.
pub const CHAIN_INSTANCE: &str = "ChainInstance";
/// Where event-centre rules live.
pub const EVENT_RULE: &str = "EventCenterRule";
/// Where sent notifications live.
pub const EVENT_RECORD: &str = "EventCenterRecord";
/// When a build task finishes (not part of any answer).
const FINISH_AT: &str = "FinishAt";

impl State {
    /// Starts what a push of `tag` to repository `ri` of instance `ii` sets
    /// off: a build task per artifact build rule of the repository, a run
    /// of each delivery chain covering it.
    pub fn after_push(&mut self, ii: usize, ri: usize, tag: &str, now: i64, duration: i64) {
        let (repo_id, namespace, name) = {
            let r = &self.instances[ii].repositories[ri];
            (r.id.clone(), r.namespace.clone(), r.name.clone())
        };
        let rules = self.instances[ii]
            .records("ArtifactBuildRule")
            .iter()
            .filter(|r| r.text("ScopeId") == repo_id)
            .count();
        for _ in 0..rules {
            let id = format!("i2a-{}", self.rng.hex(12));
            let mut task = Record {
                id,
                ..Record::default()
            };
            task.set("ArtifactBuildType", "IMAGE_ACCELERATION");
            task.set("TaskStatus", "PENDING");
            task.set("StartTime", now);
            task.set(FINISH_AT, now + duration);
            task.set("Instructions", json!(["PULL", "CONVERT", "PUSH"]));
            task.set(
                "SourceArtifact",
                json!({"ArtifactType": "IMAGE", "RepoId": repo_id, "Version": tag}),
            );
            task.set(
                "TargetArtifact",
                json!({"ArtifactType": "ACCELERATED_IMAGE", "RepoId": repo_id, "Version": format!("{tag}_accelerated")}),
            );
            self.instances[ii].records_mut(BUILD_TASK).push(task);
        }
        let chains: Vec<(String, String, i64)> = self.instances[ii]
            .records("Chain")
            .iter()
            .filter(|c| {
                c.text("RepoNamespaceName") == namespace
                    && (c.text("RepoName").is_empty() || c.text("RepoName") == name)
                    && !c
                        .fields
                        .get("ScopeExclude")
                        .and_then(Json::as_array)
                        .is_some_and(|ex| ex.iter().any(|e| e.as_str() == Some(&name)))
            })
            .map(|c| {
                let version = c
                    .fields
                    .get("ChainConfig")
                    .and_then(|cc| cc.get("Version"))
                    .and_then(|v| v.as_str().map(str::to_string).or(Some(v.to_string())))
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1);
                (c.id.clone(), c.text("Name"), version)
            })
            .collect();
        for (chain_id, chain_name, version) in chains {
            let id = format!("chi-{}", self.rng.hex(16));
            let mut run = Record {
                id,
                ..Record::default()
            };
            run.set(
                "Chain",
                json!({"ChainId": chain_id, "ChainName": chain_name, "Version": version}),
            );
            run.set("RepoNamespaceName", namespace.clone());
            run.set("RepoName", name.clone());
            run.set("StartTime", now);
            run.set("EndTime", now + duration);
            run.set("Status", "SUCCESS");
            run.set("Result", "PASS");
            self.instances[ii].records_mut(CHAIN_INSTANCE).push(run);
        }
    }

    /// Records a notification of `event_type` about `namespace/repo:tag`
    /// for every event-centre rule of instance `ii` that asks for it.
    pub fn notify(
        &mut self,
        ii: usize,
        event_type: &str,
        namespace: &str,
        repo: &str,
        tag: &str,
        now: i64,
    ) {
        let matching: Vec<Record> = self.instances[ii]
            .records(EVENT_RULE)
            .iter()
            .filter(|r| r.text("EventType") == event_type && rule_covers(r, namespace, repo, tag))
            .cloned()
            .collect();
        for rule in matching {
            let id = format!("crecd-{}", self.rng.hex(16));
            let notify_id = self.rng.uuid();
            let instance = &mut self.instances[ii];
            let method = rule
                .fields
                .get("EventConfig")
                .and_then(|c| c.get("notifyMethod"))
                .and_then(Json::as_str)
                .unwrap_or("http")
                .to_string();
            let mut record = Record {
                id,
                ..Record::default()
            };
            record.set("CreateTime", now);
            record.set("UpdateTime", now);
            record.set("EventChannel", rule.text("EventChannel"));
            record.set("EventNotifyId", notify_id);
            record.set("EventNotifyMethod", method);
            record.set("EventType", event_type);
            record.set("Namespace", namespace);
            record.set("RepoName", repo);
            record.set("Tag", tag);
            record.set("RuleId", rule.id.clone());
            record.set("RuleName", rule.text("RuleName"));
            instance.records_mut(EVENT_RECORD).push(record);
        }
    }

    /// Finishes accelerated-image builds that are due; `true` if any did.
    pub fn advance_artifact_builds(&mut self, now: i64) -> bool {
        let mut finished = Vec::new();
        for (ii, instance) in self.instances.iter_mut().enumerate() {
            for task in instance.records_mut(BUILD_TASK) {
                let due = task.int(FINISH_AT).is_some_and(|t| t <= now);
                if due && matches!(task.text("TaskStatus").as_str(), "PENDING" | "RUNNING") {
                    let at = task.int(FINISH_AT).unwrap_or(now);
                    task.set("TaskStatus", "SUCCESS");
                    task.set("EndTime", at);
                    finished.push((ii, task.clone()));
                }
            }
        }
        for (ii, task) in &finished {
            let (repo_id, tag) = (
                task.fields["SourceArtifact"]["RepoId"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
                task.fields["SourceArtifact"]["Version"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
            );
            if let Some((ns, name)) = self.instances[*ii]
                .repository(&repo_id)
                .map(|r| (r.namespace.clone(), r.name.clone()))
            {
                self.notify(*ii, "cr:Artifact:BuildCompleted", &ns, &name, &tag, now);
            }
        }
        !finished.is_empty()
    }

    /// When the next accelerated-image build finishes.
    pub fn next_artifact_build_due(&self) -> i64 {
        self.instances
            .iter()
            .flat_map(|i| i.records(BUILD_TASK))
            .filter(|t| matches!(t.text("TaskStatus").as_str(), "PENDING" | "RUNNING"))
            .filter_map(|t| t.int(FINISH_AT))
            .min()
            .unwrap_or(i64::MAX)
    }
}

/// Whether an event rule's scope and tag filter cover `namespace/repo:tag`.
fn rule_covers(rule: &Record, namespace: &str, repo: &str, tag: &str) -> bool {
    let listed = |field: &str, name: &str| {
        rule.fields
            .get(field)
            .and_then(Json::as_array)
            .is_some_and(|l| l.iter().any(|n| n.as_str() == Some(name)))
    };
    let in_scope = match rule.text("EventScope").as_str() {
        "NAMESPACE" => listed("Namespaces", namespace),
        "REPO" => listed("RepoNames", repo) || listed("RepoNames", &format!("{namespace}/{repo}")),
        _ => true,
    };
    let pattern = rule.text("RepoTagFilterPattern");
    in_scope
        && (pattern.is_empty()
            || regex_lite::Regex::new(&format!("^(?:{pattern})$")).is_ok_and(|p| p.is_match(tag)))
}
