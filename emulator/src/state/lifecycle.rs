//! Running artifact lifecycle (retention) rules, with tagdeck's reading of
//! the vendor's semantics (the vendor's API reference for
//! `CreateArtifactLifecycleRule` names the fields but documents no
//! evaluation order, anchoring or scheduling; emulator/README.md states
//! this reading for users):
//!
//! - `Scope` selects repositories: `INSTANCE` every repository of the
//!   instance, `NAMESPACE` those of `NamespaceName`, `REPO` the one
//!   `NamespaceName`/`RepoName`.
//! - In each selected repository on its own: tags whose whole name matches
//!   `TagRegexp` are retained (an empty `TagRegexp` retains none by name);
//!   of the other tags, the `RetentionTagCount` newest (last update, ties by
//!   name) are retained; every other tag is deleted.
//! - Tags of a repository with tag immutability are never deleted.
//! - With `EnableDeleteTag` false a run decides but deletes nothing.
//! - With `Auto` true the rule runs by itself every `ScheduleTime` (`DAY`,
//!   `WEEK`, `MONTH` = 30 days) after its last run or its last change,
//!   whichever is later (a changed rule starts its schedule afresh);
//!   `NextTime` is when. A run can also be asked for
//!   ([`State::run_lifecycle_rule`]).

use serde_json::Value as Json;

use super::records::Record;
use super::{Instance, Repository, State};

/// Where lifecycle rules live in [`Instance::records`].
pub const KIND: &str = "ArtifactLifecycleRule";

/// Field recording the time of the rule's last run.
pub const LAST_RUN: &str = "LastRunTime";

/// The `Scope` values.
pub const SCOPES: &[&str] = &["INSTANCE", "NAMESPACE", "REPO"];

/// The `ScheduleTime` values and their periods in milliseconds.
pub const SCHEDULES: &[(&str, i64)] = &[
    ("DAY", 86_400_000),
    ("WEEK", 7 * 86_400_000),
    ("MONTH", 30 * 86_400_000),
];

/// The decision on one tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// `namespace/name` of the repository.
    pub repository: String,
    /// The tag.
    pub tag: String,
    /// Its digest.
    pub digest: String,
    /// Whether it stays.
    pub keep: bool,
    /// Why, in words.
    pub reason: String,
}

/// The rule's scope (inferred from the names given when not stated).
pub fn scope(rule: &Record) -> String {
    match rule.text("Scope") {
        s if !s.is_empty() => s,
        _ if !rule.text("RepoName").is_empty() => "REPO".into(),
        _ if !rule.text("NamespaceName").is_empty() => "NAMESPACE".into(),
        _ => "INSTANCE".into(),
    }
}

/// Whether the rule applies to `repo`.
pub fn selects(rule: &Record, repo: &Repository) -> bool {
    match scope(rule).as_str() {
        "INSTANCE" => true,
        "NAMESPACE" => repo.namespace == rule.text("NamespaceName"),
        _ => repo.namespace == rule.text("NamespaceName") && repo.name == rule.text("RepoName"),
    }
}

/// The anchored form of `TagRegexp` (`None` when empty).
pub fn tag_pattern(rule: &Record) -> Result<Option<regex_lite::Regex>, regex_lite::Error> {
    match rule.text("TagRegexp") {
        p if p.is_empty() => Ok(None),
        p => regex_lite::Regex::new(&format!("^(?:{p})$")).map(Some),
    }
}

/// The decision on every tag of every repository the rule selects.
pub fn plan(instance: &Instance, rule: &Record) -> Vec<Verdict> {
    let pattern = tag_pattern(rule).ok().flatten();
    let count = rule.int("RetentionTagCount").unwrap_or(0).max(0) as usize;
    let mut out = Vec::new();
    for repo in instance.repositories.iter().filter(|r| selects(rule, r)) {
        let mut newest = 0;
        // Tags are kept newest first (`Repository::sort_tags`).
        for tag in &repo.tags {
            let (keep, reason) = if repo.tag_immutability {
                (true, "the repository's tags are immutable".to_string())
            } else if pattern.as_ref().is_some_and(|p| p.is_match(&tag.name)) {
                (
                    true,
                    format!("matches TagRegexp {}", rule.text("TagRegexp")),
                )
            } else if newest < count {
                newest += 1;
                (
                    true,
                    format!("one of the {count} newest tags not matching TagRegexp"),
                )
            } else {
                (
                    false,
                    format!("older than the {count} newest tags not matching TagRegexp"),
                )
            };
            out.push(Verdict {
                repository: format!("{}/{}", repo.namespace, repo.name),
                tag: tag.name.clone(),
                digest: tag.digest.clone(),
                keep,
                reason,
            });
        }
    }
    out
}

/// The period of the rule's schedule.
pub fn period(rule: &Record) -> Option<i64> {
    let schedule = rule.text("ScheduleTime");
    SCHEDULES
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(&schedule))
        .map(|(_, ms)| *ms)
}

/// When the rule next runs by itself (`None` unless `Auto`).
pub fn next_time(rule: &Record) -> Option<i64> {
    if !rule.flag("Auto") {
        return None;
    }
    let changed = rule
        .int("ModifiedTime")
        .or_else(|| rule.int("CreateTime"))?;
    let since = rule.int(LAST_RUN).map_or(changed, |run| run.max(changed));
    Some(since + period(rule)?)
}

/// The answer's `Policies`: the rule as the service's newer policy form
/// (one retention policy: keep the newest `RetentionTagCount` and what
/// matches `TagRegexp`).
pub fn policies(rule: &Record) -> Json {
    serde_json::json!([{
        "Type": "RETAIN",
        "Filter": { "TagWildcard": rule.text("TagRegexp") },
        "Condition": {
            "LatestTagCount": rule.int("RetentionTagCount").unwrap_or(0),
            "LastPushOlderThanDays": 0,
            "LastPullOlderThanDays": 0,
        },
    }])
}

impl State {
    /// Runs rule `rule_id` of instance `instance_id` now: applies [`plan`]
    /// (deleting only with `EnableDeleteTag`) and returns the decisions.
    pub fn run_lifecycle_rule(
        &mut self,
        instance_id: &str,
        rule_id: &str,
        now: i64,
    ) -> Result<Vec<Verdict>, String> {
        let instance = self
            .instance_mut(instance_id)
            .ok_or_else(|| format!("no instance {instance_id}"))?;
        let rule = instance
            .record(KIND, rule_id)
            .cloned()
            .ok_or_else(|| format!("no lifecycle rule {rule_id} in {instance_id}"))?;
        let verdicts = plan(instance, &rule);
        if rule.flag("EnableDeleteTag") {
            for verdict in verdicts.iter().filter(|v| !v.keep) {
                if let Some(repo) = instance
                    .repositories
                    .iter_mut()
                    .find(|r| format!("{}/{}", r.namespace, r.name) == verdict.repository)
                {
                    repo.tags.retain(|t| t.name != verdict.tag);
                    repo.scans.retain(|s| s.tag != verdict.tag);
                    repo.modified_time = now;
                }
            }
        }
        if let Some(stored) = instance.record_mut(KIND, rule_id) {
            stored.set(LAST_RUN, now);
        }
        Ok(verdicts)
    }

    /// Runs every automatic rule whose time has come; `true` if any ran.
    pub fn run_due_lifecycle_rules(&mut self, now: i64) -> bool {
        let due: Vec<(String, String)> = self
            .instances
            .iter()
            .flat_map(|i| {
                i.records(KIND)
                    .iter()
                    .filter(|r| next_time(r).is_some_and(|t| t <= now))
                    .map(|r| (i.id.clone(), r.id.clone()))
            })
            .collect();
        for (instance, rule) in &due {
            // Both were just found; a failure cannot happen.
            let _ = self.run_lifecycle_rule(instance, rule, now);
        }
        !due.is_empty()
    }

    /// When the next automatic rule is due (`i64::MAX` when none).
    pub fn next_lifecycle_due(&self) -> i64 {
        self.instances
            .iter()
            .flat_map(|i| i.records(KIND).iter().filter_map(next_time))
            .min()
            .unwrap_or(i64::MAX)
    }
}
