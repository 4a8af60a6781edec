//! The words of a plan: how times, digests and rules are named in reasons,
//! and [`Explanation`], what `explain` says about a vendor's rule in
//! tagdeck's own language.

use alloc::format;
use alloc::string::String;
use core::fmt::Write;

use serde_json::Value;

use super::model::{Millis, RuleRef, DAY_MS};

/// What a dialect's rule means in tagdeck's language.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// The dialect (`ecr`, `gitlab`, `acr-purge`, `harbor`, `swr`, `alibaba`, `tagdeck`).
    pub format: &'static str,
    /// The equivalent tagdeck policy, when there is one.
    pub equivalent: Option<Value>,
    /// What the rule does, how tagdeck reads it, and why there is no
    /// equivalent when there is none.
    pub note: String,
}

/// `today`, `1 day ago`, `12 days ago`, `in the future`.
pub fn ago(now: Millis, time: Millis) -> String {
    let mut text = String::new();
    push_ago(&mut text, days_ago(now, time));
    text
}

/// Whole days from `time` to `now` as [`ago`] words them: -1 for a time
/// in the future. Times with equal `days_ago` are worded alike.
pub fn days_ago(now: Millis, time: Millis) -> i64 {
    if time > now {
        -1
    } else {
        (now - time) / DAY_MS
    }
}

/// Appends [`ago`]'s words for a [`days_ago`].
pub fn push_ago(text: &mut String, days: i64) {
    match days {
        -1 => text.push_str("in the future"),
        0 => text.push_str("today"),
        1 => text.push_str("1 day ago"),
        days => {
            let _ = write!(text, "{days} days ago");
        }
    }
}

/// `sha256:0123456789ab…`: enough of a digest to tell it apart in a reason.
pub fn short_digest(digest: &str) -> String {
    let cut = digest.find(':').map_or(0, |colon| colon + 1) + 12;
    match digest.get(..cut) {
        Some(head) if cut < digest.len() => format!("{head}…"),
        _ => String::from(digest),
    }
}

/// How a rule is named in a reason: `rule \`releases\`` or `rules[2]`.
pub fn rule_name(rule: &RuleRef) -> String {
    match rule {
        RuleRef::None => String::from("no rule"),
        RuleRef::Index(i) => format!("rules[{i}]"),
        RuleRef::Id(id) => format!("rule `{id}`"),
        RuleRef::Named(name) => String::from(*name),
    }
}

/// `1 tag`, `3 tags`.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words() {
        assert_eq!(
            short_digest("sha256:0123456789abcdef0123"),
            "sha256:0123456789ab…"
        );
        assert_eq!(short_digest("sha256:01"), "sha256:01");
        assert_eq!(ago(10 * DAY_MS, 7 * DAY_MS), "3 days ago");
        assert_eq!(count(1, "tag"), "1 tag");
    }
}
