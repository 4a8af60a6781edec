//! Evaluating a tagdeck [`Policy`]: every rule selects, per repository, the
//! tags it names and keeps some of them; a selected tag no rule keeps is
//! deleted, unless protected, too young for `deleteOnlyOlderThanDays`, or
//! saved by a safety rule (`safety.rs`).

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::fmt::Write;

use super::explain::{days_ago, push_ago, rule_name};
use super::group::{by_name, by_repository, sort_newest_first, Names};
use super::model::{Decision, Millis, Options, Plan, Reason, RuleRef, TagView, DAY_MS};
use super::pattern::{any_match, Pattern};
use super::policy::{Order, Policy, Rule};
use super::safety::{self, PushTime};
use super::version;

/// What the rules said about one tag so far.
#[derive(Debug, Default, Clone)]
struct Verdicts {
    /// The first rule that keeps it, and why.
    kept: Option<(RuleRef, Reason)>,
    /// The first rule that selects it without keeping it, and why not.
    dropped: Option<(RuleRef, Reason)>,
    /// The first rule whose verdict would rest on a time that is unknown
    /// or refused, and which time.
    time_blocked: Option<(RuleRef, &'static str)>,
}

/// Plans `tags` under `policy`.
pub fn plan(policy: &Policy, tags: &[TagView<'_>], options: &Options) -> Plan {
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
    let names = Names::new(tags);
    let protected_names = names.map(|name| policy.protected.iter().position(|p| p.is_match(name)));
    let protected: Vec<Option<usize>> = names.of_tag.iter().map(|&n| protected_names[n]).collect();
    // Each name's place in ascending version order, when a rule keeps by
    // version: a sort then compares two numbers instead of two parsed names
    // (`version::Key`'s order is total, so distinct names never tie).
    let version_rank = if policy
        .rules
        .iter()
        .any(|rule| rule.keep.newest.is_some() && rule.keep.by == Order::Version)
    {
        let keys = names.map(version::Key::new);
        let mut order: Vec<usize> = (0..keys.len()).collect();
        order.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
        let mut rank = vec![0; keys.len()];
        for (place, &n) in order.iter().enumerate() {
            rank[n] = place;
        }
        rank
    } else {
        Vec::new()
    };
    let mut verdicts = vec![Verdicts::default(); tags.len()];

    let mut ranks: Vec<Option<Rank>> = vec![None; tags.len()];
    for (r, rule) in policy.rules.iter().enumerate() {
        let name = match &rule.id {
            Some(id) => RuleRef::Id(id.clone()),
            None => RuleRef::Index(r),
        };
        let selects = names.map(|name| {
            (rule.include.is_empty() || any_match(&rule.include, name))
                && !any_match(&rule.exclude, name)
        });
        // Each group under `keep.per` as a number: tags are grouped, and
        // reasons told apart, by comparing numbers, not texts.
        let mut group_texts: Vec<String> = Vec::new();
        let group_of_name = match (&rule.keep.per, rule.keep.newest) {
            (Some(per), Some(_)) => {
                let mut known: BTreeMap<String, u32> = BTreeMap::new();
                names
                    .distinct
                    .iter()
                    .zip(&selects)
                    .map(|(name, &selected)| {
                        let key = selected.then(|| per.group_key(name)).flatten()?;
                        let next = known.len() as u32;
                        Some(*known.entry(key).or_insert_with_key(|key| {
                            group_texts.push(key.clone());
                            next
                        }))
                    })
                    .collect()
            }
            _ => Vec::new(),
        };
        let judged = Judged {
            rule,
            label: rule_name(&name),
            name,
            scope: describe_selection(rule),
            name_of: &names.of_tag,
            version_rank: &version_rank,
            group_of_name,
            group_texts,
        };
        // The reasons this rule gave, by what they say: each is written once.
        let mut reasons = BTreeMap::new();
        let mut selected_any = false;
        for (repository, members) in &repositories {
            if !rule.repositories.is_empty() && !any_match(&rule.repositories, repository) {
                continue;
            }
            let selected: Vec<usize> = members
                .iter()
                .copied()
                .filter(|&i| protected[i].is_none() && selects[names.of_tag[i]])
                .collect();
            selected_any |= !selected.is_empty();
            judge(
                &judged,
                &selected,
                tags,
                &times,
                now,
                &mut ranks,
                &mut verdicts,
                &mut reasons,
            );
        }
        if !selected_any && !tags.is_empty() {
            warnings.push(format!("{} selects no tag", judged.label));
        }
    }

    let mut words = Words {
        protected: policy
            .protected
            .iter()
            .map(|pattern| Reason::from(format!("protected: matches {}", pattern.describe())))
            .collect(),
        unselected: Reason::from("no rule selects this tag"),
        too_young: BTreeMap::new(),
    };
    let mut decisions: Vec<Decision> = verdicts
        .into_iter()
        .enumerate()
        .map(|(i, verdicts)| decide(policy, protected[i], verdicts, times[i], now, &mut words))
        .collect();
    if policy.safety.shared_digest && !options.deletes_tags_one_by_one {
        safety::keep_shared_digests(tags, &repositories, &mut decisions);
    }
    Plan {
        decisions,
        warnings,
    }
}

/// The reasons `decide` gives, each written once.
struct Words {
    /// Per protected pattern.
    protected: Vec<Reason>,
    /// For a tag no rule selects.
    unselected: Reason,
    /// Kept by `deleteOnlyOlderThanDays`, by days since the push.
    too_young: BTreeMap<i64, Reason>,
}

fn decide(
    policy: &Policy,
    protected: Option<usize>,
    verdicts: Verdicts,
    time: PushTime,
    now: Millis,
    words: &mut Words,
) -> Decision {
    if let Some(pattern) = protected {
        return Decision::keep(
            RuleRef::Named("protected"),
            words.protected[pattern].clone(),
        );
    }
    if let Some((rule, reason)) = verdicts.kept {
        return Decision::keep(rule, reason);
    }
    let Some((rule, reason)) = verdicts.dropped else {
        return Decision::keep(RuleRef::None, words.unselected.clone());
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
                let reason = words
                    .too_young
                    .entry(days_ago(now, pushed))
                    .or_insert_with_key(|&age| {
                        let mut text = String::from("pushed ");
                        push_ago(&mut text, age);
                        let _ = write!(
                            text,
                            ": the policy deletes only tags older than {days} days"
                        );
                        text.into()
                    });
                return Decision::keep(RuleRef::Named("deleteOnlyOlderThanDays"), reason.clone());
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
    Decision::delete(rule, reason)
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

/// A tag's place in a rule's "newest N" order.
#[derive(Debug, Clone, Copy)]
struct Rank {
    kept: bool,
    rank: u64,
    /// Index into the groups of the current call.
    group: usize,
}

/// One rule, as `judge` needs it: the rule, how reasons name it and what it selects.
struct Judged<'a> {
    rule: &'a Rule,
    name: RuleRef,
    label: String,
    scope: String,
    /// Per tag, the index of its name (`group::Names`).
    name_of: &'a [usize],
    /// Per name, its place in ascending version order (empty unless a rule keeps by version).
    version_rank: &'a [usize],
    /// Per name, its group under `keep.per` (empty without `per`).
    group_of_name: Vec<Option<u32>>,
    /// Each group's text, by its number.
    group_texts: Vec<String>,
}

/// What one rule's reason says, as a key: the words are a function of it
/// (and of the rule), so each distinct reason is written once per plan.
/// Days are [`days_ago`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Said {
    /// Kept among the newest N of its group (`None`: no `per`, or not
    /// grouped). The rank first: keys then compare by number first.
    Ranked { rank: u64, group: Option<u32> },
    /// Kept: pushed within the rule's days.
    PushedWithin(i64),
    /// Kept: pulled within the rule's days.
    PulledWithin(i64),
    /// Selected and not kept, with every clause's why.
    Dropped {
        place: Place,
        pushed: Option<i64>,
        pulled: Option<i64>,
    },
}

/// Where a dropped tag stands in the rule's "newest N".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Place {
    /// The rule keeps no newest N.
    NoCount,
    /// Without a usable push time, it holds no place.
    Unranked,
    /// Beyond the newest N, at `rank`.
    Beyond { rank: u64, group: Option<u32> },
}

/// Applies one rule's keep clauses to the tags it selects in one repository.
/// Reasons are given only for the verdicts that will be shown: the first
/// keeping rule's and the first dropping rule's; each distinct one is
/// written once into `reasons` (100,000 tags share a few hundred).
#[allow(clippy::too_many_arguments)]
fn judge(
    judged: &Judged<'_>,
    selected: &[usize],
    tags: &[TagView<'_>],
    times: &[PushTime],
    now: Millis,
    ranks: &mut [Option<Rank>],
    verdicts: &mut [Verdicts],
    reasons: &mut BTreeMap<Said, Reason>,
) {
    let keep = &judged.rule.keep;
    let mut groups_of_call: Vec<Option<u32>> = Vec::new();
    if let Some(n) = keep.newest {
        let mut groups: BTreeMap<Option<u32>, Vec<usize>> = BTreeMap::new();
        for &i in selected {
            let key = judged
                .group_of_name
                .get(judged.name_of[i])
                .copied()
                .flatten();
            groups.entry(key).or_default().push(i);
        }
        for (key, mut members) in groups {
            match keep.by {
                // Tags without a usable push time hold no place in the
                // order: the safety rules keep them, and they push no
                // dated tag out of the newest N.
                Order::Pushed => {
                    members.retain(|&i| times[i].usable().is_some());
                    sort_newest_first(&mut members, tags, |i| times[i].usable(), true);
                }
                Order::Version => {
                    let rank = |i: usize| judged.version_rank[judged.name_of[i]];
                    members
                        .sort_by(|&a, &b| rank(b).cmp(&rank(a)).then_with(|| by_name(tags, a, b)));
                }
            }
            groups_of_call.push(key);
            for (rank, &i) in members.iter().enumerate() {
                let rank = rank as u64 + 1;
                ranks[i] = Some(Rank {
                    kept: rank <= n,
                    rank,
                    group: groups_of_call.len() - 1,
                });
            }
        }
    }
    let within = |time: Option<Millis>, days: Option<u64>| match (time, days) {
        (Some(time), Some(days)) => Some(time >= now - days as i64 * DAY_MS),
        _ => None,
    };
    let mut give = |said: Said| {
        reasons
            .entry(said)
            .or_insert_with(|| words(judged, said))
            .clone()
    };
    for &i in selected {
        let rank = ranks[i].take();
        let pushed = times[i].usable();
        let pulled = tags[i].pulled_at;
        let pushed_within = within(pushed, keep.pushed_within_days);
        let pulled_within = within(pulled, keep.pulled_within_days);
        let verdict = &mut verdicts[i];
        if rank.is_some_and(|r| r.kept)
            || pushed_within == Some(true)
            || pulled_within == Some(true)
        {
            if verdict.kept.is_none() {
                let said = match (rank, pushed, pulled) {
                    (Some(rank), _, _) if rank.kept => Said::Ranked {
                        group: groups_of_call[rank.group],
                        rank: rank.rank,
                    },
                    (_, Some(time), _) if pushed_within == Some(true) => {
                        Said::PushedWithin(days_ago(now, time))
                    }
                    (_, _, time) => Said::PulledWithin(days_ago(now, time.unwrap_or(now))),
                };
                verdict.kept = Some((judged.name.clone(), give(said)));
            }
            continue;
        }
        // Not kept: which time, if any, the verdict would rest on without being known.
        let blocked = if (keep.newest.is_some() && rank.is_none())
            || (keep.pushed_within_days.is_some() && pushed.is_none())
        {
            Some("push time")
        } else if keep.pulled_within_days.is_some() && pulled.is_none() {
            Some("pull time")
        } else {
            None
        };
        if let (None, Some(which)) = (&verdict.time_blocked, blocked) {
            verdict.time_blocked = Some((judged.name.clone(), which));
        }
        if verdict.dropped.is_none() {
            let place = match rank {
                Some(rank) => Place::Beyond {
                    group: groups_of_call[rank.group],
                    rank: rank.rank,
                },
                None if keep.newest.is_some() => Place::Unranked,
                None => Place::NoCount,
            };
            let said = Said::Dropped {
                place,
                pushed: pushed
                    .filter(|_| keep.pushed_within_days.is_some())
                    .map(|time| days_ago(now, time)),
                pulled: pulled
                    .filter(|_| keep.pulled_within_days.is_some())
                    .map(|time| days_ago(now, time)),
            };
            verdict.dropped = Some((judged.name.clone(), give(said)));
        }
    }
}

/// The words of `said` for `judged`'s rule: "<rule>: <why>", a dropped
/// tag's whys separated by "; ".
fn words(judged: &Judged<'_>, said: Said) -> Reason {
    let keep = &judged.rule.keep;
    let scope = judged.scope.as_str();
    let by = if keep.by == Order::Version {
        " by version"
    } else {
        ""
    };
    let rank_words = |reason: &mut String, kept: bool, group: Option<u32>, rank: u64| {
        let group = group.map(|group| judged.group_texts[group as usize].as_str());
        let n = keep.newest.unwrap_or(0);
        let prefix = if kept { "" } else { "not among the " };
        let _ = write!(reason, "{prefix}newest {n}{by} of {scope}");
        match (&keep.per, group) {
            (Some(per), Some(key)) => {
                let _ = write!(reason, " in group `{key}` (per `{}`)", per.source);
            }
            (Some(per), None) => {
                let _ = write!(reason, " that `{}` does not group", per.source);
            }
            (None, _) => {}
        }
        let _ = write!(reason, ": this is #{rank}");
    };
    let mut reason = String::with_capacity(96);
    let _ = write!(reason, "{}: ", judged.label);
    let start = reason.len();
    match said {
        Said::Ranked { group, rank } => rank_words(&mut reason, true, group, rank),
        Said::PushedWithin(days) => {
            reason.push_str("pushed ");
            push_ago(&mut reason, days);
            let _ = write!(
                reason,
                ", within {} days",
                keep.pushed_within_days.unwrap_or(0)
            );
        }
        Said::PulledWithin(days) => {
            reason.push_str("pulled ");
            push_ago(&mut reason, days);
            let _ = write!(
                reason,
                ", within {} days",
                keep.pulled_within_days.unwrap_or(0)
            );
        }
        Said::Dropped {
            place,
            pushed,
            pulled,
        } => {
            let next = |reason: &mut String| {
                if reason.len() > start {
                    reason.push_str("; ");
                }
            };
            match place {
                Place::Beyond { group, rank } => rank_words(&mut reason, false, group, rank),
                Place::Unranked => {
                    let _ = write!(reason, "not ranked among {scope} by push time");
                }
                Place::NoCount => {}
            }
            if let (Some(age), Some(days)) = (pushed, keep.pushed_within_days) {
                next(&mut reason);
                reason.push_str("pushed ");
                push_ago(&mut reason, age);
                let _ = write!(reason, ", more than {days} days ago");
            }
            if let (Some(age), Some(days)) = (pulled, keep.pulled_within_days) {
                next(&mut reason);
                reason.push_str("last pulled ");
                push_ago(&mut reason, age);
                let _ = write!(reason, ", more than {days} days ago");
            }
            if reason.len() == start {
                let _ = write!(reason, "keeps none of {scope}");
            }
        }
    }
    reason.into()
}

#[cfg(test)]
mod tests {
    use super::super::{AnyPolicy, Options, TagInput};
    use alloc::format;
    use alloc::vec::Vec;

    #[test]
    fn decisions_that_say_the_same_share_one_reason() {
        let policy = AnyPolicy::from_json_text(
            r#"{"rules":[{"keep":{"newest":1}}],"protected":["latest"]}"#,
        )
        .unwrap();
        let now = 1_800_000_000_000;
        // Two repositories alike: tag k of one says what tag k of the other says.
        let tags: Vec<TagInput> = ["a", "b"]
            .iter()
            .flat_map(|repository| {
                ["latest", "v1", "v2", "v3"]
                    .iter()
                    .enumerate()
                    .map(move |(k, name)| TagInput {
                        repository: (*repository).into(),
                        tag: (*name).into(),
                        digest: format!("sha256:{repository}{k}"),
                        pushed_at: Some(now - k as i64 * 86_400_000),
                        ..Default::default()
                    })
            })
            .collect();
        let plan = policy.plan(
            &tags,
            &Options {
                now,
                deletes_tags_one_by_one: false,
            },
        );
        for k in 0..4 {
            let (a, b) = (&plan.decisions[k].reason, &plan.decisions[k + 4].reason);
            assert_eq!(a, b);
            assert_eq!(a.id(), b.id(), "{a}");
        }
        assert_eq!(
            plan.decisions[2].reason,
            "rules[0]: not among the newest 1 of all tags: this is #2"
        );
        assert_ne!(plan.decisions[2].reason.id(), plan.decisions[3].reason.id());
    }
}
