//! The safety rules of tagdeck's own policies:
//! - a push time that cannot be trusted (before 2000, the placeholder that
//!   reproducible builds stamp as 1970; created after its last update; more
//!   than a day in the future; every tag of a repository at one instant) is
//!   refused: no deletion rests on it (or, with `"timestamps": "warn"`, it
//!   is used and the plan says so);
//! - an unknown time is never old (checked where a rule reads a time, in
//!   `evaluate.rs`);
//! - a tag whose digest a kept tag shares is kept, unless the registry
//!   deletes tags one by one: deleting a manifest deletes every tag on it.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::explain::{count, short_digest};
use super::model::{tail_key, Action, Decision, Millis, RuleRef, TagView, DAY_MS};
use super::policy::TimestampMode;

/// 2000-01-01T00:00:00Z: no container image was pushed before it.
const PLAUSIBLE_SINCE: Millis = 946_684_800_000;

/// A tag's push time as the rules may use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushTime {
    /// Known and trusted.
    Known(Millis),
    /// The registry gave none.
    Unknown,
    /// Given, but refused (the reason, in words).
    Refused(&'static str),
}

impl PushTime {
    /// The time, when a rule may use it.
    pub fn usable(self) -> Option<Millis> {
        match self {
            PushTime::Known(time) => Some(time),
            _ => None,
        }
    }
}

/// The push time of every tag, checked; warnings say what was refused.
pub fn push_times(
    tags: &[TagView<'_>],
    repositories: &[(&str, Vec<usize>)],
    now: Millis,
    mode: TimestampMode,
    warnings: &mut Vec<String>,
) -> Vec<PushTime> {
    let mut times: Vec<PushTime> = tags
        .iter()
        .map(|tag| match tag.pushed_at {
            None => PushTime::Unknown,
            Some(time) if time < PLAUSIBLE_SINCE => PushTime::Refused(
                "its push time is before 2000, a placeholder (reproducible builds stamp 1970)",
            ),
            Some(time) if time > now + DAY_MS => {
                PushTime::Refused("its push time is in the future")
            }
            Some(time) if tag.created_at.is_some_and(|created| created > time) => {
                PushTime::Refused("it was created after its last update")
            }
            Some(time) => PushTime::Known(time),
        })
        .collect();
    for (repository, members) in repositories {
        let mut known = members.iter().filter_map(|&i| times[i].usable());
        if let Some(first) = known.next() {
            if members.len() > 1 && members.iter().all(|&i| times[i].usable() == Some(first)) {
                warnings.push(format!("repository `{repository}`: all {} have the same push time, so push order says nothing", count(members.len(), "tag")));
                for &i in members {
                    times[i] =
                        PushTime::Refused("every tag of its repository has the same push time");
                }
            }
        }
    }
    let mut refused: BTreeMap<&'static str, usize> = BTreeMap::new();
    for time in &times {
        if let PushTime::Refused(why) = time {
            *refused.entry(why).or_default() += 1;
        }
    }
    for (why, n) in refused {
        let consequence = match mode {
            TimestampMode::Refuse => "no deletion rests on those times",
            TimestampMode::Warn => "used anyway (safety.timestamps is \"warn\")",
        };
        warnings.push(format!("{}: {why}; {consequence}", count(n, "tag")));
    }
    if mode == TimestampMode::Warn {
        for (time, tag) in times.iter_mut().zip(tags) {
            if let (PushTime::Refused(_), Some(given)) = (*time, tag.pushed_at) {
                *time = PushTime::Known(given);
            }
        }
    }
    times
}

/// Keeps every deleted tag whose digest a kept tag of the same repository
/// shares, naming that tag (the first by name, so the reason is stable).
pub fn keep_shared_digests(
    tags: &[TagView<'_>],
    repositories: &[(&str, Vec<usize>)],
    decisions: &mut [Decision],
) {
    // Per repository, its kept tags sorted by digest, then name: a deleted
    // tag's digest is then found by a binary search, at the first name (a
    // sort of numbers, where a map of digests spent its time comparing
    // `sha256:` prefixes and allocating nodes).
    let mut kept: Vec<(u128, usize)> = Vec::new();
    let order = |a: &(u128, usize), b: &(u128, usize)| {
        a.0.cmp(&b.0)
            .then_with(|| tags[a.1].digest.cmp(tags[b.1].digest))
    };
    for (_, members) in repositories {
        kept.clear();
        kept.extend(
            members
                .iter()
                .filter(|&&i| decisions[i].action == Action::Keep && !tags[i].digest.is_empty())
                .map(|&i| (tail_key(tags[i].digest).0, i)),
        );
        if kept.is_empty() {
            continue;
        }
        kept.sort_unstable_by(|a, b| order(a, b).then_with(|| tags[a.1].tag.cmp(tags[b.1].tag)));
        for &i in members {
            if decisions[i].action != Action::Delete || tags[i].digest.is_empty() {
                continue;
            }
            let key = (tail_key(tags[i].digest).0, i);
            let first = kept.partition_point(|entry| order(entry, &key).is_lt());
            let Some(&(_, k)) = kept.get(first).filter(|entry| order(entry, &key).is_eq()) else {
                continue;
            };
            let kept = tags[k].tag;
            decisions[i] = Decision::keep(
                RuleRef::Named("safety:shared-digest"),
                format!(
                    "shares digest {} with kept tag `{kept}`: deleting it would delete that image too (would otherwise go: {})",
                    short_digest(tags[i].digest),
                    decisions[i].reason
                ),
            );
        }
    }
}
