//! GitLab's container registry cleanup policy (the project's
//! `container_expiration_policy`: `name_regex` / `name_regex_delete`,
//! `name_regex_keep`, `keep_n`, `older_than`; GitLab's "Reduce container
//! registry storage" documentation and its cleanup service).
//!
//! - Both regexes are anchored (`\A(…)\z`); `latest` is always kept.
//! - Candidates: tags matching the delete regex and not the keep regex.
//! - Candidates newest first by push time; a missing time counts as "now".
//!   The first `keep_n` candidates are kept (`keep_n` counts candidates only).
//! - The rest are deleted if `older_than` is unset, else only those whose
//!   push time is known and older than it: an unknown time is never old.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use serde_json::{json, Value};

use super::super::explain::{ago, Explanation};
use super::super::group::{by_repository, sort_newest_first};
use super::super::model::{Decision, Millis, Options, Plan, RuleRef, TagView, DAY_MS};
use super::super::pattern::{Anchoring, Regex};
use super::super::read::{Obj, PolicyError, Result};
use super::finish;

/// A checked cleanup policy.
#[derive(Debug, Clone)]
pub struct Gitlab {
    delete: Regex,
    keep: Option<Regex>,
    keep_n: Option<u64>,
    older_than_days: Option<u64>,
}

impl Gitlab {
    /// Reads `{ nameRegexDelete, nameRegexKeep, keepN, olderThan }` (or
    /// GitLab's own snake_case names).
    pub fn from_json(value: &Value, path: &str) -> Result<Self> {
        let mut obj = Obj::new(value, path)?;
        obj.ignore(&["enabled", "cadence", "nextRunAt", "next_run_at"]);
        let delete_field = obj.field("nameRegexDelete");
        let delete = match obj.str(&[
            "nameRegexDelete",
            "name_regex_delete",
            "nameRegex",
            "name_regex",
        ])? {
            Some(text) if !text.is_empty() => Regex::new(text, Anchoring::Whole, &delete_field)?,
            _ => Regex::new(".*", Anchoring::Whole, &delete_field)?,
        };
        let keep_field = obj.field("nameRegexKeep");
        let keep = match obj.str(&["nameRegexKeep", "name_regex_keep"])? {
            Some(text) if !text.is_empty() => {
                Some(Regex::new(text, Anchoring::Whole, &keep_field)?)
            }
            _ => None,
        };
        let keep_n = obj.count(&["keepN", "keep_n"], 1)?;
        let older_field = obj.field("olderThan");
        let older_than_days = match obj.str(&["olderThan", "older_than"])? {
            None => None,
            Some(text) => Some(parse_days(text).ok_or_else(|| {
                PolicyError::new(
                    older_field,
                    format!("must be a number of days like \"14d\" or \"90d\", not {text:?}"),
                )
            })?),
        };
        obj.done()?;
        Ok(Gitlab {
            delete,
            keep,
            keep_n,
            older_than_days,
        })
    }

    /// Runs the cleanup as GitLab would at `now`.
    pub fn plan(&self, tags: &[TagView<'_>], options: &Options) -> Plan {
        let now = options.now;
        let mut decisions: Vec<Option<Decision>> = vec![None; tags.len()];
        for (_, members) in by_repository(tags) {
            let mut candidates = Vec::new();
            for i in members {
                let name = tags[i].tag;
                decisions[i] = if name == "latest" {
                    Some(Decision::keep(
                        RuleRef::Named("latest"),
                        String::from("`latest` is always kept"),
                    ))
                } else if !self.delete.is_match(name) {
                    Some(Decision::keep(
                        RuleRef::Named("nameRegexDelete"),
                        format!("does not match nameRegexDelete `{}`", self.delete.source),
                    ))
                } else if let Some(keep) = self.keep.as_ref().filter(|keep| keep.is_match(name)) {
                    Some(Decision::keep(
                        RuleRef::Named("nameRegexKeep"),
                        format!("matches nameRegexKeep `{}`", keep.source),
                    ))
                } else {
                    candidates.push(i);
                    None
                };
            }
            // A missing push time counts as "now": newest.
            sort_newest_first(&mut candidates, tags, |i| tags[i].pushed_at, true);
            let total = candidates.len();
            for (rank, &i) in candidates.iter().enumerate() {
                let position = format!("#{} of the {total} candidates by push time", rank + 1);
                decisions[i] = Some(match self.keep_n {
                    Some(n) if (rank as u64) < n => Decision::keep(
                        RuleRef::Named("keepN"),
                        format!("{position}: within keepN {n}"),
                    ),
                    _ => self.age_verdict(tags[i].pushed_at, now, &position),
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

    fn age_verdict(&self, pushed: Option<Millis>, now: Millis, position: &str) -> Decision {
        let beyond = match self.keep_n {
            Some(n) => format!("{position}, beyond keepN {n}"),
            None => String::from(position),
        };
        match (self.older_than_days, pushed) {
            (None, _) => Decision::delete(
                RuleRef::Named("nameRegexDelete"),
                format!("{beyond}; no olderThan limit"),
            ),
            (Some(days), None) => Decision::keep(
                RuleRef::Named("olderThan"),
                format!("{beyond}, but its push time is unknown: never older than {days}d"),
            ),
            (Some(days), Some(time)) if time < now - days as Millis * DAY_MS => Decision::delete(
                RuleRef::Named("olderThan"),
                format!("{beyond}, pushed {}: older than {days}d", ago(now, time)),
            ),
            (Some(days), Some(time)) => Decision::keep(
                RuleRef::Named("olderThan"),
                format!(
                    "{beyond}, but pushed {}: not older than {days}d",
                    ago(now, time)
                ),
            ),
        }
    }

    /// The same policy in tagdeck's language.
    pub fn explain(&self) -> Explanation {
        let mut tags = serde_json::Map::new();
        tags.insert(
            "include".to_string(),
            json!({ "regex": self.delete.source }),
        );
        if let Some(keep) = &self.keep {
            tags.insert("exclude".to_string(), json!({ "regex": keep.source }));
        }
        let mut keep = serde_json::Map::new();
        if let Some(n) = self.keep_n {
            keep.insert("newest".to_string(), json!(n));
        }
        if let Some(days) = self.older_than_days {
            keep.insert("pushedWithinDays".to_string(), json!(days));
        }
        if keep.is_empty() {
            keep.insert("none".to_string(), json!(true));
        }
        Explanation {
            format: "gitlab",
            equivalent: Some(json!({
                "rules": [{ "tags": tags, "keep": keep }],
                "protected": ["latest"],
                "safety": { "sharedDigest": false },
            })),
            note: String::from(
                "GitLab deletes tags one by one, so the equivalent turns off the shared-digest safety; tagdeck also refuses untrusted push times (1970, all equal) where GitLab uses them.",
            ),
        }
    }
}

/// `14d` → 14 (GitLab's `older_than` values are whole days).
pub fn parse_days(text: &str) -> Option<u64> {
    let digits = text.trim().strip_suffix('d')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|days| *days > 0)
}
