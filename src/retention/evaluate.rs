//! Evaluating a tagdeck [`Policy`]: every rule selects, per repository, the
//! tags it names and keeps some of them; a selected tag no rule keeps is
//! deleted, unless protected, too young for `deleteOnlyOlderThanDays`, or
//! saved by a safety rule (`safety.rs`).

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use super::explain::{ago, rule_name};
use super::group::{by_name, by_repository, sort_newest_first};
use super::model::{Decision, Millis, Options, Plan, RuleRef, TagInput, DAY_MS};
use super::pattern::{any_match, Pattern};
use super::policy::{Order, Policy, Rule};
use super::safety::{self, PushTime};
use super::version;

/// What the rules said about one tag so far.
#[derive(Debug, Default, Clone)]
struct Verdicts {
    /// The first rule that keeps it, and why.
    kept: Option<(RuleRef, String)>,
    /// The first rule that selects it without keeping it, and why not.
    dropped: Option<(RuleRef, String)>,
    /// The first rule whose verdict would rest on a time that is unknown
    /// or refused, and which time.
    time_blocked: Option<(RuleRef, &'static str)>,
}

/// Plans `tags` under `policy`.
pub fn plan(policy: &Policy, tags: &[TagInput], options: &Options) -> Plan {
    let now = options.now;
    let repositories = by_repository(tags);
    let mut warnings = Vec::new();
    let times = safety::push_times(
        tags,
        &repositories,
        now,
        policy.safety.timestamps,
        &mut warnings,
    );
    let protected: Vec<Option<&Pattern>> = tags
        .iter()
        .map(|tag| policy.protected.iter().find(|p| p.is_match(&tag.tag)))
        .collect();
    let mut verdicts = vec![Verdicts::default(); tags.len()];

    for (r, rule) in policy.rules.iter().enumerate() {
        let name = match &rule.id {
            Some(id) => RuleRef::Id(id.clone()),
            None => RuleRef::Index(r),
        };
        let scope = describe_selection(rule);
        let mut selected_any = false;
        for (repository, members) in &repositories {
            if !rule.repositories.is_empty() && !any_match(&rule.repositories, repository) {
                continue;
            }
            let selected: Vec<usize> = members
                .iter()
                .copied()
                .filter(|&i| protected[i].is_none())
                .filter(|&i| {
                    (rule.include.is_empty() || any_match(&rule.include, &tags[i].tag))
                        && !any_match(&rule.exclude, &tags[i].tag)
                })
                .collect();
            selected_any |= !selected.is_empty();
            judge(
                rule,
                &name,
                &scope,
                &selected,
                tags,
                &times,
                now,
                &mut verdicts,
            );
        }
        if !selected_any && !tags.is_empty() {
            warnings.push(format!("{} selects no tag", rule_name(&name)));
        }
    }

    let mut decisions: Vec<Decision> = tags
        .iter()
        .enumerate()
        .map(|(i, _)| decide(policy, protected[i], &verdicts[i], times[i], now))
        .collect();
    if policy.safety.shared_digest && !options.deletes_tags_one_by_one {
        safety::keep_shared_digests(tags, &repositories, &mut decisions);
    }
    Plan {
        decisions,
        warnings,
    }
}

fn decide(
    policy: &Policy,
    protected: Option<&Pattern>,
    verdicts: &Verdicts,
    time: PushTime,
    now: Millis,
) -> Decision {
    if let Some(pattern) = protected {
        return Decision::keep(
            RuleRef::Named("protected"),
            format!("protected: matches {}", pattern.describe()),
        );
    }
    if let Some((rule, reason)) = &verdicts.kept {
        return Decision::keep(rule.clone(), format!("{}: {reason}", rule_name(rule)));
    }
    let Some((rule, reason)) = &verdicts.dropped else {
        return Decision::keep(RuleRef::None, String::from("no rule selects this tag"));
    };
    if let Some((blocking, which)) = &verdicts.time_blocked {
        return unknown_time_keep(
            which,
            time,
            &format!("{} would delete it", rule_name(blocking)),
        );
    }
    if let Some(days) = policy.delete_only_older_than_days {
        match time {
            PushTime::Known(pushed) if pushed >= now - days as i64 * DAY_MS => {
                return Decision::keep(
                    RuleRef::Named("deleteOnlyOlderThanDays"),
                    format!(
                        "pushed {}: the policy deletes only tags older than {days} days",
                        ago(now, pushed)
                    ),
                );
            }
            PushTime::Known(_) => {}
            other => {
                return unknown_time_keep(
                    "push time",
                    other,
                    "deleteOnlyOlderThanDays needs its age",
                )
            }
        }
    }
    Decision::delete(rule.clone(), format!("{}: {reason}", rule_name(rule)))
}

fn unknown_time_keep(which: &str, time: PushTime, context: &str) -> Decision {
    match time {
        PushTime::Refused(why) if which == "push time" => Decision::keep(
            RuleRef::Named("safety:timestamps"),
            format!("{context}, but its push time is not trusted ({why}); no deletion rests on it"),
        ),
        _ => Decision::keep(
            RuleRef::Named("safety:unknown-time"),
            format!("{context}, but its {which} is unknown, and an unknown time is never old"),
        ),
    }
}

/// `the tags matching \`release-*\` except \`*-debug\``, or `all tags`.
fn describe_selection(rule: &Rule) -> String {
    let list = |patterns: &[Pattern]| {
        patterns
            .iter()
            .map(Pattern::describe)
            .collect::<Vec<_>>()
            .join(" or ")
    };
    let mut text = if rule.include.is_empty() {
        String::from("all tags")
    } else {
        format!("the tags matching {}", list(&rule.include))
    };
    if !rule.exclude.is_empty() {
        text.push_str(&format!(" except {}", list(&rule.exclude)));
    }
    text
}

/// Applies one rule's keep clauses to the tags it selects in one repository.
#[allow(clippy::too_many_arguments)]
fn judge(
    rule: &Rule,
    name: &RuleRef,
    scope: &str,
    selected: &[usize],
    tags: &[TagInput],
    times: &[PushTime],
    now: Millis,
    verdicts: &mut [Verdicts],
) {
    if selected.is_empty() {
        return;
    }
    let keep = &rule.keep;
    // Newest N (per group): each tag's rank and the sentence that says it.
    let mut ranks: BTreeMap<usize, (bool, String)> = BTreeMap::new();
    if let Some(n) = keep.newest {
        let mut groups: BTreeMap<Option<String>, Vec<usize>> = BTreeMap::new();
        for &i in selected {
            let key = keep
                .per
                .as_ref()
                .and_then(|per| per.group_key(&tags[i].tag));
            groups.entry(key).or_default().push(i);
        }
        let by = match keep.by {
            Order::Pushed => "",
            Order::Version => " by version",
        };
        for (key, mut members) in groups {
            match keep.by {
                // Tags without a usable push time hold no place in the
                // order: the safety rules keep them, and they push no
                // dated tag out of the newest N.
                Order::Pushed => {
                    members.retain(|&i| times[i].usable().is_some());
                    sort_newest_first(&mut members, tags, |i| times[i].usable(), true);
                }
                Order::Version => members.sort_by(|&a, &b| {
                    version::compare(&tags[b].tag, &tags[a].tag).then_with(|| by_name(tags, a, b))
                }),
            }
            let group = match (&keep.per, &key) {
                (Some(per), Some(key)) => format!(" in group `{key}` (per `{}`)", per.source),
                (Some(per), None) => format!(" that `{}` does not group", per.source),
                (None, _) => String::new(),
            };
            for (rank, &i) in members.iter().enumerate() {
                let rank = rank as u64 + 1;
                let kept = rank <= n;
                let prefix = if kept { "" } else { "not among the " };
                ranks.insert(
                    i,
                    (
                        kept,
                        format!("{prefix}newest {n}{by} of {scope}{group}: this is #{rank}"),
                    ),
                );
            }
        }
    }
    for &i in selected {
        let mut kept: Option<String> = None;
        let mut why_not: Vec<String> = Vec::new();
        let mut blocked: Option<&'static str> = None;
        match ranks.remove(&i) {
            Some((true, sentence)) => kept = Some(sentence),
            Some((false, sentence)) => why_not.push(sentence),
            None if keep.newest.is_some() => {
                why_not.push(format!("not ranked among {scope} by push time"));
                blocked = Some("push time");
            }
            None => {}
        }
        if let (None, Some(days)) = (&kept, keep.pushed_within_days) {
            match times[i].usable() {
                Some(pushed) if pushed >= now - days as i64 * DAY_MS => {
                    kept = Some(format!("pushed {}, within {days} days", ago(now, pushed)))
                }
                Some(pushed) => why_not.push(format!(
                    "pushed {}, more than {days} days ago",
                    ago(now, pushed)
                )),
                None => blocked = blocked.or(Some("push time")),
            }
        }
        if let (None, Some(days)) = (&kept, keep.pulled_within_days) {
            match tags[i].pulled_at {
                Some(pulled) if pulled >= now - days as i64 * DAY_MS => {
                    kept = Some(format!("pulled {}, within {days} days", ago(now, pulled)))
                }
                Some(pulled) => why_not.push(format!(
                    "last pulled {}, more than {days} days ago",
                    ago(now, pulled)
                )),
                None => blocked = blocked.or(Some("pull time")),
            }
        }
        let verdict = &mut verdicts[i];
        match kept {
            Some(reason) => {
                if verdict.kept.is_none() {
                    verdict.kept = Some((name.clone(), reason));
                }
            }
            None => {
                if why_not.is_empty() {
                    why_not.push(format!("keeps none of {scope}"));
                }
                if verdict.dropped.is_none() {
                    verdict.dropped = Some((name.clone(), why_not.join("; ")));
                }
                if let (None, Some(which)) = (&verdict.time_blocked, blocked) {
                    verdict.time_blocked = Some((name.clone(), which));
                }
            }
        }
    }
}
