//! Open Telekom Cloud / Huawei Cloud SWR image retention
//! (`POST /v2/manage/namespaces/{namespace}/repos/{repository}/retentions`,
//! "Adding an Image Retention Policy" in the SWR API reference):
//! `{"algorithm":"or","rules":[{"template":"date_rule"|"tag_rule",
//! "params":{"days":"30"}|{"num":"5"},"tag_selectors":[{"kind":"label"|"regexp","pattern":"..."}]}]}`.
//!
//! - Tags that a `tag_selectors` entry matches are set aside before the
//!   rule applies: never counted, never deleted (`label`: the exact tag;
//!   `regexp`: a search, as Go's `regexp.MatchString`).
//! - `tag_rule` keeps the `num` most recently pushed of the other tags;
//!   `date_rule` keeps those pushed within `days`; the rest are deleted.
//!
//! tagdeck's readings: with several rules (`algorithm: "or"`) a tag is
//! kept when any rule keeps it; a tag without a push time counts as the
//! newest for `tag_rule` and is never older than `date_rule`'s days; the
//! policy applies to every repository of the input (SWR stores one per
//! repository).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use serde_json::{json, Value};

use super::super::explain::{ago, Explanation};
use super::super::glob;
use super::super::group::{by_repository, sort_newest_first};
use super::super::model::{Decision, Millis, Options, Plan, RuleRef, TagView, DAY_MS};
use super::super::pattern::{Anchoring, Pattern};
use super::super::read::{self, missing, Obj, PolicyError, Result};
use super::finish;

/// A checked SWR retention policy.
#[derive(Debug, Clone)]
pub struct Swr {
    rules: Vec<SwrRule>,
}

#[derive(Debug, Clone)]
struct SwrRule {
    template: SwrTemplate,
    set_aside: Vec<(String, Pattern)>,
}

#[derive(Debug, Clone, Copy)]
enum SwrTemplate {
    Num(u64),
    Days(u64),
}

impl Swr {
    /// Reads the policy as SWR takes and returns it.
    pub fn from_json(value: &Value, path: &str) -> Result<Self> {
        let mut doc = Obj::new(value, path)?;
        doc.ignore(&["id", "scope", "trigger", "namespace", "repo"]);
        if let Some(algorithm) = doc.str(&["algorithm"])? {
            if algorithm != "or" {
                return Err(PolicyError::new(
                    doc.field("algorithm"),
                    format!("must be \"or\", not {algorithm:?}"),
                ));
            }
        }
        let (items, rules_path) = doc
            .list(&["rules"])?
            .ok_or_else(|| missing(doc.field("rules")))?;
        if items.is_empty() {
            return Err(PolicyError::new(rules_path, "must list a rule"));
        }
        let rules = items
            .iter()
            .enumerate()
            .map(|(i, item)| read_rule(item, read::index(&rules_path, i)))
            .collect::<Result<Vec<_>>>()?;
        doc.done()?;
        Ok(Swr { rules })
    }

    /// Runs the retention as SWR would at `now`.
    pub fn plan(&self, tags: &[TagView<'_>], options: &Options) -> Plan {
        let now = options.now;
        let mut decisions: Vec<Option<Decision>> = vec![None; tags.len()];
        // Per tag: the first rule that keeps it, else the first that deletes it.
        let mut kept: Vec<Option<(usize, String)>> = vec![None; tags.len()];
        let mut dropped: Vec<Option<(usize, String)>> = vec![None; tags.len()];
        for (_, members) in by_repository(tags) {
            for (r, rule) in self.rules.iter().enumerate() {
                let mut counted = Vec::new();
                for &i in &members {
                    match rule
                        .set_aside
                        .iter()
                        .find(|(_, pattern)| pattern.is_match(tags[i].tag))
                    {
                        Some((what, _)) => {
                            kept[i].get_or_insert((r, format!("matches tag_selectors {what}: set aside, never counted or deleted")));
                        }
                        None => counted.push(i),
                    }
                }
                match rule.template {
                    SwrTemplate::Num(n) => {
                        sort_newest_first(&mut counted, tags, |i| tags[i].pushed_at, true);
                        let total = counted.len();
                        for (rank, &i) in counted.iter().enumerate() {
                            let words = format!(
                                "#{} of the {total} tags not set aside, by push time",
                                rank + 1
                            );
                            if (rank as u64) < n {
                                kept[i].get_or_insert((
                                    r,
                                    format!("{words}: tag_rule keeps the {n} most recent"),
                                ));
                            } else {
                                dropped[i].get_or_insert((
                                    r,
                                    format!("{words}: tag_rule keeps only the {n} most recent"),
                                ));
                            }
                        }
                    }
                    SwrTemplate::Days(days) => {
                        for &i in &counted {
                            match tags[i].pushed_at {
                                Some(time) if time < now - days as Millis * DAY_MS => {
                                    dropped[i].get_or_insert((r, format!("pushed {}: date_rule keeps only the tags pushed within {days} days", ago(now, time))));
                                }
                                Some(time) => {
                                    kept[i].get_or_insert((
                                        r,
                                        format!(
                                            "pushed {}: within date_rule's {days} days",
                                            ago(now, time)
                                        ),
                                    ));
                                }
                                None => {
                                    kept[i].get_or_insert((r, format!("push time unknown: never older than date_rule's {days} days")));
                                }
                            }
                        }
                    }
                }
            }
            for &i in &members {
                decisions[i] = Some(match (&kept[i], &dropped[i]) {
                    (Some((r, words)), _) => {
                        Decision::keep(RuleRef::Index(*r), format!("rules[{r}]: {words}"))
                    }
                    (None, Some((r, words))) => {
                        Decision::delete(RuleRef::Index(*r), format!("rules[{r}]: {words}"))
                    }
                    (None, None) => {
                        Decision::keep(RuleRef::None, String::from("no rule decides this tag"))
                    }
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

    /// The tagdeck equivalent: set-aside tags excluded, the template as a keep.
    pub fn explain(&self) -> Explanation {
        let rules: Vec<Value> = self
            .rules
            .iter()
            .map(|rule| {
                let mut body = serde_json::Map::new();
                if !rule.set_aside.is_empty() {
                    let exclude: Vec<Value> = rule
                        .set_aside
                        .iter()
                        .map(|(_, pattern)| match pattern {
                            Pattern::Exact(name) => json!({ "regex": glob::escape(name) }),
                            Pattern::Star(star) => json!(star.source),
                            Pattern::Compiled { regex, .. } => {
                                json!({ "regex": format!(".*(?:{}).*", regex.source) })
                            }
                        })
                        .collect();
                    body.insert("tags".to_string(), json!({ "exclude": exclude }));
                }
                let keep = match rule.template {
                    SwrTemplate::Num(n) => json!({ "newest": n }),
                    SwrTemplate::Days(days) => json!({ "pushedWithinDays": days }),
                };
                body.insert("keep".to_string(), keep);
                Value::Object(body)
            })
            .collect();
        Explanation {
            format: "swr",
            equivalent: Some(json!({ "rules": rules, "safety": { "sharedDigest": false } })),
            note: String::from("Set-aside tags become the rule's excluded tags (tagdeck keeps tags no rule selects). SWR deletes tag by tag, hence no shared-digest safety; tagdeck also refuses untrusted push times where SWR uses them."),
        }
    }
}

fn read_rule(value: &Value, path: String) -> Result<SwrRule> {
    let mut rule = Obj::new(value, path)?;
    rule.ignore(&["id"]);
    let template_field = rule.field("template");
    let template_name = rule
        .str(&["template"])?
        .ok_or_else(|| missing(template_field.clone()))?;
    let params_field = rule.field("params");
    let mut params = rule
        .obj(&["params"])?
        .ok_or_else(|| missing(params_field))?;
    let template = match template_name {
        "tag_rule" => SwrTemplate::Num(
            params
                .count(&["num"], 1)?
                .ok_or_else(|| missing(params.field("num")))?,
        ),
        "date_rule" => SwrTemplate::Days(
            params
                .count(&["days"], 1)?
                .ok_or_else(|| missing(params.field("days")))?,
        ),
        other => {
            return Err(PolicyError::new(
                template_field,
                format!("must be \"date_rule\" or \"tag_rule\", not {other:?}"),
            ))
        }
    };
    params.done()?;
    let mut set_aside = Vec::new();
    if let Some((items, path)) = rule.list(&["tag_selectors", "tagSelectors"])? {
        for (i, item) in items.iter().enumerate() {
            let mut selector = Obj::new(item, read::index(&path, i))?;
            let pattern_field = selector.field("pattern");
            let text = selector
                .str(&["pattern"])?
                .ok_or_else(|| missing(pattern_field.clone()))?;
            let entry = match selector.str(&["kind"])? {
                Some("label") => (format!("label `{text}`"), Pattern::Exact(text.to_string())),
                Some("regexp") => (
                    format!("regexp `{text}`"),
                    Pattern::regex(text, Anchoring::Search, &pattern_field)?,
                ),
                Some(other) => {
                    return Err(PolicyError::new(
                        selector.field("kind"),
                        format!("must be \"label\" or \"regexp\", not {other:?}"),
                    ))
                }
                None => return Err(missing(selector.field("kind"))),
            };
            selector.done()?;
            set_aside.push(entry);
        }
    }
    rule.done()?;
    Ok(SwrRule {
        template,
        set_aside,
    })
}
