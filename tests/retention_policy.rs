//! tagdeck's own policy language: each clause, the safety rules and their
//! defaults, and refusals that name the field at fault.

mod retention_support;

use retention_support::*;
use tagdeck::retention::{Options, RuleRef, TagInput};

#[test]
fn newest_n_among_the_selected_tags_with_the_words_of_the_reason() {
    let tags = [
        t("release-1", 9),
        t("release-2", 8),
        t("release-3", 7),
        t("main", 1),
    ];
    let plan = expect_plan(
        r#"{"rules":[{"tags":{"include":{"regex":"release-.*"}},"keep":{"newest":2}}]}"#,
        &tags,
        &["release-1"],
        &[
            (
                "release-1",
                "rules[0]: not among the newest 2 of the tags matching `release-.*`: this is #3",
            ),
            (
                "release-3",
                "rules[0]: newest 2 of the tags matching `release-.*`: this is #1",
            ),
            ("main", "no rule selects this tag"),
        ],
    );
    assert_eq!(plan.decisions[0].rule, RuleRef::Index(0));
}

#[test]
fn equal_times_are_broken_by_tag_name() {
    let tags = [t("b", 5), t("a", 5), t("c", 9), t("d", 1)];
    // d (1 day), then a and b (5 days: a first by name).
    expect_plan(
        r#"{"rules":[{"keep":{"newest":2}}],"safety":{"timestamps":"warn"}}"#,
        &tags,
        &["b", "c"],
        &[],
    );
}

#[test]
fn newest_by_version_puts_pre_releases_below_releases() {
    let tags = [
        t("1.2.0", 1),
        t("1.10.0-rc.1", 1),
        t("1.9.0", 3),
        t("1.10.0", 9),
    ];
    expect_plan(
        r#"{"rules":[{"keep":{"newest":2,"by":"version"}}],"safety":{"timestamps":"warn"}}"#,
        &tags,
        &["1.2.0", "1.9.0"],
        &[
            (
                "1.10.0",
                "rules[0]: newest 2 by version of all tags: this is #1",
            ),
            (
                "1.10.0-rc.1",
                "rules[0]: newest 2 by version of all tags: this is #2",
            ),
        ],
    );
}

#[test]
fn keep_n_per_group_newest_two_per_minor_version() {
    let tags = [
        t("v1.4.1", 9),
        t("v1.4.2", 8),
        t("v1.4.3", 7),
        t("v1.5.0", 6),
        t("v1.5.1", 5),
        t("latest", 1),
    ];
    expect_plan(
        r#"{"rules":[{"tags":{"include":"v*"},"keep":{"newest":2,"by":"version","per":"^v(\\d+\\.\\d+)\\."}}]}"#,
        &tags,
        &["v1.4.1"],
        &[("v1.4.1", "rules[0]: not among the newest 2 by version of the tags matching `v*` in group `1.4` (per `^v(\\d+\\.\\d+)\\.`): this is #3")],
    );
}

#[test]
fn keep_n_per_variant() {
    let tags = [
        t("1.0-alpine", 9),
        t("1.1-alpine", 8),
        t("1.0", 7),
        t("1.1", 6),
        t("1.2", 5),
    ];
    // -alpine keeps its newest (1.1-alpine); the ungrouped tags keep theirs (1.2).
    let plan = expect_plan(
        r#"{"rules":[{"keep":{"newest":1,"per":"-[a-z]+$"}}]}"#,
        &tags,
        &["1.0", "1.0-alpine", "1.1"],
        &[],
    );
    assert!(reason(&plan, &tags, "1.0").contains("that `-[a-z]+$` does not group"));
}

#[test]
fn pushed_within_days_and_union_of_rules() {
    let tags = [
        t("pr-1", 20),
        t("pr-2", 3),
        t("main-1", 40),
        t("main-2", 30),
    ];
    // pr-2: kept by both; pr-1: dropped by "prs", and "all" keeps only pr-2.
    expect_plan(
        r#"{"rules":[
            {"id":"prs","tags":{"include":"pr-*"},"keep":{"pushedWithinDays":7}},
            {"id":"all","keep":{"newest":1}}
        ]}"#,
        &tags,
        &["main-1", "main-2", "pr-1"],
        &[
            (
                "pr-1",
                "rule `prs`: pushed 20 days ago, more than 7 days ago",
            ),
            ("pr-2", "rule `prs`: pushed 3 days ago, within 7 days"),
        ],
    );
}

#[test]
fn pulled_within_days_and_unknown_pull_time_is_never_old() {
    let mut tags = vec![t("a", 50), t("b", 50), t("c", 50)];
    tags[0].pulled_at = Some(NOW - 2 * DAY);
    tags[1].pulled_at = Some(NOW - 200 * DAY);
    let plan = expect_plan(
        r#"{"rules":[{"keep":{"pulledWithinDays":30}}],"safety":{"timestamps":"warn"}}"#,
        &tags,
        &["b"],
        &[("c", "rules[0] would delete it, but its pull time is unknown, and an unknown time is never old")],
    );
    assert_eq!(
        plan.decisions[2].rule,
        RuleRef::Named("safety:unknown-time")
    );
}

#[test]
fn protected_tags_are_kept_and_not_counted() {
    let tags = [t("latest", 30), t("prod-1", 20), t("x", 10), t("y", 5)];
    let plan = expect_plan(
        r#"{"rules":[{"keep":{"newest":1}}],"protected":["latest","prod-*"]}"#,
        &tags,
        &["x"],
        &[("prod-1", "protected: matches `prod-*`")],
    );
    assert_eq!(plan.decisions[0].rule, RuleRef::Named("protected"));
}

#[test]
fn delete_only_older_than() {
    let tags = [t("a", 30), t("b", 3), t("c", 1)];
    expect_plan(
        r#"{"rules":[{"keep":{"newest":1}}],"deleteOnlyOlderThanDays":7}"#,
        &tags,
        &["a"],
        &[(
            "b",
            "pushed 3 days ago: the policy deletes only tags older than 7 days",
        )],
    );
}

#[test]
fn repository_selection_by_glob_and_anchored_regex() {
    let tags = [
        tag("team/app", "old", "sha256:1", Some(9)),
        tag("team/app", "new", "sha256:2", Some(1)),
        tag("team/app/sub", "old", "sha256:3", Some(9)),
        tag("teamx/app", "old", "sha256:4", Some(9)),
        tag("other", "old", "sha256:5", Some(9)),
        tag("other", "new", "sha256:6", Some(1)),
    ];
    let plan = plan(
        r#"{"rules":[{"repositories":["team/*",{"regex":"oth.r"}],"keep":{"newest":1}}]}"#,
        &tags,
    );
    assert_eq!(
        deleted_in_repositories(&plan, &tags),
        [("team/app", "old"), ("other", "old")]
    );
}

#[test]
fn safety_shared_digest_is_on_by_default_and_off_for_one_by_one_registries() {
    let tags = [
        tag("app", "latest", "sha256:0123456789abcdef", Some(9)),
        tag("app", "v1", "sha256:0123456789abcdef", Some(9)),
        tag("app", "v2", "sha256:fedcba9876543210", Some(1)),
    ];
    let policy =
        r#"{"rules":[{"tags":{"include":"v*"},"keep":{"newest":1}}],"protected":["latest"]}"#;
    let safe = plan(policy, &tags);
    assert_eq!(deleted(&safe, &tags), Vec::<String>::new());
    assert_eq!(
        safe.decisions[1].rule,
        RuleRef::Named("safety:shared-digest")
    );
    assert!(reason(&safe, &tags, "v1")
        .starts_with("shares digest sha256:0123456789ab… with kept tag `latest`"));
    let untag = plan_with(
        policy,
        &tags,
        Options {
            now: NOW,
            deletes_tags_one_by_one: true,
        },
    );
    assert_eq!(deleted(&untag, &tags), ["v1"]);
    let off = plan(
        r#"{"rules":[{"tags":{"include":"v*"},"keep":{"newest":1}}],"protected":["latest"],"safety":{"sharedDigest":false}}"#,
        &tags,
    );
    assert_eq!(deleted(&off, &tags), ["v1"]);
}

#[test]
fn an_unknown_push_time_is_never_old() {
    let tags = [tag("app", "a", "sha256:a", None), t("b", 90), t("c", 1)];
    let plan = plan(r#"{"rules":[{"keep":{"pushedWithinDays":30}}]}"#, &tags);
    assert_eq!(deleted(&plan, &tags), ["b"]);
    assert_eq!(
        plan.decisions[0].rule,
        RuleRef::Named("safety:unknown-time")
    );
}

#[test]
fn unusable_timestamps_are_refused_by_default_and_used_with_a_warning_on_request() {
    // Reproducible builds: every tag stamped 1970.
    let epoch: Vec<TagInput> = ["a", "b", "c"]
        .iter()
        .map(|n| TagInput {
            pushed_at: Some(0),
            ..t(n, 0)
        })
        .collect();
    let refused = plan(r#"{"rules":[{"keep":{"newest":1}}]}"#, &epoch);
    assert_eq!(deleted(&refused, &epoch), Vec::<String>::new());
    assert_eq!(
        refused.decisions[1].rule,
        RuleRef::Named("safety:timestamps")
    );
    assert!(
        refused.warnings.iter().any(|w| w.contains("before 2000")),
        "{:?}",
        refused.warnings
    );
    let warned = plan(
        r#"{"rules":[{"keep":{"newest":1}}],"safety":{"timestamps":"warn"}}"#,
        &epoch,
    );
    assert_eq!(deleted(&warned, &epoch), ["b", "c"]);
    assert!(!warned.warnings.is_empty());

    // All equal (a migration re-stamped every tag).
    let equal = [t("a", 5), t("b", 5), t("c", 5)];
    let refused = plan(r#"{"rules":[{"keep":{"newest":1}}]}"#, &equal);
    assert_eq!(deleted(&refused, &equal), Vec::<String>::new());
    assert!(refused.warnings[0].contains("all 3 tags have the same push time"));
    // ...but version order does not rest on times.
    let by_version = plan(
        r#"{"rules":[{"keep":{"newest":1,"by":"version"}}]}"#,
        &equal,
    );
    assert_eq!(deleted(&by_version, &equal), ["a", "b"]);

    // Created after its last update.
    let mut odd = vec![t("a", 40), t("b", 1)];
    odd[0].created_at = Some(NOW);
    let refused = plan(r#"{"rules":[{"keep":{"newest":1}}]}"#, &odd);
    assert_eq!(deleted(&refused, &odd), Vec::<String>::new());
    assert!(reason(&refused, &odd, "a").contains("created after its last update"));
}

#[test]
fn keep_none_deletes_every_selected_tag() {
    let tags = [t("pr-1", 1), t("main", 1)];
    expect_plan(
        r#"{"rules":[{"tags":{"include":"pr-*","exclude":"pr-0"},"keep":{"none":true}}],"safety":{"timestamps":"warn"}}"#,
        &tags,
        &["pr-1"],
        &[(
            "pr-1",
            "rules[0]: keeps none of the tags matching `pr-*` except `pr-0`",
        )],
    );
}

#[test]
fn invalid_policies_are_refused_naming_the_field() {
    let cases = [
        (r#"{"rules":[{"keep":{"newest":1}},{"keep":{"newest":1}},{"keep":{"newest":0}}]}"#, "rules[2].keep.newest: must be ≥ 1"),
        (r#"{"rules":[]}"#, "rules: must list at least one rule"),
        (r#"{}"#, "rules: is required"),
        (r#"{"rules":[{"keep":{}}]}"#, "rules[0].keep: must keep something"),
        (r#"{"rules":[{"keep":{"newest":1,"none":true}}]}"#, "rules[0].keep.none: cannot be true"),
        (r#"{"rules":[{"keep":{"newst":1}}]}"#, "rules[0].keep.newst: unknown field (expected one of: by, newest, none, per, pulledWithinDays, pushedWithinDays)"),
        (r#"{"rules":[{"tags":{"include":{"regex":"("}},"keep":{"newest":1}}]}"#, "rules[0].tags.include.regex: not a valid regular expression"),
        (r#"{"rules":[{"keep":{"per":"x"}}]}"#, "rules[0].keep.newest: is required with `by` or `per`"),
        (r#"{"rules":[{"keep":{"newest":"two"}}]}"#, "rules[0].keep.newest: must be a whole number ≥ 1, not the text \"two\""),
        (r#"{"rules":[{"keep":{"newest":1}}],"safety":{"timestamps":"ignore"}}"#, "safety.timestamps: must be \"refuse\" or \"warn\""),
        (r#"{"format":"nexus","rules":[]}"#, "format: unknown format \"nexus\""),
        (r#"not json"#, "the policy is not JSON"),
    ];
    for (policy, expected) in cases {
        let error = refusal(policy);
        assert!(
            error.starts_with(expected),
            "{policy}\n  gave {error}\n  expected {expected}"
        );
    }
}

#[test]
fn order_independence_over_many_repositories() {
    let mut tags = Vec::new();
    for r in 0..7 {
        for k in 0..13 {
            let digest = format!("sha256:{:02}", (r * 13 + k) % 17);
            tags.push(tag(
                &format!("repo-{r}"),
                &format!("v1.{}.{}", k % 4, k),
                &digest,
                Some(((k * 7 + r) % 11) as i64 + 1),
            ));
        }
    }
    // plan() checks three permutations of the input itself.
    let plan = plan(
        r#"{"rules":[{"keep":{"newest":2,"by":"version","per":"^v(\\d+\\.\\d+)"}},{"tags":{"include":"*.1*"},"keep":{"pushedWithinDays":4}}]}"#,
        &tags,
    );
    assert!(plan.deleted() > 0 && plan.deleted() < tags.len());
}
