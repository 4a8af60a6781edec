//! Alibaba Cloud ACR EE artifact lifecycle rules (`CreateArtifactLifecycleRule`,
//! `GetArtifactLifecycleRule`, `ListArtifactLifecycleRule` in the `cr`
//! 2018-12-01 API): `Scope`, `NamespaceName`, `RepoName`, `TagRegexp`,
//! `RetentionTagCount`, `ScheduleTime`, `Auto`, `EnableDeleteTag`, and in
//! answers `Policies[]` (`Filter.TagWildcard`, `Condition.LatestTagCount`,
//! `LastPushOlderThanDays`, `LastPullOlderThanDays`).
//!
//! The vendor documents no evaluation order, anchoring or dry run, so this
//! is tagdeck's READING, shown as such wherever a plan is shown:
//! - scope: `INSTANCE` every repository; `NAMESPACE` the repositories of
//!   `NamespaceName`; `REPO` the repository `NamespaceName/RepoName`
//!   (without `Scope`: the narrowest the names allow);
//! - `TagRegexp` names tags to RETAIN, as an anchored regular expression
//!   (the console's example `release-.*`); they are never counted;
//! - `EnableDeleteTag: false` deletes no tag;
//! - with `RetentionTagCount`: the `RetentionTagCount` most recently pushed
//!   of the other tags are kept, the rest deleted (answers also mirror these
//!   fields as `Policies` with `Type: RETAIN`, which then add nothing);
//! - with only `Policies`: each selects the tags its `TagWildcard` (`*` glob,
//!   whole tag) matches and keeps its `LatestTagCount` newest, the tags
//!   pushed within `LastPushOlderThanDays` and those pulled within
//!   `LastPullOlderThanDays`; a tag is deleted when a policy selects it and
//!   none keeps it; an unknown time is never old.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use serde_json::{json, Value};

use super::super::explain::{ago, Explanation};
use super::super::glob::{self, GlobFlavor};
use super::super::group::{by_repository, sort_newest_first};
use super::super::model::{Decision, Millis, Options, Plan, RuleRef, TagView, DAY_MS};
use super::super::pattern::{Anchoring, Pattern, Regex};
use super::super::read::{self, missing, Obj, PolicyError, Result};
use super::finish;

/// A lifecycle rule, read as tagdeck reads it.
#[derive(Debug, Clone)]
pub struct Alibaba {
    scope: Scope,
    retain: Option<Regex>,
    delete_tags: bool,
    count: Option<u64>,
    policies: Vec<LifecyclePolicy>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Scope {
    Instance,
    Namespace(String),
    Repo(String),
}

#[derive(Debug, Clone)]
struct LifecyclePolicy {
    wildcard: Option<Pattern>,
    latest: Option<u64>,
    push_days: Option<u64>,
    pull_days: Option<u64>,
}

/// The preamble of every reason: this is a reading, not the vendor's word.
const READING: &str = "tagdeck's reading of the lifecycle rule";

impl Alibaba {
    /// Reads a rule as `getArtifactLifecycleRule` answers it (camelCase) or
    /// with the API's own PascalCase names.
    pub fn from_json(value: &Value, path: &str) -> Result<Self> {
        let mut rule = Obj::new(value, path)?;
        rule.ignore(&[
            "ruleId",
            "RuleId",
            "instanceId",
            "InstanceId",
            "scheduleTime",
            "ScheduleTime",
            "auto",
            "Auto",
            "createTime",
            "CreateTime",
            "modifiedTime",
            "ModifiedTime",
            "nextTime",
            "NextTime",
            "requestId",
            "RequestId",
            "code",
            "Code",
            "isSuccess",
            "lastRunTime",
            "LastRunTime",
            "IsSuccess",
        ]);
        let namespace = rule
            .str(&["namespaceName", "NamespaceName"])?
            .filter(|s| !s.is_empty());
        let repo = rule
            .str(&["repoName", "RepoName"])?
            .filter(|s| !s.is_empty());
        let scope_field = rule.field("scope");
        let scope = match (rule.str(&["scope", "Scope"])?, namespace, repo) {
            (Some("INSTANCE"), _, _) | (None, None, None) => Scope::Instance,
            (Some("NAMESPACE") | None, Some(ns), None) => Scope::Namespace(ns.to_string()),
            (Some("NAMESPACE"), None, _) => {
                return Err(PolicyError::new(
                    scope_field,
                    "NAMESPACE needs namespaceName",
                ))
            }
            (Some("NAMESPACE"), Some(ns), Some(_)) => Scope::Namespace(ns.to_string()),
            (Some("REPO") | None, Some(ns), Some(repo)) => Scope::Repo(format!("{ns}/{repo}")),
            (Some("REPO") | None, _, _) => {
                return Err(PolicyError::new(
                    scope_field,
                    "REPO needs namespaceName and repoName",
                ))
            }
            (Some(other), _, _) => {
                return Err(PolicyError::new(
                    scope_field,
                    format!("must be INSTANCE, NAMESPACE or REPO, not {other:?}"),
                ))
            }
        };
        let retain_field = rule.field("tagRegexp");
        let retain = match rule.str(&["tagRegexp", "TagRegexp"])? {
            Some(text) if !text.is_empty() => {
                Some(Regex::new(text, Anchoring::Whole, &retain_field)?)
            }
            _ => None,
        };
        let delete_tags = rule
            .bool(&["enableDeleteTag", "EnableDeleteTag"])?
            .unwrap_or(true);
        let count = rule.count(&["retentionTagCount", "RetentionTagCount"], 0)?;
        let mut policies = Vec::new();
        if let Some((items, path)) = rule.list(&["policies", "Policies"])? {
            for (i, item) in items.iter().enumerate() {
                policies.push(read_policy(item, read::index(&path, i))?);
            }
        }
        if count.is_none() && policies.is_empty() {
            return Err(missing(rule.field("retentionTagCount")));
        }
        rule.done()?;
        Ok(Alibaba {
            scope,
            retain,
            delete_tags,
            count,
            policies,
        })
    }

    /// Plans the rule as tagdeck reads it.
    pub fn plan(&self, tags: &[TagView<'_>], options: &Options) -> Plan {
        let now = options.now;
        let mut decisions: Vec<Option<Decision>> = vec![None; tags.len()];
        for (repository, members) in by_repository(tags) {
            let in_scope = match &self.scope {
                Scope::Instance => true,
                Scope::Namespace(ns) => repository
                    .split_once('/')
                    .is_some_and(|(head, _)| head == ns),
                Scope::Repo(full) => repository == full,
            };
            let mut counted = Vec::new();
            for &i in &members {
                decisions[i] = if !in_scope {
                    Some(Decision::keep(
                        RuleRef::None,
                        format!("{READING}: its repository is outside the rule's scope"),
                    ))
                } else if let Some(retain) =
                    self.retain.as_ref().filter(|r| r.is_match(tags[i].tag))
                {
                    Some(Decision::keep(
                        RuleRef::Named("TagRegexp"),
                        format!("{READING}: matches TagRegexp `{}`, retained", retain.source),
                    ))
                } else if !self.delete_tags {
                    Some(Decision::keep(
                        RuleRef::Named("EnableDeleteTag"),
                        format!("{READING}: EnableDeleteTag is false, so no tag is deleted"),
                    ))
                } else {
                    counted.push(i);
                    None
                };
            }
            // The top-level fields decide when present; answers also mirror
            // them as `Policies` (`Type: RETAIN`), which then add nothing.
            if self.count.is_some() || self.policies.is_empty() {
                let n = self.count.unwrap_or(0);
                sort_newest_first(&mut counted, tags, |i| tags[i].pushed_at, true);
                let total = counted.len();
                for (rank, &i) in counted.iter().enumerate() {
                    let words = format!("{READING}: #{} of the {total} tags TagRegexp does not retain, by push time", rank + 1);
                    decisions[i] = Some(if (rank as u64) < n {
                        Decision::keep(
                            RuleRef::Named("RetentionTagCount"),
                            format!("{words}; RetentionTagCount keeps {n}"),
                        )
                    } else {
                        Decision::delete(
                            RuleRef::Named("RetentionTagCount"),
                            format!("{words}; RetentionTagCount keeps only {n}"),
                        )
                    });
                }
                continue;
            }
            let mut kept: Vec<Option<String>> = vec![None; tags.len()];
            let mut dropped: Vec<Option<(usize, String)>> = vec![None; tags.len()];
            for (p, policy) in self.policies.iter().enumerate() {
                let mut selected: Vec<usize> = counted
                    .iter()
                    .copied()
                    .filter(|&i| {
                        policy
                            .wildcard
                            .as_ref()
                            .is_none_or(|w| w.is_match(tags[i].tag))
                    })
                    .collect();
                sort_newest_first(&mut selected, tags, |i| tags[i].pushed_at, true);
                for (rank, &i) in selected.iter().enumerate() {
                    match policy.verdict(rank, &tags[i], now) {
                        Ok(words) => {
                            kept[i].get_or_insert(format!("policies[{p}]: {words}"));
                        }
                        Err(words) => {
                            dropped[i].get_or_insert((p, format!("policies[{p}]: {words}")));
                        }
                    }
                }
            }
            for &i in &counted {
                decisions[i] = Some(match (&kept[i], &dropped[i]) {
                    (Some(words), _) => {
                        Decision::keep(RuleRef::Named("Policies"), format!("{READING}: {words}"))
                    }
                    (None, Some((p, words))) => {
                        Decision::delete(RuleRef::Index(*p), format!("{READING}: {words}"))
                    }
                    (None, None) => Decision::keep(
                        RuleRef::None,
                        format!("{READING}: no policy's TagWildcard matches it"),
                    ),
                });
            }
        }
        Plan {
            decisions: finish(decisions, || {
                Decision::keep(RuleRef::None, String::from("not evaluated"))
            }),
            warnings: Vec::new(),
        }
    }

    /// The tagdeck equivalent of the reading, when there are no `Policies`.
    pub fn explain(&self) -> Explanation {
        let note = "This is tagdeck's reading of the rule: Alibaba documents no evaluation order, anchoring or dry run.";
        if (self.count.is_none() && !self.policies.is_empty()) || !self.delete_tags {
            return Explanation {
                format: "alibaba",
                equivalent: None,
                note: format!("{note} With Policies (or EnableDeleteTag false) tagdeck shows no equivalent and runs its reading directly."),
            };
        }
        let repositories = match &self.scope {
            Scope::Instance => None,
            Scope::Namespace(ns) => Some(json!(format!("{ns}/*"))),
            Scope::Repo(full) => Some(json!({ "regex": glob::escape(full) })),
        };
        let mut rule = serde_json::Map::new();
        if let Some(repositories) = repositories {
            rule.insert("repositories".to_string(), repositories);
        }
        if let Some(retain) = &self.retain {
            rule.insert(
                "tags".to_string(),
                json!({ "exclude": { "regex": retain.source } }),
            );
        }
        rule.insert(
            "keep".to_string(),
            match self.count {
                Some(n) if n > 0 => json!({ "newest": n }),
                _ => json!({ "none": true }),
            },
        );
        Explanation {
            format: "alibaba",
            equivalent: Some(json!({ "rules": [Value::Object(rule)], "safety": { "sharedDigest": false } })),
            note: format!("{note} The registry deletes tag by tag (DeleteRepoTag), hence no shared-digest safety in the equivalent."),
        }
    }
}

impl LifecyclePolicy {
    /// `Ok(why kept)` or `Err(why not)` for the tag ranked `rank` (0 = newest).
    fn verdict(
        &self,
        rank: usize,
        tag: &TagView<'_>,
        now: Millis,
    ) -> core::result::Result<String, String> {
        if let Some(n) = self.latest.filter(|n| (rank as u64) < *n) {
            return Ok(format!(
                "#{} by push time: LatestTagCount keeps {n}",
                rank + 1
            ));
        }
        let mut why_not = Vec::new();
        if let Some(n) = self.latest {
            why_not.push(format!(
                "#{} by push time, beyond LatestTagCount {n}",
                rank + 1
            ));
        }
        if let Some(days) = self.push_days {
            match tag.pushed_at {
                None => {
                    return Ok(String::from(
                        "push time unknown: never older than LastPushOlderThanDays",
                    ))
                }
                Some(t) if t >= now - days as Millis * DAY_MS => {
                    return Ok(format!(
                        "pushed {}: not older than {days} days",
                        ago(now, t)
                    ))
                }
                Some(t) => why_not.push(format!("pushed {}, older than {days} days", ago(now, t))),
            }
        }
        if let Some(days) = self.pull_days {
            match tag.pulled_at {
                None => {
                    return Ok(String::from(
                        "pull time unknown: never older than LastPullOlderThanDays",
                    ))
                }
                Some(t) if t >= now - days as Millis * DAY_MS => {
                    return Ok(format!(
                        "pulled {}: not older than {days} days",
                        ago(now, t)
                    ))
                }
                Some(t) => why_not.push(format!(
                    "last pulled {}, older than {days} days",
                    ago(now, t)
                )),
            }
        }
        if why_not.is_empty() {
            why_not.push(String::from("the policy keeps nothing"));
        }
        Err(why_not.join("; "))
    }
}

fn read_policy(value: &Value, path: String) -> Result<LifecyclePolicy> {
    let mut obj = Obj::new(value, path)?;
    // The answers' `Type` names the policy's kind; it changes nothing here.
    obj.ignore(&["type", "Type"]);
    let wildcard = match obj.obj(&["filter", "Filter"])? {
        Some(mut filter) => {
            let field = filter.field("tagWildcard");
            let wildcard = match filter.str(&["tagWildcard", "TagWildcard"])? {
                Some(text) if !text.is_empty() => {
                    Some(Pattern::glob(text, GlobFlavor::Star, &field)?)
                }
                _ => None,
            };
            filter.done()?;
            wildcard
        }
        None => None,
    };
    let (latest, push_days, pull_days) = match obj.obj(&["condition", "Condition"])? {
        Some(mut condition) => {
            let latest = condition.count(&["latestTagCount", "LatestTagCount"], 0)?;
            // 0 days: no condition (as the answers carry an unset one).
            let push = condition
                .count(&["lastPushOlderThanDays", "LastPushOlderThanDays"], 0)?
                .filter(|days| *days > 0);
            let pull = condition
                .count(&["lastPullOlderThanDays", "LastPullOlderThanDays"], 0)?
                .filter(|days| *days > 0);
            condition.done()?;
            (latest, push, pull)
        }
        None => (None, None, None),
    };
    obj.done()?;
    Ok(LifecyclePolicy {
        wildcard,
        latest,
        push_days,
        pull_days,
    })
}
