//! SWR image retention policies (the SWR API reference's "Image Retention
//! Policy Management"): one per repository, checked as the service checks
//! them, and run with the semantics the reference and the user guide give
//! ("Adding an Image Retention Policy"), as tagdeck's retention engine reads
//! them (`src/retention/dialect/swr.rs`):
//!
//! - Per rule, the tags a `tag_selectors` entry matches are set aside: never
//!   counted, never deleted (`label`: that tag; `regexp`: a search, as Go's
//!   `regexp.MatchString`).
//! - `tag_rule` keeps the `num` most recent of the other tags (push time,
//!   newest first, equal times by tag name); `date_rule` keeps those pushed
//!   within `days` days (older: strictly before now − days).
//! - `algorithm: "or"`: a tag any rule keeps stays; a tag some rule does not
//!   keep and none keeps is deleted, tag by tag.
//! - The push time is the tag's last update, to the second, as the tag
//!   listing gives it (`updated`).
//!
//! When it runs (the reference names no schedule; the user guide says a
//! policy takes effect as soon as it is set): when created or modified, then
//! once a day after its last run. A policy that has never run (the demo's)
//! waits for a change.

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use super::swr::SwrRepo;
use super::State;

/// How often a policy runs after its last run.
pub const PERIOD_MS: i64 = 86_400_000;
const DAY_MS: i64 = 86_400_000;
/// The limits of the console's "Retention Days" and "Count Limit".
const DAYS: (u64, u64) = (1, 365);
const NUM: (u64, u64) = (1, 1000);

/// A stored policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SwrRetention {
    /// Integer id.
    pub id: i64,
    /// Its rules, as checked.
    pub rules: Vec<SwrRetentionRule>,
    /// When it last ran (milliseconds); `None`: never.
    #[serde(default)]
    pub last_run: Option<i64>,
}

/// One rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SwrRetentionRule {
    /// `date_rule` or `tag_rule`.
    pub template: String,
    /// `days` (date_rule) or `num` (tag_rule).
    pub count: u64,
    /// What the rule sets aside.
    pub tag_selectors: Vec<TagSelector>,
}

/// A tag selector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TagSelector {
    /// `label` or `regexp`.
    pub kind: String,
    /// The tag, or the expression.
    pub pattern: String,
}

impl SwrRetention {
    /// The policy as the API gives it.
    pub fn to_json(&self) -> Json {
        let rules: Vec<Json> = self
            .rules
            .iter()
            .map(|rule| {
                let key = if rule.template == "date_rule" {
                    "days"
                } else {
                    "num"
                };
                serde_json::json!({
                    "template": rule.template,
                    "params": { key: rule.count.to_string() },
                    "tag_selectors": rule.tag_selectors.iter()
                        .map(|s| serde_json::json!({"kind": s.kind, "pattern": s.pattern}))
                        .collect::<Vec<_>>(),
                })
            })
            .collect();
        serde_json::json!({"id": self.id, "algorithm": "or", "rules": rules, "scope": ""})
    }

    /// When it next runs by itself (`None` when it has never run).
    pub fn next_run(&self) -> Option<i64> {
        self.last_run.map(|at| at + PERIOD_MS)
    }
}

/// Reads a request body's policy, or says which field is wrong (the words
/// of SWR's 400 answers: the field, and what it must be).
pub fn read_body(body: &Json) -> Result<Vec<SwrRetentionRule>, String> {
    let object = body.as_object().ok_or("the body must be a JSON object")?;
    match object.get("algorithm").and_then(Json::as_str) {
        Some("or") => {}
        Some(other) => return Err(format!("algorithm: must be \"or\", not {other:?}")),
        None => return Err("algorithm: is required (\"or\")".into()),
    }
    let rules = object
        .get("rules")
        .and_then(Json::as_array)
        .ok_or("rules: is required, a list of rules")?;
    if rules.is_empty() {
        return Err("rules: must hold at least one rule".into());
    }
    rules
        .iter()
        .enumerate()
        .map(|(i, rule)| read_rule(rule, &format!("rules[{i}]")))
        .collect()
}

fn read_rule(rule: &Json, at: &str) -> Result<SwrRetentionRule, String> {
    let template = rule
        .get("template")
        .and_then(Json::as_str)
        .ok_or_else(|| format!("{at}.template: is required (date_rule or tag_rule)"))?;
    let (key, (min, max)) = match template {
        "date_rule" => ("days", DAYS),
        "tag_rule" => ("num", NUM),
        other => {
            return Err(format!(
                "{at}.template: must be date_rule or tag_rule, not {other:?}"
            ))
        }
    };
    let params = rule
        .get("params")
        .and_then(Json::as_object)
        .ok_or_else(|| format!("{at}.params: is required, {{\"{key}\": \"…\"}}"))?;
    // SWR writes the number as a string; a JSON number is read the same.
    let count = match params.get(key) {
        Some(Json::String(text)) => text.parse::<u64>().ok(),
        Some(Json::Number(n)) => n.as_u64(),
        _ => None,
    }
    .filter(|n| (min..=max).contains(n))
    .ok_or_else(|| format!("{at}.params.{key}: must be a whole number from {min} to {max}"))?;
    let selectors = match rule.get("tag_selectors") {
        None | Some(Json::Null) => &Vec::new(),
        Some(Json::Array(items)) => items,
        Some(_) => return Err(format!("{at}.tag_selectors: must be a list")),
    };
    let tag_selectors = selectors
        .iter()
        .enumerate()
        .map(|(j, selector)| {
            let here = format!("{at}.tag_selectors[{j}]");
            let text = |name: &str| {
                selector
                    .get(name)
                    .and_then(Json::as_str)
                    .filter(|s| !s.is_empty())
            };
            let kind = text("kind")
                .ok_or_else(|| format!("{here}.kind: is required (label or regexp)"))?;
            let pattern = text("pattern").ok_or_else(|| format!("{here}.pattern: is required"))?;
            match kind {
                "label" => {}
                "regexp" => {
                    regex_lite::Regex::new(pattern)
                        .map_err(|e| format!("{here}.pattern: not a regular expression: {e}"))?;
                }
                other => {
                    return Err(format!(
                        "{here}.kind: must be label or regexp, not {other:?}"
                    ))
                }
            }
            Ok(TagSelector {
                kind: kind.into(),
                pattern: pattern.into(),
            })
        })
        .collect::<Result<_, String>>()?;
    Ok(SwrRetentionRule {
        template: template.into(),
        count,
        tag_selectors,
    })
}

/// The decision on one tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The tag.
    pub tag: String,
    /// Whether it stays.
    pub keep: bool,
    /// The rule that deletes it (the first, when several do).
    pub rule: Option<usize>,
}

/// One deleted tag, as "Obtaining Image Retention Records" lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetentionRecord {
    /// Integer id.
    pub id: i64,
    /// The policy that deleted it.
    pub retention_id: i64,
    /// The deciding rule's template.
    pub rule_type: String,
    /// The tag.
    pub tag: String,
    /// When (milliseconds).
    pub at: i64,
}

/// The decision on every tag of `repo`, in the repository's order.
pub fn plan(repo: &SwrRepo, rules: &[SwrRetentionRule], now: i64) -> Vec<Verdict> {
    // Push time to the second, as clients read it from the listing.
    let pushed = |i: usize| repo.tags[i].updated.div_euclid(1000) * 1000;
    let mut kept = vec![false; repo.tags.len()];
    let mut dropped: Vec<Option<usize>> = vec![None; repo.tags.len()];
    for (r, rule) in rules.iter().enumerate() {
        let patterns: Vec<Option<regex_lite::Regex>> = rule
            .tag_selectors
            .iter()
            .map(|s| {
                (s.kind == "regexp")
                    .then(|| regex_lite::Regex::new(&s.pattern).ok())
                    .flatten()
            })
            .collect();
        let set_aside = |name: &str| {
            rule.tag_selectors
                .iter()
                .zip(&patterns)
                .any(|(s, p)| match p {
                    Some(p) => p.is_match(name),
                    None => s.kind == "label" && s.pattern == name,
                })
        };
        let mut counted: Vec<usize> = Vec::new();
        for (i, tag) in repo.tags.iter().enumerate() {
            if set_aside(&tag.name) {
                kept[i] = true;
            } else {
                counted.push(i);
            }
        }
        if rule.template == "tag_rule" {
            counted.sort_by(|&a, &b| {
                pushed(b)
                    .cmp(&pushed(a))
                    .then_with(|| repo.tags[a].name.cmp(&repo.tags[b].name))
            });
            for (rank, &i) in counted.iter().enumerate() {
                if (rank as u64) < rule.count {
                    kept[i] = true;
                } else {
                    dropped[i].get_or_insert(r);
                }
            }
        } else {
            let oldest_kept = now - rule.count as i64 * DAY_MS;
            for &i in &counted {
                if pushed(i) < oldest_kept {
                    dropped[i].get_or_insert(r);
                } else {
                    kept[i] = true;
                }
            }
        }
    }
    repo.tags
        .iter()
        .enumerate()
        .map(|(i, tag)| Verdict {
            tag: tag.name.clone(),
            keep: kept[i] || dropped[i].is_none(),
            rule: dropped[i].filter(|_| !kept[i]),
        })
        .collect()
}

impl State {
    /// Runs policy `id` of `namespace/repo` now: deletes the tags [`plan`]
    /// does not keep, records each ([`RetentionRecord`]) and returns the
    /// decisions.
    pub fn run_swr_retention(
        &mut self,
        namespace: &str,
        repo: &str,
        id: i64,
        now: i64,
    ) -> Result<Vec<Verdict>, String> {
        let repository = self
            .swr
            .repo(namespace, repo)
            .ok_or_else(|| format!("no SWR repository {namespace}/{repo}"))?;
        let policy = repository
            .retentions
            .iter()
            .find(|p| p.id == id)
            .ok_or_else(|| format!("no retention policy {id} on {namespace}/{repo}"))?;
        let verdicts = plan(repository, &policy.rules, now);
        let deleted: Vec<(String, String)> = verdicts
            .iter()
            .filter_map(|v| Some((v.tag.clone(), policy.rules[v.rule?].template.clone())))
            .collect();
        let first_id = self.swr.next_id + 1;
        self.swr.next_id += deleted.len() as i64;
        let repository = self.swr.repo_mut(namespace, repo).expect("found above");
        repository
            .tags
            .retain(|t| !deleted.iter().any(|(tag, _)| *tag == t.name));
        for (n, (tag, rule_type)) in deleted.into_iter().enumerate() {
            repository.retention_log.push(RetentionRecord {
                id: first_id + n as i64,
                retention_id: id,
                rule_type,
                tag,
                at: now,
            });
        }
        if let Some(stored) = repository.retentions.iter_mut().find(|p| p.id == id) {
            stored.last_run = Some(now);
        }
        Ok(verdicts)
    }

    /// Runs every policy whose day has come; `true` if any ran.
    pub fn run_due_swr_retentions(&mut self, now: i64) -> bool {
        let mut due: Vec<(String, String, i64)> = Vec::new();
        for n in &self.swr.namespaces {
            for r in &n.repos {
                for p in &r.retentions {
                    if p.next_run().is_some_and(|t| t <= now) {
                        due.push((n.name.clone(), r.name.clone(), p.id));
                    }
                }
            }
        }
        for (namespace, repo, id) in &due {
            // Each was just found; a failure cannot happen.
            let _ = self.run_swr_retention(namespace, repo, *id, now);
        }
        !due.is_empty()
    }

    /// When the next policy is due (`i64::MAX` when none).
    pub fn next_swr_retention_due(&self) -> i64 {
        self.swr
            .namespaces
            .iter()
            .flat_map(|n| n.repos.iter())
            .flat_map(|r| r.retentions.iter().filter_map(SwrRetention::next_run))
            .min()
            .unwrap_or(i64::MAX)
    }
}
