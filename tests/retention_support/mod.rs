//! Helpers for the retention tests: tags a few days old at a fixed "now",
//! plans by tag name, and the order-independence check every test runs.
#![allow(dead_code)]

use tagdeck::retention::{Action, AnyPolicy, Options, Plan, TagInput};

/// The fixed clock of every retention test: 2026-12-01T00:00:00Z.
pub const NOW: i64 = 1_796_083_200_000;
pub const DAY: i64 = 86_400_000;

/// A tag of `repository` pushed `days` days before [`NOW`] (`None`: unknown).
pub fn tag(repository: &str, name: &str, digest: &str, days: Option<i64>) -> TagInput {
    TagInput {
        repository: repository.into(),
        tag: name.into(),
        digest: digest.into(),
        pushed_at: days.map(|d| NOW - d * DAY),
        pulled_at: None,
        created_at: None,
    }
}

/// A tag of repository `app` with its own digest, pushed `days` ago.
pub fn t(name: &str, days: i64) -> TagInput {
    tag("app", name, &format!("sha256:{name}"), Some(days))
}

pub fn options() -> Options {
    Options {
        now: NOW,
        deletes_tags_one_by_one: false,
    }
}

/// Plans `policy` (JSON text), checking that the plan does not depend on the
/// order of the input (reversed and rotated inputs give the same decisions).
pub fn plan_with(policy: &str, tags: &[TagInput], options: Options) -> Plan {
    let policy =
        AnyPolicy::from_json_text(policy).unwrap_or_else(|e| panic!("policy refused: {e}"));
    let plan = policy.plan(tags, &options);
    assert_eq!(plan.decisions.len(), tags.len(), "one decision per tag");
    for permutation in permutations(tags.len()) {
        let shuffled: Vec<TagInput> = permutation.iter().map(|&i| tags[i].clone()).collect();
        let again = policy.plan(&shuffled, &options);
        for (k, &i) in permutation.iter().enumerate() {
            assert_eq!(
                again.decisions[k], plan.decisions[i],
                "decision on {} depends on the input order",
                tags[i].tag
            );
        }
    }
    plan
}

pub fn plan(policy: &str, tags: &[TagInput]) -> Plan {
    plan_with(policy, tags, options())
}

/// The names of the deleted tags, sorted.
pub fn deleted(plan: &Plan, tags: &[TagInput]) -> Vec<String> {
    let mut names: Vec<String> = plan
        .decisions
        .iter()
        .zip(tags)
        .filter(|(d, _)| d.action == Action::Delete)
        .map(|(_, t)| t.tag.clone())
        .collect();
    names.sort();
    names
}

/// The deleted tags as `(repository, tag)`, in input order.
pub fn deleted_in_repositories<'a>(plan: &Plan, tags: &'a [TagInput]) -> Vec<(&'a str, &'a str)> {
    plan.decisions
        .iter()
        .zip(tags)
        .filter(|(d, _)| d.action == Action::Delete)
        .map(|(_, t)| (t.repository.as_str(), t.tag.as_str()))
        .collect()
}

/// The names of the tags `policy` deletes, sorted.
pub fn deleted_by(policy: &str, tags: &[TagInput]) -> Vec<String> {
    deleted(&plan(policy, tags), tags)
}

/// Plans `policy` and checks its outcome: the names of the deleted tags
/// (sorted) and, for each `(tag, reason)` of `reasons`, the exact reason
/// given for that tag.
pub fn expect_plan(
    policy: &str,
    tags: &[TagInput],
    deletes: &[&str],
    reasons: &[(&str, &str)],
) -> Plan {
    let plan = plan(policy, tags);
    assert_eq!(deleted(&plan, tags), deletes, "deleted by {policy}");
    for &(name, expected) in reasons {
        assert_eq!(reason(&plan, tags, name), expected, "the reason for {name}");
    }
    plan
}

/// The reason given for `name`.
pub fn reason<'a>(plan: &'a Plan, tags: &[TagInput], name: &str) -> &'a str {
    let i = tags
        .iter()
        .position(|t| t.tag == name)
        .unwrap_or_else(|| panic!("no tag {name}"));
    &plan.decisions[i].reason
}

/// The error a policy is refused with, as `field: message`.
pub fn refusal(policy: &str) -> String {
    match AnyPolicy::from_json_text(policy) {
        Ok(_) => panic!("policy accepted: {policy}"),
        Err(e) => e.to_string(),
    }
}

fn permutations(n: usize) -> Vec<Vec<usize>> {
    let reversed: Vec<usize> = (0..n).rev().collect();
    let rotated: Vec<usize> = (0..n).map(|i| (i + n / 2 + 1) % n.max(1)).collect();
    // A fixed pseudo-random shuffle (xorshift), the same on every run.
    let mut shuffled: Vec<usize> = (0..n).collect();
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    for i in (1..n).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        shuffled.swap(i, (state % (i as u64 + 1)) as usize);
    }
    vec![reversed, rotated, shuffled]
}
