//! Harbor tag retention (the project's retention policy, as Harbor's API
//! `/retentions` stores it: `algorithm`, `rules[]` with `template`,
//! `params`, `tag_selectors`, `scope_selectors`).
//!
//! - A rule applies to the repositories its `scope_selectors.repository`
//!   select (doublestar `repoMatches` / `repoExcludes`) and, in them, to the
//!   artifacts its `tag_selectors` select (doublestar `matches`: some tag
//!   matches; `excludes`: some tag does not match; `extras`
//!   `{"untagged":true}` would add untagged artifacts, which a plan of tags
//!   has none of).
//! - Its template says what to RETAIN among them: `latestPushedK`,
//!   `latestPulledN`, `nDaysSinceLastPush`, `nDaysSinceLastPull`, `always`
//!   (counted per repository).
//! - Retained sets of all rules are united (`algorithm: "or"`); every other
//!   artifact of a selected repository is deleted, whole (all its tags).
//!   Disabled rules count for nothing.
//!
//! Times: an artifact's push time is the earliest of its tags'; its pull
//! time the latest; a never-pulled artifact has pull time 0 (the oldest),
//! as Harbor stores it.

use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use serde_json::Value;

use super::super::explain::{ago, Explanation};
use super::super::glob::GlobFlavor;
use super::super::group::by_repository;
use super::super::model::{Decision, Millis, Options, Plan, RuleRef, TagView, DAY_MS};
use super::super::pattern::Pattern;
use super::super::read::{self, missing, Obj, PolicyError, Result};
use super::{decide_image, finish, images, Image};

/// A checked Harbor retention policy.
#[derive(Debug, Clone)]
pub struct Harbor {
    rules: Vec<HarborRule>,
}

#[derive(Debug, Clone)]
struct HarborRule {
    index: usize,
    disabled: bool,
    template: Template,
    repositories: Vec<Selector>,
    tags: Vec<Selector>,
}

#[derive(Debug, Clone, Copy)]
enum Template {
    LatestPushed(u64),
    LatestPulled(u64),
    DaysSincePush(u64),
    DaysSincePull(u64),
    Always,
}

#[derive(Debug, Clone)]
struct Selector {
    pattern: Pattern,
    matches: bool,
}

impl Harbor {
    /// Reads the policy as Harbor stores it.
    pub fn from_json(value: &Value, path: &str) -> Result<Self> {
        let mut doc = Obj::new(value, path)?;
        doc.ignore(&["id", "trigger", "scope"]);
        if let Some(algorithm) = doc.str(&["algorithm"])? {
            if algorithm != "or" {
                return Err(PolicyError::new(
                    doc.field("algorithm"),
                    format!("must be \"or\" (Harbor's only algorithm), not {algorithm:?}"),
                ));
            }
        }
        let (items, rules_path) = doc
            .list(&["rules"])?
            .ok_or_else(|| missing(doc.field("rules")))?;
        let mut rules = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            rules.push(read_rule(item, i, read::index(&rules_path, i))?);
        }
        doc.done()?;
        Ok(Harbor { rules })
    }

    /// Runs the retention as Harbor would at `now`.
    pub fn plan(&self, tags: &[TagView<'_>], options: &Options) -> Plan {
        let now = options.now;
        let mut decisions: Vec<Option<Decision>> = vec![None; tags.len()];
        let rules: Vec<&HarborRule> = self.rules.iter().filter(|rule| !rule.disabled).collect();
        for (repository, members) in by_repository(tags) {
            let images = images(tags, &members);
            let applying: Vec<&&HarborRule> = rules
                .iter()
                .filter(|rule| {
                    rule.repositories
                        .iter()
                        .all(|s| s.pattern.is_match(repository) == s.matches)
                })
                .collect();
            if applying.is_empty() {
                for image in &images {
                    decide_image(
                        &mut decisions,
                        image,
                        Decision::keep(
                            RuleRef::None,
                            String::from("no rule's repository selector selects its repository"),
                        ),
                    );
                }
                continue;
            }
            let mut retained: Vec<Option<(usize, String)>> = vec![None; images.len()];
            for rule in &applying {
                let mut selected: Vec<usize> = (0..images.len())
                    .filter(|&m| rule.selects(&images[m], tags))
                    .collect();
                let total = selected.len();
                let mut retain = |m: usize, words: String| {
                    retained[m].get_or_insert((rule.index, words));
                };
                match rule.template {
                    Template::Always => selected
                        .iter()
                        .for_each(|&m| retain(m, String::from("always retained"))),
                    Template::LatestPushed(k) | Template::LatestPulled(k) => {
                        let pulled = matches!(rule.template, Template::LatestPulled(_));
                        let time = |image: &Image| {
                            if pulled {
                                image.pulled.unwrap_or(0)
                            } else {
                                image.pushed.unwrap_or(Millis::MAX)
                            }
                        };
                        selected.sort_by(|&a, &b| {
                            time(&images[b]).cmp(&time(&images[a])).then_with(|| {
                                images[a].first_tag(tags).cmp(images[b].first_tag(tags))
                            })
                        });
                        let what = if pulled { "pulled" } else { "pushed" };
                        for (rank, &m) in selected.iter().enumerate().take(k as usize) {
                            retain(m, format!("#{} of the {total} selected artifacts by last {what}: retains the {k} most recently {what}", rank + 1));
                        }
                    }
                    Template::DaysSincePush(days) | Template::DaysSincePull(days) => {
                        let pulled = matches!(rule.template, Template::DaysSincePull(_));
                        for &m in &selected {
                            let time = if pulled {
                                images[m].pulled.unwrap_or(0)
                            } else {
                                images[m].pushed.unwrap_or(now)
                            };
                            if time >= now - days as Millis * DAY_MS {
                                retain(
                                    m,
                                    format!(
                                        "{} {}: retains artifacts {} within {days} days",
                                        if pulled { "pulled" } else { "pushed" },
                                        ago(now, time),
                                        if pulled { "pulled" } else { "pushed" }
                                    ),
                                );
                            }
                        }
                    }
                }
            }
            for (m, image) in images.iter().enumerate() {
                let decision = match &retained[m] {
                    Some((r, words)) => Decision::keep(RuleRef::Index(*r), format!("rules[{r}] ({}): {words}", self.rules[*r].template.describe())),
                    None => Decision::delete(
                        RuleRef::Named("harbor:not-retained"),
                        format!("no rule retains the artifact in a repository the rules select; the whole artifact goes: {}", image.tag_list(tags)),
                    ),
                };
                decide_image(&mut decisions, image, decision);
            }
        }
        Plan {
            decisions: finish(decisions, || {
                Decision::keep(RuleRef::None, String::from("not evaluated"))
            }),
            warnings: Vec::new(),
        }
    }

    /// Harbor's retention has no tagdeck equivalent.
    pub fn explain(&self) -> Explanation {
        Explanation {
            format: "harbor",
            equivalent: None,
            note: String::from(
                "No tagdeck equivalent: Harbor retains and deletes whole artifacts (every tag of a digest), and deletes every artifact no rule retains in a repository any rule selects, even those no tag selector selects; tagdeck's rules decide tags, and a tag no rule selects is kept. tagdeck runs the policy as Harbor does.",
            ),
        }
    }
}

impl HarborRule {
    fn selects(&self, image: &Image, tags: &[TagView<'_>]) -> bool {
        self.tags.iter().all(|selector| {
            let mut names = image.tags.iter().map(|&i| tags[i].tag);
            if selector.matches {
                names.any(|name| selector.pattern.is_match(name))
            } else {
                names.any(|name| !selector.pattern.is_match(name))
            }
        })
    }
}

impl Template {
    fn describe(self) -> String {
        match self {
            Template::LatestPushed(k) => format!("latestPushedK {k}"),
            Template::LatestPulled(k) => format!("latestPulledN {k}"),
            Template::DaysSincePush(d) => format!("nDaysSinceLastPush {d}"),
            Template::DaysSincePull(d) => format!("nDaysSinceLastPull {d}"),
            Template::Always => String::from("always"),
        }
    }
}

fn read_rule(value: &Value, index: usize, path: String) -> Result<HarborRule> {
    let mut rule = Obj::new(value, path)?;
    rule.ignore(&["id", "priority", "action"]);
    let disabled = rule.bool(&["disabled"])?.unwrap_or(false);
    let template_field = rule.field("template");
    let template_name = rule
        .str(&["template"])?
        .ok_or_else(|| missing(template_field.clone()))?;
    let mut params = rule.obj(&["params"])?;
    let mut param = |name: &'static str| -> Result<u64> {
        let params = params.as_mut().ok_or_else(|| {
            missing(format!(
                "{}.params.{name}",
                template_field.trim_end_matches(".template")
            ))
        })?;
        let field = params.field(name);
        params.count(&[name], 0)?.ok_or_else(|| missing(field))
    };
    let template = match template_name {
        "latestPushedK" => Template::LatestPushed(param("latestPushedK")?),
        "latestPulledN" => Template::LatestPulled(param("latestPulledN")?),
        "nDaysSinceLastPush" => Template::DaysSincePush(param("nDaysSinceLastPush")?),
        "nDaysSinceLastPull" => Template::DaysSincePull(param("nDaysSinceLastPull")?),
        "always" => Template::Always,
        other => {
            return Err(PolicyError::new(
                template_field,
                format!("must be one of latestPushedK, latestPulledN, nDaysSinceLastPush, nDaysSinceLastPull, always; not {other:?}"),
            ))
        }
    };
    if let Some(params) = params {
        let mut params = params;
        params.ignore(&[
            "latestPushedK",
            "latestPulledN",
            "nDaysSinceLastPush",
            "nDaysSinceLastPull",
        ]);
        params.done()?;
    }
    let tags = match rule.list(&["tag_selectors", "tagSelectors"])? {
        Some((items, path)) => selectors(items, &path, "matches", "excludes")?,
        None => Vec::new(),
    };
    let repositories = match rule.obj(&["scope_selectors", "scopeSelectors"])? {
        Some(mut scope) => {
            let list = match scope.list(&["repository"])? {
                Some((items, path)) => selectors(items, &path, "repoMatches", "repoExcludes")?,
                None => Vec::new(),
            };
            scope.done()?;
            list
        }
        None => Vec::new(),
    };
    rule.done()?;
    Ok(HarborRule {
        index,
        disabled,
        template,
        repositories,
        tags,
    })
}

fn selectors(items: &[Value], path: &str, matches: &str, excludes: &str) -> Result<Vec<Selector>> {
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let mut obj = Obj::new(item, read::index(path, i))?;
        obj.ignore(&["extras"]);
        match obj.str(&["kind"])? {
            None | Some("doublestar") => {}
            Some(other) => {
                return Err(PolicyError::new(
                    obj.field("kind"),
                    format!("must be \"doublestar\", not {other:?}"),
                ))
            }
        }
        let decoration = obj.str(&["decoration"])?.unwrap_or(matches);
        let is_match = if decoration == matches {
            true
        } else if decoration == excludes {
            false
        } else {
            return Err(PolicyError::new(
                obj.field("decoration"),
                format!("must be {matches:?} or {excludes:?}, not {decoration:?}"),
            ));
        };
        let pattern_field = obj.field("pattern");
        let text = obj
            .str(&["pattern"])?
            .ok_or_else(|| missing(pattern_field.clone()))?;
        let pattern = Pattern::glob(text, GlobFlavor::Doublestar, &pattern_field)?;
        obj.done()?;
        out.push(Selector {
            pattern,
            matches: is_match,
        });
    }
    Ok(out)
}
