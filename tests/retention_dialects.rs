//! The vendors' dialects, each with the vendor's documented examples and
//! the documented outcome, the traps of docs/retention.md ("keep N" counts
//! among different sets in each), and their validation errors.

mod retention_support;

use retention_support::*;
use serde_json::json;
use tagdeck::retention::{AnyPolicy, RuleRef, TagInput};

/// The tagdeck policy equivalent to `policy` (a dialect's JSON text), as its explanation gives it.
fn equivalent(policy: &str) -> String {
    AnyPolicy::from_json_text(policy)
        .unwrap()
        .explain()
        .equivalent
        .unwrap()
        .to_string()
}

// ---------------------------------------------------------------- ECR

/// The Amazon ECR User Guide's "multiple rules" example: images A
/// [beta-1, prod-1] pushed 10 days ago, B [beta-2, prod-2] 9, C [beta-3] 8.
fn ecr_example_images() -> Vec<TagInput> {
    vec![
        tag("repo", "beta-1", "sha256:a", Some(10)),
        tag("repo", "prod-1", "sha256:a", Some(10)),
        tag("repo", "beta-2", "sha256:b", Some(9)),
        tag("repo", "prod-2", "sha256:b", Some(9)),
        tag("repo", "beta-3", "sha256:c", Some(8)),
    ]
}

fn ecr_two_rules(prod_priority: u32, beta_priority: u32) -> String {
    json!({"format": "ecr", "policy": {"rules": [
        {"rulePriority": prod_priority, "description": "Rule 1", "selection": {"tagStatus": "tagged", "tagPrefixList": ["prod"], "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}},
        {"rulePriority": beta_priority, "description": "Rule 2", "selection": {"tagStatus": "tagged", "tagPrefixList": ["beta"], "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}}
    ]}})
    .to_string()
}

#[test]
fn ecr_documented_multiple_rules_example_prod_first_expires_only_image_a() {
    let tags = ecr_example_images();
    let plan = plan(&ecr_two_rules(1, 2), &tags);
    assert_eq!(deleted(&plan, &tags), ["beta-1", "prod-1"]);
    assert_eq!(plan.decisions[0].rule, RuleRef::Id("1".into()));
    assert!(reason(&plan, &tags, "beta-1").contains("the image's tags go with it: beta-1, prod-1"));
    // B: rule 1 selects it first and keeps it, although rule 2 would expire it.
    assert!(reason(&plan, &tags, "beta-2").starts_with("rulePriority 1 (tags with prefix `prod`) is the first rule to select the image and keeps it"));
}

#[test]
fn ecr_documented_multiple_rules_example_beta_first_expires_images_a_and_b() {
    let tags = ecr_example_images();
    let plan = plan(&ecr_two_rules(2, 1), &tags);
    assert_eq!(
        deleted(&plan, &tags),
        ["beta-1", "beta-2", "prod-1", "prod-2"]
    );
}

#[test]
fn ecr_prefix_list_is_and_across_prefixes_and_patterns_match_whole_tags() {
    let tags = vec![
        tag("repo", "alpha-1", "sha256:a", Some(12)),
        tag("repo", "beta-1", "sha256:a", Some(12)),
        tag("repo", "alpha-2", "sha256:b", Some(11)),
        tag("repo", "alpha-3", "sha256:c", Some(10)),
        tag("repo", "beta-3", "sha256:c", Some(10)),
    ];
    let and = json!({"format":"ecr","policy":{"rules":[{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":["alpha","beta"],"countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}});
    // Only the images carrying both an alpha and a beta tag are selected: A and C; A is older.
    assert_eq!(
        deleted(&plan(&and.to_string(), &tags), &tags),
        ["alpha-1", "beta-1"]
    );
    let pattern = json!({"format":"ecr","policy":{"rules":[{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPatternList":["alpha-*"],"countType":"sinceImagePushed","countUnit":"days","countNumber":11},"action":{"type":"expire"}}]}});
    // Pushed MORE than 11 days ago: only A (12 days); B is exactly 11.
    assert_eq!(
        deleted(&plan(&pattern.to_string(), &tags), &tags),
        ["alpha-1", "beta-1"]
    );
}

#[test]
fn ecr_any_rule_must_come_last_and_other_validation_failures() {
    let rule = |priority: u32, selection: serde_json::Value| json!({"rulePriority": priority, "selection": selection, "action": {"type": "expire"}});
    let any = json!({"tagStatus":"any","countType":"imageCountMoreThan","countNumber":5});
    let tagged = json!({"tagStatus":"tagged","tagPrefixList":["v"],"countType":"imageCountMoreThan","countNumber":1});
    let cases = [
        (json!({"rules":[rule(1, any.clone()), rule(2, tagged.clone())]}), "policy.rules: Lifecycle policy validation failure: the rule with tagStatus \"any\" (rulePriority 1) must have the highest rulePriority"),
        (json!({"rules":[rule(1, tagged.clone()), rule(1, tagged.clone())]}), "policy.rules[1].rulePriority: Lifecycle policy validation failure: rulePriority 1 is also the priority of policy.rules[0]"),
        (json!({"rules":[rule(1, json!({"tagStatus":"tagged","countType":"imageCountMoreThan","countNumber":1}))]}), "policy.rules[0].selection: Lifecycle policy validation failure: tagPrefixList or tagPatternList is required"),
        (json!({"rules":[rule(1, json!({"tagStatus":"tagged","tagPatternList":["a*b*c*d*e*f"],"countType":"imageCountMoreThan","countNumber":1}))]}), "policy.rules[0].selection.tagPatternList[0]: Lifecycle policy validation failure: \"a*b*c*d*e*f\" has more than four wildcards"),
        (json!({"rules":[rule(1, json!({"tagStatus":"tagged","tagPrefixList":["v"],"countType":"imageCountMoreThan","countNumber":0}))]}), "policy.rules[0].selection.countNumber: Lifecycle policy validation failure: must be ≥ 1"),
        (json!({"rules":[rule(1, json!({"tagStatus":"any","countType":"sinceImagePushed","countNumber":3}))]}), "policy.rules[0].selection.countUnit: Lifecycle policy validation failure: countUnit is required"),
        (json!({"rules":[rule(1, json!({"tagStatus":"untagged","tagPrefixList":["v"],"countType":"imageCountMoreThan","countNumber":1}))]}), "policy.rules[0].selection: Lifecycle policy validation failure: tagPrefixList and tagPatternList may only be used when tagStatus is \"tagged\""),
    ];
    for (policy, expected) in cases {
        let error = refusal(&json!({"format":"ecr","policy":policy}).to_string());
        assert!(
            error.starts_with(expected),
            "gave {error}\nexpected {expected}"
        );
    }
}

#[test]
fn ecr_policy_text_as_ecr_stores_it_is_accepted() {
    let text = json!({"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}).to_string();
    let tags = [t("old", 5), t("new", 1)];
    let plan = plan(&json!({"format":"ecr","policy":text}).to_string(), &tags);
    assert_eq!(deleted(&plan, &tags), ["old"]);
}

// ---------------------------------------------------------------- GitLab

#[test]
fn gitlab_keep_n_counts_candidates_only_and_latest_is_always_kept() {
    let tags = [
        t("latest", 30),
        t("main", 1),
        t("v1", 40),
        t("v2", 20),
        t("v3", 10),
        t("stable", 50),
    ];
    let policy = r#"{"format":"gitlab","policy":{"nameRegexDelete":"v.*|stable","nameRegexKeep":"stable","keepN":1,"olderThan":"14d"}}"#;
    // Candidates v1, v2, v3 (stable kept by the keep regex, main not matching delete).
    expect_plan(
        policy,
        &tags,
        &["v1", "v2"],
        &[
            ("latest", "`latest` is always kept"),
            ("v3", "#1 of the 3 candidates by push time: within keepN 1"),
            ("v2", "#2 of the 3 candidates by push time, beyond keepN 1, pushed 20 days ago: older than 14d"),
            ("main", "does not match nameRegexDelete `v.*|stable`"),
        ],
    );
}

#[test]
fn gitlab_regexes_are_anchored_and_an_unknown_time_counts_as_now_and_is_never_old() {
    let tags = [
        t("v1", 40),
        t("xv1", 40),
        tag("app", "v2", "sha256:v2", None),
        t("v3", 30),
    ];
    // v2 (unknown: "now") takes the keep_n slot; v3 and v1 are older than 7 days; xv1 does not match.
    assert_eq!(
        deleted_by(
            r#"{"format":"gitlab","policy":{"name_regex_delete":"v\\d","keep_n":1,"older_than":"7d"}}"#,
            &tags,
        ),
        ["v1", "v3"]
    );
    let without_keep_n = deleted_by(
        r#"{"format":"gitlab","policy":{"nameRegexDelete":".*","olderThan":"7d"}}"#,
        &tags,
    );
    assert_eq!(without_keep_n, ["v1", "v3", "xv1"]);
}

#[test]
fn gitlab_explain_gives_the_tagdeck_equivalent_with_the_same_outcome() {
    let tags = [
        t("latest", 30),
        t("v1", 40),
        t("v2", 20),
        t("v3", 10),
        t("keep-me", 90),
    ];
    let gitlab = r#"{"format":"gitlab","policy":{"nameRegexDelete":".*","nameRegexKeep":"keep-.*","keepN":1,"olderThan":"14d"}}"#;
    assert_eq!(
        deleted_by(gitlab, &tags),
        deleted_by(&equivalent(gitlab), &tags)
    );
    assert_eq!(deleted_by(gitlab, &tags), ["v1", "v2"]);
}

/// The GitLab documentation's regex pattern examples for cleanup policies
/// ("Reduce container registry storage", "Regex pattern examples"), each
/// matched as GitLab does, against the whole tag name: `.*` every tag, `v.+`
/// tags that start with `v`, `main` only the tag named `main`, `release.*`
/// tags named or starting with `release`, and `(?:v.+|main|release.*)` any of
/// those. Used as the keep regex beside a delete-everything `.*`, the last
/// keeps exactly the tags it names (and `latest`, always kept).
#[test]
fn gitlab_documented_regex_pattern_examples() {
    let names = [
        "latest",
        "main",
        "main-2",
        "v",
        "v1.2",
        "xv1",
        "release",
        "release-3",
        "prerelease",
        "sha-1",
    ];
    let tags: Vec<TagInput> = names.iter().map(|name| t(name, 100)).collect();
    let deletes = |regex: &str| {
        let policy = json!({"format": "gitlab", "policy": {"nameRegexDelete": regex}});
        deleted_by(&policy.to_string(), &tags)
    };
    let mut everything_but_latest: Vec<&str> = names[1..].to_vec();
    everything_but_latest.sort_unstable();
    assert_eq!(deletes(".*"), everything_but_latest);
    assert_eq!(deletes("v.+"), ["v1.2"]);
    assert_eq!(deletes("main"), ["main"]);
    assert_eq!(deletes("release.*"), ["release", "release-3"]);
    assert_eq!(
        deletes("(?:v.+|main|release.*)"),
        ["main", "release", "release-3", "v1.2"]
    );
    let keep_named = json!({"format": "gitlab", "policy": {
        "nameRegexDelete": ".*", "nameRegexKeep": "(?:v.+|main|release.*)"}});
    assert_eq!(
        deleted_by(&keep_named.to_string(), &tags),
        ["main-2", "prerelease", "sha-1", "v", "xv1"]
    );
}

#[test]
fn gitlab_refuses_bad_older_than() {
    assert!(
        refusal(r#"{"format":"gitlab","policy":{"olderThan":"2 weeks"}}"#)
            .starts_with("policy.olderThan: must be a number of days")
    );
    assert!(refusal(r#"{"format":"gitlab","policy":{"keepN":0}}"#)
        .starts_with("policy.keepN: must be ≥ 1"));
}

// ---------------------------------------------------------------- acr purge

#[test]
fn acr_purge_documented_shape_all_tags_older_than_ago() {
    // The docs' first example: `acr purge --filter 'hello-world:.*' --ago 1d`.
    let tags = [
        tag("hello-world", "v1", "sha256:1", Some(3)),
        tag("hello-world", "v2", "sha256:2", Some(0)),
        tag("other", "v1", "sha256:3", Some(9)),
    ];
    let plan = plan(
        r#"{"format":"acr-purge","args":"acr purge --filter 'hello-world:.*' --ago 1d --untagged"}"#,
        &tags,
    );
    assert_eq!(
        deleted_in_repositories(&plan, &tags),
        [("hello-world", "v1")]
    );
}

#[test]
fn acr_purge_tag_regex_is_unanchored_and_repository_regex_anchored_by_concatenation() {
    let tags = [
        tag("app", "v1.2", "sha256:1", Some(30)),
        tag("app", "2.0", "sha256:2", Some(30)),
        tag("xapp", "v1.0", "sha256:3", Some(30)),
        tag("apple", "v1.0", "sha256:4", Some(30)),
    ];
    // `:1` matches v1.2 (a search); `app` matches only "app", not "xapp" or "apple".
    assert_eq!(
        deleted_by(
            r#"{"format":"acr-purge","args":"--filter app:1 --ago 7d"}"#,
            &tags
        ),
        ["v1.2"]
    );
    // `app|xapp` becomes `^app|xapp$`: "apple" matches `^app`.
    assert_eq!(
        deleted_by(
            r#"{"format":"acr-purge","args":"--filter 'app|xapp:v1' --ago 7d"}"#,
            &tags,
        ),
        ["v1.0", "v1.0", "v1.2"]
    );
}

#[test]
fn acr_purge_keep_counts_among_eligible_tags_only() {
    let tags = [t("a", 1), t("b", 2), t("c", 10), t("d", 11), t("e", 12)];
    // a and b are younger than --ago (kept anyway); of c, d, e the 2 newest stay.
    expect_plan(
        r#"{"format":"acr-purge","args":"--filter \"app:.*\" --ago 5d --keep 2"}"#,
        &tags,
        &["e"],
        &[(
            "c",
            "#1 most recently updated of the 3 eligible tags (--ago 5d): --keep 2",
        )],
    );
    assert!(AnyPolicy::from_json_text(
        r#"{"format":"acr-purge","args":"--filter app:.* --ago 5d --keep 2"}"#
    )
    .unwrap()
    .explain()
    .equivalent
    .is_none());
}

#[test]
fn acr_purge_ago_is_strict_and_a_go_duration() {
    let tags = [
        TagInput {
            pushed_at: Some(NOW - DAY - 12 * 3_600_000),
            ..t("exact", 0)
        },
        TagInput {
            pushed_at: Some(NOW - DAY - 11 * 3_600_000),
            ..t("younger", 0)
        },
    ];
    assert_eq!(
        deleted_by(
            r#"{"format":"acr-purge","args":"--filter app:.* --ago 1d11h59m"}"#,
            &tags
        ),
        ["exact"]
    );
    let at_limit = deleted_by(
        r#"{"format":"acr-purge","args":"--filter app:.* --ago 1d12h"}"#,
        &tags,
    );
    assert!(at_limit.is_empty(), "not strictly before now - ago: kept");
}

#[test]
fn acr_purge_refuses_bad_arguments() {
    assert!(
        refusal(r#"{"format":"acr-purge","args":"--filter app:.*"}"#)
            .starts_with("args --ago: is required")
    );
    assert!(refusal(r#"{"format":"acr-purge","args":"--ago 1d"}"#)
        .starts_with("args --filter: is required"));
    assert!(
        refusal(r#"{"format":"acr-purge","args":"--filter app --ago 1d"}"#)
            .starts_with("args --filter: must be \"<repository regex>:<tag regex>\"")
    );
    assert!(
        refusal(r#"{"format":"acr-purge","args":"--filter app:.* --ago 1w"}"#)
            .starts_with("args --ago: must be a duration")
    );
    assert!(
        refusal(r#"{"format":"acr-purge","args":"--filter app:.* --ago 1d --older 3"}"#)
            .starts_with("args --older: is not an acr purge flag")
    );
}

// ---------------------------------------------------------------- Harbor

fn harbor_rule(template: &str, param: Option<u64>, tags: &str, repos: &str) -> serde_json::Value {
    let params = match param {
        Some(n) => json!({ template: n }),
        None => json!({}),
    };
    json!({"disabled": false, "action": "retain", "template": template, "params": params,
        "tag_selectors": [{"kind": "doublestar", "decoration": "matches", "pattern": tags, "extras": "{\"untagged\":true}"}],
        "scope_selectors": {"repository": [{"kind": "doublestar", "decoration": "repoMatches", "pattern": repos}]}})
}

#[test]
fn harbor_retained_sets_are_united_and_the_rest_of_a_selected_repository_goes() {
    let tags = vec![
        tag("lib/app", "v1", "sha256:1", Some(30)),
        tag("lib/app", "v2", "sha256:2", Some(20)),
        tag("lib/app", "v3", "sha256:3", Some(10)),
        tag("lib/app", "latest", "sha256:3", Some(10)),
        tag("lib/app", "dev", "sha256:4", Some(1)),
        tag("other/x", "v1", "sha256:5", Some(90)),
    ];
    let policy = json!({"format":"harbor","policy":{"algorithm":"or","rules":[
        harbor_rule("latestPushedK", Some(1), "v*", "lib/**"),
        harbor_rule("always", None, "{latest,stable}", "lib/**")
    ],"trigger":{"kind":"Schedule"},"scope":{"level":"project","ref":1}}});
    let plan = plan(&policy.to_string(), &tags);
    // v3+latest (one artifact) retained by both rules; dev is selected by no tag
    // selector but its repository is selected: it goes; other/x is out of scope.
    assert_eq!(deleted(&plan, &tags), ["dev", "v1", "v2"]);
    assert_eq!(
        plan.decisions[5].reason,
        "no rule's repository selector selects its repository"
    );
}

/// The Harbor documentation's examples 1 and 2 ("Create Tag Retention
/// Rules", "How Tag Retention Rules Work"): a project with repositories A to
/// E; A holds 100 images, all pulled within the last week, B to E 6 each,
/// none pulled within the last month. Retaining the 10 most recently pulled
/// (`**` repositories, `**` tags) keeps 10 images of A and all 6 of each of
/// B to E: 34. Retaining those pulled within the last 7 days keeps the 100
/// of A and none of B to E: 100.
#[test]
fn harbor_documented_examples_one_and_two() {
    let mut tags = Vec::new();
    for (repository, count, pulled_days_ago) in [
        ("project/a", 100, 1),
        ("project/b", 6, 40),
        ("project/c", 6, 40),
        ("project/d", 6, 40),
        ("project/e", 6, 40),
    ] {
        for i in 0..count {
            let name = format!("{i}");
            let mut image = tag(
                repository,
                &name,
                &format!("sha256:{repository}-{i}"),
                Some(60),
            );
            // Distinct pull times, a minute apart, so "most recently pulled" has one answer.
            image.pulled_at = Some(NOW - pulled_days_ago * DAY - i64::from(i) * 60_000);
            tags.push(image);
        }
    }
    let retained = |template: &str, param: u64| {
        let policy = json!({"format": "harbor", "policy": {"algorithm": "or",
            "rules": [harbor_rule(template, Some(param), "**", "**")]}});
        let plan = plan(&policy.to_string(), &tags);
        let mut per_repository = std::collections::BTreeMap::<&str, usize>::new();
        for (decision, image) in plan.decisions.iter().zip(&tags) {
            if decision.action == tagdeck::retention::Action::Keep {
                *per_repository.entry(image.repository.as_str()).or_default() += 1;
            }
        }
        per_repository
    };
    let example_one = retained("latestPulledN", 10);
    assert_eq!(example_one.values().sum::<usize>(), 34);
    assert_eq!(example_one["project/a"], 10);
    assert!(["project/b", "project/c", "project/d", "project/e"]
        .iter()
        .all(|r| example_one[r] == 6));
    let example_two = retained("nDaysSinceLastPull", 7);
    assert_eq!(example_two.values().sum::<usize>(), 100);
    assert_eq!(example_two.get("project/a"), Some(&100));
    assert_eq!(example_two.len(), 1, "nothing of B to E: {example_two:?}");
}

#[test]
fn harbor_pull_templates_count_a_never_pulled_artifact_as_oldest() {
    let mut tags = vec![t("a", 5), t("b", 5), t("c", 5)];
    tags[0].pulled_at = Some(NOW - DAY);
    tags[1].pulled_at = Some(NOW - 40 * DAY);
    let latest = json!({"format":"harbor","policy":{"rules":[harbor_rule("latestPulledN", Some(2), "**", "**")]}});
    assert_eq!(deleted(&plan(&latest.to_string(), &tags), &tags), ["c"]);
    let days = json!({"format":"harbor","policy":{"rules":[harbor_rule("nDaysSinceLastPull", Some(30), "**", "**")]}});
    assert_eq!(deleted(&plan(&days.to_string(), &tags), &tags), ["b", "c"]);
}

#[test]
fn harbor_deletes_whole_artifacts_and_refuses_unknown_templates() {
    let tags = [
        tag("app", "old", "sha256:1", Some(50)),
        tag("app", "keep-me", "sha256:1", Some(50)),
        tag("app", "new", "sha256:2", Some(1)),
    ];
    let policy = json!({"format":"harbor","policy":{"rules":[harbor_rule("nDaysSinceLastPush", Some(7), "**", "**")]}});
    assert_eq!(
        deleted(&plan(&policy.to_string(), &tags), &tags),
        ["keep-me", "old"]
    );
    let bad = json!({"format":"harbor","policy":{"rules":[harbor_rule("latestActiveK", Some(7), "**", "**")]}});
    assert!(refusal(&bad.to_string())
        .starts_with("policy.rules[0].template: must be one of latestPushedK"));
}

// ---------------------------------------------------------------- SWR

#[test]
fn swr_documented_manual_example() {
    // Tags v1, v2, v1.0.0, v2.0.0; tag_rule num=1; selector regexp ^v2.*:
    // v2 and v2.0.0 are set aside; of v1 and v1.0.0 the newer stays, v1 goes.
    let tags = [t("v1", 4), t("v2", 3), t("v1.0.0", 2), t("v2.0.0", 1)];
    let policy = r#"{"format":"swr","policy":{"algorithm":"or","rules":[{"template":"tag_rule","params":{"num":"1"},"tag_selectors":[{"kind":"regexp","pattern":"^v2.*"}]}]}}"#;
    expect_plan(
        policy,
        &tags,
        &["v1"],
        &[(
            "v2",
            "rules[0]: matches tag_selectors regexp `^v2.*`: set aside, never counted or deleted",
        )],
    );
    assert_eq!(deleted_by(&equivalent(policy), &tags), ["v1"]);
}

#[test]
fn swr_date_rule_and_label_selectors() {
    let tags = [t("old", 40), t("pinned", 40), t("new", 3)];
    let policy = r#"{"format":"swr","policy":{"algorithm":"or","rules":[{"template":"date_rule","params":{"days":"30"},"tag_selectors":[{"kind":"label","pattern":"pinned"}]}]}}"#;
    assert_eq!(deleted_by(policy, &tags), ["old"]);
    assert!(refusal(
        r#"{"format":"swr","policy":{"rules":[{"template":"num_rule","params":{}}]}}"#
    )
    .starts_with("policy.rules[0].template: must be \"date_rule\" or \"tag_rule\""));
}

// ---------------------------------------------------------------- Alibaba

#[test]
fn alibaba_reading_retains_tag_regexp_and_keeps_the_newest_count() {
    let tags = [
        tag("ns/app", "release-1", "sha256:1", Some(90)),
        tag("ns/app", "b1", "sha256:2", Some(30)),
        tag("ns/app", "b2", "sha256:3", Some(20)),
        tag("ns/app", "b3", "sha256:4", Some(10)),
        tag("ns/other", "b0", "sha256:5", Some(99)),
    ];
    // As the client's getArtifactLifecycleRule answers it (camelCase).
    let rule = json!({"format":"alibaba","rule":{"ruleId":"rule-1","instanceId":"cri-x","scope":"REPO","namespaceName":"ns","repoName":"app","tagRegexp":"release-.*","retentionTagCount":2,"scheduleTime":"WEEK","auto":true,"enableDeleteTag":true}});
    let plan = plan(&rule.to_string(), &tags);
    assert_eq!(deleted(&plan, &tags), ["b1"]);
    assert!(reason(&plan, &tags, "b1")
        .starts_with("tagdeck's reading of the lifecycle rule: #3 of the 3 tags"));
    assert!(reason(&plan, &tags, "b0").contains("outside the rule's scope"));
    assert_eq!(deleted_by(&equivalent(&rule.to_string()), &tags), ["b1"]);
}

#[test]
fn alibaba_policies_and_enable_delete_tag() {
    let mut tags = vec![t("dev-1", 40), t("dev-2", 30), t("dev-3", 1), t("prod", 99)];
    tags[1].pulled_at = Some(NOW - DAY);
    // As ListArtifactLifecycleRule answers it (PascalCase, a `Type` per policy).
    let rule = json!({"format":"alibaba","rule":{"Scope":"INSTANCE","Policies":[{"Type":"Type-1","Filter":{"TagWildcard":"dev-*"},"Condition":{"LatestTagCount":1,"LastPullOlderThanDays":7}}]}});
    // dev-3 newest; dev-2 pulled yesterday; dev-1 never pulled: unknown, never old.
    assert_eq!(deleted_by(&rule.to_string(), &tags), Vec::<String>::new());
    tags[0].pulled_at = Some(NOW - 30 * DAY);
    assert_eq!(deleted_by(&rule.to_string(), &tags), ["dev-1"]);
    let off = json!({"format":"alibaba","rule":{"scope":"INSTANCE","retentionTagCount":1,"enableDeleteTag":false}});
    assert_eq!(deleted_by(&off.to_string(), &tags), Vec::<String>::new());
    assert!(refusal(
        r#"{"format":"alibaba","rule":{"scope":"REPO","namespaceName":"ns","retentionTagCount":1}}"#
    )
    .starts_with("rule.scope: REPO needs namespaceName and repoName"));
}

#[test]
fn explanations_say_when_there_is_no_equivalent() {
    for (policy, format) in [
        (ecr_two_rules(1, 2), "ecr"),
        (
            json!({"format":"harbor","policy":{"rules":[harbor_rule("always", None, "**", "**")]}})
                .to_string(),
            "harbor",
        ),
    ] {
        let explanation = AnyPolicy::from_json_text(&policy).unwrap().explain();
        assert_eq!(explanation.format, format);
        assert!(explanation.equivalent.is_none());
        assert!(explanation.note.starts_with("No tagdeck equivalent"));
    }
}
