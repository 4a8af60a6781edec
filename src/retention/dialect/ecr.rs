//! Amazon ECR lifecycle policies (the `PutLifecyclePolicy` document;
//! "Lifecycle policy properties" and "Examples of lifecycle policies" in
//! the Amazon ECR User Guide).
//!
//! - The unit is the image (digest): expiring it removes all its tags.
//! - `tagged` + `tagPrefixList`: every prefix must prefix at least one of
//!   the image's tags; `tagPatternList`: every pattern (`*` = any run, at
//!   most four, whole tag) must match at least one tag. `untagged` selects
//!   images without tags (a plan of tags has none); `any` selects all.
//! - Each rule marks, among ALL images it selects: `imageCountMoreThan N`
//!   all but the N most recently pushed; `sinceImagePushed N` (days) those
//!   pushed more than N days ago.
//! - An image expires iff the first rule by `rulePriority` that selects it
//!   marks it.
//!
//! tagdeck's readings where ECR has no case of its own: an image's push
//! time is the earliest push time of its tags; an image with no known push
//! time counts as the most recent for `imageCountMoreThan` and is never
//! older than `sinceImagePushed`; equal push times rank by first tag name.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use serde_json::Value;

use super::super::explain::{ago, Explanation};
use super::super::glob::GlobFlavor;
use super::super::group::by_repository;
use super::super::model::{Decision, Millis, Options, Plan, RuleRef, TagView, DAY_MS};
use super::super::pattern::Pattern;
use super::super::read::{self, Obj, PolicyError, Result};
use super::{decide_image, finish, images, Image};

/// ECR's own prefix for every validation failure.
const FAILURE: &str = "Lifecycle policy validation failure";

/// A checked lifecycle policy, rules in priority order.
#[derive(Debug, Clone)]
pub struct Ecr {
    rules: Vec<EcrRule>,
}

#[derive(Debug, Clone)]
struct EcrRule {
    priority: u64,
    status: TagStatus,
    prefixes: Vec<String>,
    patterns: Vec<Pattern>,
    count: Count,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TagStatus {
    Tagged,
    Untagged,
    Any,
}

#[derive(Debug, Clone, Copy)]
enum Count {
    MoreThan(u64),
    SincePushedDays(u64),
}

fn failure(field: String, what: impl core::fmt::Display) -> PolicyError {
    PolicyError::new(field, format!("{FAILURE}: {what}"))
}

impl Ecr {
    /// Reads and validates the document as `PutLifecyclePolicy` does.
    pub fn from_json(value: &Value, path: &str) -> Result<Self> {
        let mut doc = Obj::new(value, path)?;
        let (items, rules_path) = doc.list(&["rules"])?.ok_or_else(|| {
            failure(
                doc.field("rules"),
                "object has missing required properties ([\"rules\"])",
            )
        })?;
        if items.is_empty() {
            return Err(failure(
                rules_path,
                "array is too short: must have at least 1 elements",
            ));
        }
        let mut rules: Vec<EcrRule> = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let rule = read_rule(item, read::index(&rules_path, i))?;
            if let Some(other) = rules.iter().position(|r| r.priority == rule.priority) {
                return Err(failure(
                    format!("{}.rulePriority", read::index(&rules_path, i)),
                    format!("rulePriority {} is also the priority of {}: each rule must have a unique rulePriority", rule.priority, read::index(&rules_path, other)),
                ));
            }
            rules.push(rule);
        }
        doc.done()?;
        rules.sort_by_key(|rule| rule.priority);
        let highest = rules.last().map_or(0, |rule| rule.priority);
        if let Some(any) = rules
            .iter()
            .find(|rule| rule.status == TagStatus::Any && rule.priority != highest)
        {
            return Err(failure(
                rules_path,
                format!("the rule with tagStatus \"any\" (rulePriority {}) must have the highest rulePriority", any.priority),
            ));
        }
        Ok(Ecr { rules })
    }

    /// Expires images as ECR would run the policy at `now`.
    pub fn plan(&self, tags: &[TagView<'_>], options: &Options) -> Plan {
        let mut decisions: Vec<Option<Decision>> = vec![None; tags.len()];
        for (_, members) in by_repository(tags) {
            let images = images(tags, &members);
            // For each image: the first rule that selects it, and whether it marks it.
            let mut first: Vec<Option<(usize, bool, String)>> = vec![None; images.len()];
            for (r, rule) in self.rules.iter().enumerate() {
                let mut selected: Vec<usize> = (0..images.len())
                    .filter(|&m| rule.selects(&images[m], tags))
                    .collect();
                let total = selected.len();
                match rule.count {
                    Count::MoreThan(n) => {
                        sort_recent_first(&mut selected, &images, tags);
                        for (rank, &m) in selected.iter().enumerate() {
                            let marked = rank as u64 >= n;
                            let words = format!("#{} of the {total} images it selects by push time, {} the {n} most recent it keeps", rank + 1, if marked { "not among" } else { "among" });
                            first[m].get_or_insert((r, marked, words));
                        }
                    }
                    Count::SincePushedDays(days) => {
                        for &m in &selected {
                            let (marked, words) = match images[m].pushed {
                                Some(pushed) if pushed < options.now - days as Millis * DAY_MS => (
                                    true,
                                    format!(
                                        "pushed {}, more than {days} days ago",
                                        ago(options.now, pushed)
                                    ),
                                ),
                                Some(pushed) => (
                                    false,
                                    format!(
                                        "pushed {}, not more than {days} days ago",
                                        ago(options.now, pushed)
                                    ),
                                ),
                                None => (
                                    false,
                                    String::from("push time unknown, never counted as old"),
                                ),
                            };
                            first[m].get_or_insert((r, marked, words));
                        }
                    }
                }
            }
            for (m, image) in images.iter().enumerate() {
                let decision = match &first[m] {
                    None => {
                        Decision::keep(RuleRef::None, String::from("no rule selects this image"))
                    }
                    Some((r, marked, words)) => {
                        let rule = &self.rules[*r];
                        let id = RuleRef::Id(rule.priority.to_string());
                        let lead = format!(
                            "rulePriority {} ({}) is the first rule to select the image",
                            rule.priority,
                            rule.describe()
                        );
                        if *marked {
                            Decision::delete(id, format!("{lead} and expires it: {words}; the image's tags go with it: {}", image.tag_list(tags)))
                        } else {
                            Decision::keep(id, format!("{lead} and keeps it: {words}"))
                        }
                    }
                };
                decide_image(&mut decisions, image, decision);
            }
        }
        Plan {
            decisions: finish(decisions, || {
                Decision::keep(RuleRef::None, String::from("no rule selects this image"))
            }),
            warnings: Vec::new(),
        }
    }

    /// ECR's rules have no tagdeck equivalent in general.
    pub fn explain(&self) -> Explanation {
        Explanation {
            format: "ecr",
            equivalent: None,
            note: String::from(
                "No tagdeck equivalent: ECR expires whole images (every tag of a digest) and lets the first rule by rulePriority that selects an image decide it, counting among all the images a rule selects, even those an earlier rule decided; tagdeck's rules decide tags and unite what they keep. tagdeck runs the policy as ECR does.",
            ),
        }
    }
}

impl EcrRule {
    fn selects(&self, image: &Image, tags: &[TagView<'_>]) -> bool {
        match self.status {
            TagStatus::Any => true,
            // A plan is made of tags: every image in it has one.
            TagStatus::Untagged => image.tags.is_empty(),
            TagStatus::Tagged => {
                self.prefixes.iter().all(|prefix| {
                    image
                        .tags
                        .iter()
                        .any(|&i| tags[i].tag.starts_with(prefix.as_str()))
                }) && self
                    .patterns
                    .iter()
                    .all(|pattern| image.tags.iter().any(|&i| pattern.is_match(tags[i].tag)))
            }
        }
    }

    fn describe(&self) -> String {
        let quoted = |items: Vec<String>| {
            items
                .iter()
                .map(|item| format!("`{item}`"))
                .collect::<Vec<_>>()
                .join(" and ")
        };
        match self.status {
            TagStatus::Any => String::from("any image"),
            TagStatus::Untagged => String::from("untagged images"),
            TagStatus::Tagged if !self.prefixes.is_empty() => {
                format!("tags with prefix {}", quoted(self.prefixes.clone()))
            }
            TagStatus::Tagged => format!(
                "tags matching {}",
                self.patterns
                    .iter()
                    .map(Pattern::describe)
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
        }
    }
}

/// Most recently pushed first; unknown push times first; equal times by
/// first tag name.
fn sort_recent_first(selected: &mut [usize], images: &[Image], tags: &[TagView<'_>]) {
    selected.sort_by(|&a, &b| {
        let (x, y) = (&images[a], &images[b]);
        let by_time = match (x.pushed, y.pushed) {
            (Some(p), Some(q)) => q.cmp(&p),
            (None, None) => core::cmp::Ordering::Equal,
            (None, Some(_)) => core::cmp::Ordering::Less,
            (Some(_), None) => core::cmp::Ordering::Greater,
        };
        by_time.then_with(|| x.first_tag(tags).cmp(y.first_tag(tags)))
    });
}

fn read_rule(value: &Value, path: String) -> Result<EcrRule> {
    let mut rule = Obj::new(value, path)?;
    rule.ignore(&["description"]);
    let priority = rule.count(&["rulePriority"], 1)?.ok_or_else(|| {
        failure(
            rule.field("rulePriority"),
            "object has missing required properties ([\"rulePriority\"])",
        )
    })?;
    let mut selection = rule.obj(&["selection"])?.ok_or_else(|| {
        failure(
            rule.field("selection"),
            "object has missing required properties ([\"selection\"])",
        )
    })?;
    let status = match selection.str(&["tagStatus"])? {
        Some("tagged") => TagStatus::Tagged,
        Some("untagged") => TagStatus::Untagged,
        Some("any") => TagStatus::Any,
        Some(other) => return Err(failure(selection.field("tagStatus"), format!("instance value ({other:?}) not found in enum (possible values: [\"tagged\",\"untagged\",\"any\"])"))),
        None => return Err(failure(selection.field("tagStatus"), "object has missing required properties ([\"tagStatus\"])")),
    };
    let prefixes = string_list(&mut selection, "tagPrefixList")?;
    let pattern_texts = string_list(&mut selection, "tagPatternList")?;
    match (status, &prefixes, &pattern_texts) {
        (TagStatus::Tagged, None, None) => {
            return Err(failure(
                selection.path.clone(),
                "tagPrefixList or tagPatternList is required when tagStatus is \"tagged\"",
            ))
        }
        (TagStatus::Tagged, Some(_), Some(_)) => {
            return Err(failure(
                selection.path.clone(),
                "a rule may specify either tagPatternList or tagPrefixList, but not both",
            ))
        }
        (TagStatus::Untagged | TagStatus::Any, Some(_), _)
        | (TagStatus::Untagged | TagStatus::Any, _, Some(_)) => {
            return Err(failure(
                selection.path.clone(),
                "tagPrefixList and tagPatternList may only be used when tagStatus is \"tagged\"",
            ))
        }
        _ => {}
    }
    let mut patterns = Vec::new();
    for (i, text) in pattern_texts.iter().flatten().enumerate() {
        let field = format!("{}[{i}]", selection.field("tagPatternList"));
        if text.matches('*').count() > 4 {
            return Err(failure(
                field,
                format!("{text:?} has more than four wildcards (*)"),
            ));
        }
        patterns.push(Pattern::glob(text, GlobFlavor::Star, &field)?);
    }
    let count_type = selection.str(&["countType"])?;
    let count_unit = selection.str(&["countUnit"])?;
    let number_field = selection.field("countNumber");
    let number = selection
        .count(&["countNumber"], 1)
        .map_err(|error| failure(error.field, error.message))?
        .ok_or_else(|| {
            failure(
                number_field,
                "object has missing required properties ([\"countNumber\"])",
            )
        })?;
    let count = match (count_type, count_unit) {
        (Some("imageCountMoreThan"), None) => Count::MoreThan(number),
        (Some("imageCountMoreThan"), Some(_)) => return Err(failure(selection.field("countUnit"), "countUnit must not be specified when countType is \"imageCountMoreThan\"")),
        (Some("sinceImagePushed"), Some("days")) => Count::SincePushedDays(number),
        (Some("sinceImagePushed"), Some(other)) => return Err(failure(selection.field("countUnit"), format!("instance value ({other:?}) not found in enum (possible values: [\"days\"])"))),
        (Some("sinceImagePushed"), None) => return Err(failure(selection.field("countUnit"), "countUnit is required when countType is \"sinceImagePushed\"")),
        (Some(other), _) => {
            return Err(failure(
                selection.field("countType"),
                format!("instance value ({other:?}) not found in enum (possible values: [\"imageCountMoreThan\",\"sinceImagePushed\"])"),
            ))
        }
        (None, _) => return Err(failure(selection.field("countType"), "object has missing required properties ([\"countType\"])")),
    };
    selection.done()?;
    let mut action = rule.obj(&["action"])?.ok_or_else(|| {
        failure(
            rule.field("action"),
            "object has missing required properties ([\"action\"])",
        )
    })?;
    match action.str(&["type"])? {
        Some("expire") => {}
        Some(other) => {
            return Err(failure(
                action.field("type"),
                format!(
                    "instance value ({other:?}) not found in enum (possible values: [\"expire\"])"
                ),
            ))
        }
        None => {
            return Err(failure(
                action.field("type"),
                "object has missing required properties ([\"type\"])",
            ))
        }
    }
    action.done()?;
    rule.done()?;
    Ok(EcrRule {
        priority,
        status,
        prefixes: prefixes.unwrap_or_default(),
        patterns,
        count,
    })
}

fn string_list(obj: &mut Obj<'_>, name: &'static str) -> Result<Option<Vec<String>>> {
    let Some((items, path)) = obj.list(&[name])? else {
        return Ok(None);
    };
    if items.is_empty() {
        return Err(failure(
            path,
            "array is too short: must have at least 1 elements",
        ));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| match item {
            Value::String(text) if !text.is_empty() => Ok(text.clone()),
            _ => Err(failure(read::index(&path, i), "must be non-empty text")),
        })
        .collect::<Result<Vec<_>>>()
        .map(Some)
}
