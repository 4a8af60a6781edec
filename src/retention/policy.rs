//! tagdeck's own policy language, read from JSON into a checked [`Policy`].
//!
//! ```json
//! {
//!   "rules": [
//!     { "id": "releases", "repositories": "team/**",
//!       "tags": { "include": { "regex": "v\\d+\\..*" }, "exclude": "*-debug" },
//!       "keep": { "newest": 2, "by": "version", "per": { "regex": "^v(\\d+\\.\\d+)\\." } } },
//!     { "tags": { "include": "pr-*" }, "keep": { "pushedWithinDays": 14 } }
//!   ],
//!   "protected": ["latest", "prod-*"],
//!   "deleteOnlyOlderThanDays": 7,
//!   "safety": { "sharedDigest": true, "timestamps": "refuse" }
//! }
//! ```
//!
//! A rule SELECTS the tags of the repositories it names that pass its tag
//! filters and KEEPS some of them; a selected tag that no selecting rule
//! keeps is deleted (unless protected, younger than
//! `deleteOnlyOlderThanDays`, or saved by a safety rule). Tags no rule
//! selects are kept. Patterns: a string is a glob (`*`, `**`, `?`,
//! `[...]`, `{a,b}`; whole name), `{ "regex": "..." }` an anchored regular
//! expression, a list any of them. `per` is a regex SEARCH whose capture
//! groups name the group. The full reference is docs/retention.md.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::Value;

use super::glob::GlobFlavor;
use super::pattern::{Anchoring, Pattern, Regex};
use super::read::{self, missing, Obj, PolicyError, Result};

/// A checked tagdeck policy.
#[derive(Debug, Clone)]
pub struct Policy {
    /// The rules, in the order written (the first keeping rule is named as
    /// the deciding one).
    pub rules: Vec<Rule>,
    /// Tags never deleted.
    pub protected: Vec<Pattern>,
    /// Only tags pushed more than this many days ago are deleted.
    pub delete_only_older_than_days: Option<u64>,
    /// The safety rules.
    pub safety: Safety,
}

/// The safety rules; every one is on unless the policy turns it off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Safety {
    /// Never delete a tag whose digest a kept tag shares (unless the
    /// registry deletes tags one by one). Default `true`.
    pub shared_digest: bool,
    /// What to do with unusable timestamps. Default [`TimestampMode::Refuse`].
    pub timestamps: TimestampMode,
}

/// What to do with a time that cannot be trusted (placeholder 1970 dates,
/// created after updated, every tag of a repository at the same instant).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampMode {
    /// Keep every tag whose deletion would rest on such a time, and warn.
    Refuse,
    /// Use the times as they are, and warn.
    Warn,
}

/// One rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// The rule's id, if it has one (else it is named by its index).
    pub id: Option<String>,
    /// Repositories the rule applies to (empty: all).
    pub repositories: Vec<Pattern>,
    /// Tags selected (empty: all).
    pub include: Vec<Pattern>,
    /// Tags set aside.
    pub exclude: Vec<Pattern>,
    /// What the rule keeps among the tags it selects.
    pub keep: Keep,
}

/// What a rule keeps; a tag is kept when ANY clause keeps it.
#[derive(Debug, Clone)]
pub struct Keep {
    /// Keep the newest N (per group, when `per` is set).
    pub newest: Option<u64>,
    /// What "newest" means.
    pub by: Order,
    /// Count newest N per group: the group is this regex's capture.
    pub per: Option<Regex>,
    /// Keep tags pushed within D days.
    pub pushed_within_days: Option<u64>,
    /// Keep tags pulled within D days.
    pub pulled_within_days: Option<u64>,
}

/// The order of "newest".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// By push time, newest first (equal times: by tag name).
    Pushed,
    /// By version (semver, then natural order; see `version.rs`).
    Version,
}

impl Policy {
    /// Reads and checks a policy document; nothing is half-read: any fault
    /// refuses the whole policy.
    pub fn from_json(value: &Value) -> Result<Self> {
        let mut doc = Obj::new(value, "")?;
        doc.ignore(&["format", "description", "name"]);
        let (items, path) = doc
            .list(&["rules"])?
            .ok_or_else(|| missing("rules".to_string()))?;
        if items.is_empty() {
            return Err(PolicyError::new(path, "must list at least one rule"));
        }
        let mut rules = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            rules.push(read_rule(item, read::index(&path, i))?);
        }
        let protected = match doc.get(&["protected"]) {
            Some((value, path)) => patterns(value, &path, GlobFlavor::Doublestar)?,
            None => Vec::new(),
        };
        let delete_only_older_than_days = doc.count(&["deleteOnlyOlderThanDays"], 1)?;
        let safety = match doc.obj(&["safety"])? {
            Some(obj) => read_safety(obj)?,
            None => Safety {
                shared_digest: true,
                timestamps: TimestampMode::Refuse,
            },
        };
        doc.done()?;
        Ok(Policy {
            rules,
            protected,
            delete_only_older_than_days,
            safety,
        })
    }
}

fn read_safety(mut obj: Obj<'_>) -> Result<Safety> {
    let shared_digest = obj.bool(&["sharedDigest"])?.unwrap_or(true);
    let timestamps = match obj.str(&["timestamps"])? {
        None | Some("refuse") => TimestampMode::Refuse,
        Some("warn") => TimestampMode::Warn,
        Some(other) => {
            return Err(PolicyError::new(
                obj.field("timestamps"),
                format!("must be \"refuse\" or \"warn\", not {other:?}"),
            ))
        }
    };
    obj.done()?;
    Ok(Safety {
        shared_digest,
        timestamps,
    })
}

fn read_rule(value: &Value, path: String) -> Result<Rule> {
    let mut obj = Obj::new(value, path)?;
    obj.ignore(&["description"]);
    let id = obj.str(&["id"])?.map(str::to_string);
    let repositories = match obj.get(&["repositories"]) {
        Some((value, path)) => patterns(value, &path, GlobFlavor::Doublestar)?,
        None => Vec::new(),
    };
    let (include, exclude) = match obj.obj(&["tags"])? {
        Some(mut tags) => {
            let include = match tags.get(&["include"]) {
                Some((value, path)) => patterns(value, &path, GlobFlavor::Doublestar)?,
                None => Vec::new(),
            };
            let exclude = match tags.get(&["exclude"]) {
                Some((value, path)) => patterns(value, &path, GlobFlavor::Doublestar)?,
                None => Vec::new(),
            };
            tags.done()?;
            (include, exclude)
        }
        None => (Vec::new(), Vec::new()),
    };
    let keep_path = obj.field("keep");
    let keep = read_keep(obj.obj(&["keep"])?.ok_or_else(|| missing(keep_path))?)?;
    obj.done()?;
    Ok(Rule {
        id,
        repositories,
        include,
        exclude,
        keep,
    })
}

fn read_keep(mut obj: Obj<'_>) -> Result<Keep> {
    let newest = obj.count(&["newest"], 1)?;
    let by_text = obj.str(&["by"])?;
    let by = match by_text {
        None | Some("pushed") => Order::Pushed,
        Some("version") => Order::Version,
        Some(other) => {
            return Err(PolicyError::new(
                obj.field("by"),
                format!("must be \"pushed\" or \"version\", not {other:?}"),
            ))
        }
    };
    let per = match obj.get(&["per"]) {
        None => None,
        Some((value, path)) => Some(regex_spec(value, &path)?),
    };
    let pushed_within_days = obj.count(&["pushedWithinDays"], 1)?;
    let pulled_within_days = obj.count(&["pulledWithinDays"], 1)?;
    let none = obj.bool(&["none"])?.unwrap_or(false);
    // Unknown fields first: a misspelt clause explains every later complaint.
    let path = obj.path.clone();
    obj.done()?;
    if newest.is_none() && (per.is_some() || by_text.is_some()) {
        return Err(PolicyError::new(
            read::join(&path, "newest"),
            "is required with `by` or `per`",
        ));
    }
    let keeps_something =
        newest.is_some() || pushed_within_days.is_some() || pulled_within_days.is_some();
    if keeps_something && none {
        return Err(PolicyError::new(
            read::join(&path, "none"),
            "cannot be true when the rule keeps something",
        ));
    }
    if !keeps_something && !none {
        return Err(PolicyError::new(
            path,
            "must keep something (newest, pushedWithinDays or pulledWithinDays), or say \"none\": true to delete every tag the rule selects",
        ));
    }
    Ok(Keep {
        newest,
        by,
        per,
        pushed_within_days,
        pulled_within_days,
    })
}

/// `"glob"`, `{ "glob": "..." }`, `{ "regex": "..." }` or a list of them.
pub fn patterns(value: &Value, path: &str, flavor: GlobFlavor) -> Result<Vec<Pattern>> {
    match value {
        Value::Array(items) => {
            if items.is_empty() {
                return Err(PolicyError::new(
                    path,
                    "must list at least one pattern (leave the field out to mean all)",
                ));
            }
            items
                .iter()
                .enumerate()
                .map(|(i, item)| pattern(item, &read::index(path, i), flavor))
                .collect()
        }
        single => Ok(alloc::vec![pattern(single, path, flavor)?]),
    }
}

fn pattern(value: &Value, path: &str, flavor: GlobFlavor) -> Result<Pattern> {
    match value {
        Value::String(glob) if glob.is_empty() => Err(PolicyError::new(path, "must not be empty")),
        Value::String(glob) => Pattern::glob(glob, flavor, path),
        Value::Object(_) => {
            let mut obj = Obj::new(value, path)?;
            let glob = obj.str(&["glob"])?;
            let regex = obj.str(&["regex"])?;
            obj.done()?;
            match (glob, regex) {
                (Some(glob), None) => Pattern::glob(glob, flavor, &read::join(path, "glob")),
                (None, Some(regex)) => {
                    Pattern::regex(regex, Anchoring::Whole, &read::join(path, "regex"))
                }
                _ => Err(PolicyError::new(
                    path,
                    "must have exactly one of `glob` and `regex`",
                )),
            }
        }
        other => Err(PolicyError::new(
            path,
            format!(
                "must be a glob (text) or {{ \"regex\": ... }}, not {}",
                read::kind(other)
            ),
        )),
    }
}

/// `"regex"` or `{ "regex": "..." }`: a regex searched in the name.
fn regex_spec(value: &Value, path: &str) -> Result<Regex> {
    match value {
        Value::String(text) => Regex::new(text, Anchoring::Search, path),
        Value::Object(_) => {
            let mut obj = Obj::new(value, path)?;
            let text = obj
                .str(&["regex"])?
                .ok_or_else(|| missing(read::join(path, "regex")))?;
            obj.done()?;
            Regex::new(text, Anchoring::Search, &read::join(path, "regex"))
        }
        other => Err(PolicyError::new(
            path,
            format!(
                "must be a regular expression (text), not {}",
                read::kind(other)
            ),
        )),
    }
}
