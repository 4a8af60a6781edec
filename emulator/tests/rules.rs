//! Rules with behaviour over HTTP: lifecycle (retention) rules stored,
//! listed, updated, deleted and run (on schedule by the emulator's clock,
//! and on demand); tag immutability; token paging; scan results and the
//! event centre's notifications of them.

mod common;

use std::collections::HashSet;

use common::*;
use tagdeck::Value;
use tagdeck_emulator::clock::ManualClock;
use tagdeck_emulator::seed;
use tagdeck_emulator::state::lifecycle;

const DAY: i64 = 86_400_000;

/// The names of every tag of repository `id`, newest first.
fn tag_names(addr: std::net::SocketAddr, id: &str) -> Vec<String> {
    tag_names_at(addr, &ManualClock::at(now_seconds() * 1000), id)
}

/// The same, asked at `clock`'s time.
fn tag_names_at(addr: std::net::SocketAddr, clock: &ManualClock, id: &str) -> Vec<String> {
    let page = ok_at(
        addr,
        clock,
        "ListRepoTag",
        &[("RepoId", id), ("PageSize", "100")],
    );
    list(&page, "Images")
        .iter()
        .map(|t| text(t, "Tag").to_string())
        .collect()
}

/// What tagdeck's reading keeps of `names` (newest first): those matching
/// `latest|stable`, and the `count` newest others.
fn expected_kept(names: &[String], count: usize) -> HashSet<String> {
    let (matching, others): (Vec<&String>, Vec<&String>) =
        names.iter().partition(|n| *n == "latest" || *n == "stable");
    matching
        .into_iter()
        .chain(others.into_iter().take(count))
        .cloned()
        .collect()
}

#[test]
fn a_lifecycle_rule_is_created_read_listed_updated_run_on_schedule_and_deleted() {
    let (server, clock) = start_with_clock(60_000);
    let addr = server.addr;
    let api = repo_id(addr, "demo", "api");
    let before = tag_names(addr, &api);
    assert!(before.len() > 6, "demo/api has tags to retain and delete");

    let created = ok(
        addr,
        "CreateArtifactLifecycleRule",
        &[
            ("Scope", "REPO"),
            ("NamespaceName", "demo"),
            ("RepoName", "api"),
            ("TagRegexp", "latest|stable"),
            ("RetentionTagCount", "3"),
            ("ScheduleTime", "DAY"),
            ("Auto", "false"),
            ("EnableDeleteTag", "true"),
        ],
    );
    let rule = text(&created, "RuleId").to_string();
    assert!(rule.starts_with("cralr-"), "{rule}");

    let got = ok(addr, "GetArtifactLifecycleRule", &[("RuleId", &rule)]);
    assert_eq!(text(&got, "Scope"), "REPO");
    assert_eq!(text(&got, "TagRegexp"), "latest|stable");
    assert_eq!(int(&got, "RetentionTagCount"), 3);
    assert_eq!(got.get("Auto"), Some(&Value::Bool(false)));
    assert_eq!(got.get("NextTime"), None, "a manual rule has no next run");
    let policy = &list(&got, "Policies")[0];
    assert_eq!(
        policy.get("Filter").map(|f| text(f, "TagWildcard")),
        Some("latest|stable")
    );

    let listed = ok(
        addr,
        "ListArtifactLifecycleRule",
        &[("EnableDeleteTag", "true"), ("PageSize", "50")],
    );
    assert!(list(&listed, "Rules")
        .iter()
        .any(|r| text(r, "RuleId") == rule));

    // Nothing runs while the rule is manual, however long we wait.
    clock.advance(3 * DAY);
    assert_eq!(tag_names_at(addr, &clock, &api), before);

    ok_at(
        addr,
        &clock,
        "UpdateArtifactLifecycleRule",
        &[
            ("RuleId", &rule),
            ("Auto", "true"),
            ("RetentionTagCount", "2"),
        ],
    );
    let got = ok_at(
        addr,
        &clock,
        "GetArtifactLifecycleRule",
        &[("RuleId", &rule)],
    );
    assert_eq!(int(&got, "RetentionTagCount"), 2);
    let next = int(&got, "NextTime");
    assert_eq!(
        next,
        int(&got, "ModifiedTime") + DAY,
        "a day after the change"
    );
    assert_eq!(tag_names_at(addr, &clock, &api), before, "not due yet");

    // Its time comes: the next request sees the run's result.
    clock.advance(DAY + 1_000);
    let after = tag_names_at(addr, &clock, &api);
    let kept: HashSet<String> = after.iter().cloned().collect();
    assert_eq!(kept, expected_kept(&before, 2));
    let got = ok_at(
        addr,
        &clock,
        "GetArtifactLifecycleRule",
        &[("RuleId", &rule)],
    );
    assert!(int(&got, "NextTime") > next, "the next run moved on");

    ok_at(
        addr,
        &clock,
        "DeleteArtifactLifecycleRule",
        &[("RuleId", &rule)],
    );
    let listed = ok_at(
        addr,
        &clock,
        "ListArtifactLifecycleRule",
        &[("PageSize", "50")],
    );
    assert!(!list(&listed, "Rules")
        .iter()
        .any(|r| text(r, "RuleId") == rule));
    // Both answer the not-found code: the rule is gone for good.
    let at_clock = |action: &str| {
        let mut signing = Signing::demo(tagdeck::catalog::Method::Get, tagdeck::sign::Format::Json);
        signing.timestamp = tagdeck::timestamp::format_timestamp(clock_seconds(&clock));
        send(addr, action, &with_instance(&[("RuleId", &rule)]), &signing).api_error()
    };
    assert_eq!(
        at_clock("GetArtifactLifecycleRule").code,
        "ARTIFACT_LIFECYCLE_RULE_NOT_EXIST"
    );
    assert_eq!(
        at_clock("DeleteArtifactLifecycleRule").code,
        "ARTIFACT_LIFECYCLE_RULE_NOT_EXIST"
    );
}

fn clock_seconds(clock: &ManualClock) -> i64 {
    use tagdeck_emulator::clock::Clock;
    clock.now_ms() / 1000
}

#[test]
fn lifecycle_rules_are_checked_before_they_are_stored() {
    let server = start();
    for (params, field) in [
        (vec![("Scope", "GALAXY")], "Scope"),
        (vec![("Scope", "INSTANCE"), ("TagRegexp", "(")], "TagRegexp"),
        (
            vec![("Scope", "INSTANCE"), ("Auto", "true")],
            "ScheduleTime",
        ),
        (
            vec![("Scope", "INSTANCE"), ("ScheduleTime", "HOURLY")],
            "ScheduleTime",
        ),
    ] {
        let e = fails(server.addr, "CreateArtifactLifecycleRule", &params);
        assert_eq!(e.code, "InvalidParameter", "{params:?}");
        assert!(e.message.contains(field), "{field}: {}", e.message);
    }
    let e = fails(
        server.addr,
        "CreateArtifactLifecycleRule",
        &[
            ("Scope", "REPO"),
            ("NamespaceName", "demo"),
            ("RepoName", "nope"),
        ],
    );
    assert_eq!(e.code, "REPO_NOT_EXIST");
}

#[test]
fn a_run_on_demand_applies_the_reading_and_spares_immutable_repositories() {
    let mut state = seed::demo();
    let rule = state
        .instance(seed::DEMO_INSTANCE_ID)
        .unwrap()
        .records(lifecycle::KIND)[0]
        .clone();
    let big = |s: &tagdeck_emulator::state::State| {
        s.instance(seed::DEMO_INSTANCE_ID)
            .unwrap()
            .repository_named("demo", "big-app")
            .unwrap()
            .tags
            .clone()
    };
    let before = big(&state);
    let pattern = regex_lite_free_match(&before, &rule.text("TagRegexp"));
    let verdicts = state
        .run_lifecycle_rule(seed::DEMO_INSTANCE_ID, &rule.id, 1)
        .unwrap();
    assert_eq!(verdicts.len(), before.len(), "one verdict per tag");
    let after = big(&state);
    assert_eq!(after.len(), pattern + 50);
    // The 50 newest non-matching tags are the first 50 of them in the
    // repository's order (newest first).
    let kept: HashSet<&str> = after.iter().map(|t| t.name.as_str()).collect();
    for verdict in &verdicts {
        assert_eq!(
            kept.contains(verdict.tag.as_str()),
            verdict.keep,
            "{verdict:?}"
        );
        assert!(!verdict.reason.is_empty());
    }

    // The same rule on an immutable repository deletes nothing.
    let mut state = seed::demo();
    let instance = state.instance_mut(seed::DEMO_INSTANCE_ID).unwrap();
    instance
        .repositories
        .iter_mut()
        .find(|r| r.name == "big-app")
        .unwrap()
        .tag_immutability = true;
    let verdicts = state
        .run_lifecycle_rule(seed::DEMO_INSTANCE_ID, &rule.id, 1)
        .unwrap();
    assert!(verdicts.iter().all(|v| v.keep));
    assert_eq!(big(&state).len(), before.len());

    // Without EnableDeleteTag a run decides and deletes nothing.
    let mut state = seed::demo();
    let instance = state.instance_mut(seed::DEMO_INSTANCE_ID).unwrap();
    instance
        .record_mut(lifecycle::KIND, &rule.id)
        .unwrap()
        .set("EnableDeleteTag", false);
    let verdicts = state
        .run_lifecycle_rule(seed::DEMO_INSTANCE_ID, &rule.id, 1)
        .unwrap();
    assert!(verdicts.iter().any(|v| !v.keep));
    assert_eq!(big(&state).len(), before.len());
}

/// How many of `tags` match the seeded rule's expression: versions
/// `vN.N.N`, `stable`, `latest` (counted without a regex engine).
fn regex_lite_free_match(tags: &[tagdeck_emulator::state::Tag], expr: &str) -> usize {
    assert_eq!(expr, "v\\d+\\.\\d+\\.\\d+|stable|latest");
    let version = |name: &str| {
        name.strip_prefix('v').is_some_and(|rest| {
            let parts: Vec<&str> = rest.split('.').collect();
            parts.len() == 3
                && parts
                    .iter()
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        })
    };
    tags.iter()
        .filter(|t| t.name == "stable" || t.name == "latest" || version(&t.name))
        .count()
}

#[test]
fn immutable_tags_cannot_be_deleted_or_moved_until_immutability_is_off() {
    let (server, clock) = start_with_clock(60_000);
    let addr = server.addr;
    let created = ok(
        addr,
        "CreateRepository",
        &[
            ("RepoNamespaceName", "sandbox"),
            ("RepoName", "frozen"),
            ("RepoType", "PRIVATE"),
            ("Summary", "immutable"),
            ("TagImmutability", "true"),
        ],
    );
    let frozen = text(&created, "RepoId").to_string();
    let got = ok(addr, "GetRepository", &[("RepoId", &frozen)]);
    assert_eq!(got.get("TagImmutability"), Some(&Value::Bool(true)));

    let web = repo_id(addr, "demo", "web");
    let set_tag_immutability = |on: &str| {
        ok(
            addr,
            "UpdateRepository",
            &[
                ("RepoId", &web),
                ("RepoType", "PRIVATE"),
                ("Summary", "web"),
                ("TagImmutability", on),
            ],
        )
    };
    set_tag_immutability("true");
    let names = tag_names(addr, &web);
    let victim = names.iter().find(|n| *n != "latest").unwrap().clone();
    let refused = fails(addr, "DeleteRepoTag", &repo_tag(&web, &victim));
    assert_eq!(refused.code, "TAG_IMMUTABLE");
    assert!(refused.message.contains("cannot be overwritten"));
    assert!(tag_names(addr, &web).contains(&victim));

    // A build that would move the tag fails instead of pushing.
    let before = ok(addr, "GetRepoTag", &repo_tag(&web, &victim));
    let rule = ok(
        addr,
        "CreateRepoBuildRule",
        &[
            ("RepoId", &web),
            ("DockerfileLocation", "/"),
            ("DockerfileName", "Dockerfile"),
            ("ImageTag", &victim),
            ("PushName", "main"),
            ("PushType", "GIT_BRANCH"),
        ],
    );
    let build = ok(
        addr,
        "CreateBuildRecordByRule",
        &[
            ("RepoId", &web),
            ("BuildRuleId", text(&rule, "BuildRuleId")),
        ],
    );
    clock.advance(120_000);
    let status = ok(
        addr,
        "GetRepoBuildRecordStatus",
        &[
            ("RepoId", &web),
            ("BuildRecordId", text(&build, "BuildRecordId")),
        ],
    );
    assert_eq!(text(&status, "BuildStatus"), "FAILED");
    let after = ok(addr, "GetRepoTag", &repo_tag(&web, &victim));
    assert_eq!(text(&after, "Digest"), text(&before, "Digest"));

    // `latest` stays movable and deletable, as the vendor's guide says.
    ok(addr, "DeleteRepoTag", &repo_tag(&web, "latest"));

    set_tag_immutability("false");
    ok(addr, "DeleteRepoTag", &repo_tag(&web, &victim));
    assert!(!tag_names(addr, &web).contains(&victim));
}

/// Every page of `action` by `NextToken`, `params` on each; the items of
/// `field`, in order.
fn every_page(
    addr: std::net::SocketAddr,
    action: &str,
    params: &[(&str, &str)],
    field: &str,
) -> Vec<Value> {
    let mut items = Vec::new();
    let mut token = String::new();
    loop {
        let mut all = params.to_vec();
        if !token.is_empty() {
            all.push(("NextToken", &token));
        }
        let page = ok(addr, action, &all);
        items.extend(list(&page, field).iter().cloned());
        match page.get("NextToken").and_then(Value::as_str) {
            Some(next) if !next.is_empty() => token = next.to_string(),
            _ => return items,
        }
    }
}

#[test]
fn token_paging_walks_every_tag_and_repository_exactly_once() {
    let server = start();
    let addr = server.addr;
    let big = repo_id(addr, "demo", "big-app");
    let tags = every_page(
        addr,
        "ListRepoTag",
        &[("RepoId", &big), ("MaxResults", "700")],
        "Images",
    );
    let names: HashSet<&str> = tags.iter().map(|t| text(t, "Tag")).collect();
    assert_eq!((tags.len(), names.len()), (2_400, 2_400));

    let e = fails(
        addr,
        "ListRepoTag",
        &[("RepoId", &big), ("NextToken", "not-a-token")],
    );
    assert_eq!(e.code, "InvalidParameter");
    assert!(e.message.contains("NextToken"));

    let all = int(
        &ok(addr, "ListRepository", &[("PageSize", "100")]),
        "TotalCount",
    );
    let repos = every_page(
        addr,
        "ListRepository",
        &[("MaxResults", "3")],
        "Repositories",
    );
    let ids: HashSet<&str> = repos.iter().map(|r| text(r, "RepoId")).collect();
    assert_eq!((repos.len() as i64, ids.len() as i64), (all, all));
}

#[test]
fn scan_results_match_their_summary_and_a_new_scan_notifies_the_event_centre() {
    let (server, clock) = start_with_clock(60_000);
    let addr = server.addr;
    let web = repo_id(addr, "demo", "web");
    let summary = ok(addr, "GetRepoTagScanSummary", &repo_tag(&web, "latest"));
    let total = int(&summary, "TotalSeverity");
    let by_severity: i64 = ["High", "Medium", "Low", "Unknown"]
        .iter()
        .map(|s| int(&summary, &format!("{s}Severity")))
        .sum();
    assert_eq!(total, by_severity);
    let all = ok(
        addr,
        "ListRepoTagScanResult",
        &[("RepoId", &web), ("Tag", "latest"), ("PageSize", "100")],
    );
    assert_eq!(int(&all, "TotalCount"), total);
    let high = ok(
        addr,
        "ListRepoTagScanResult",
        &[("RepoId", &web), ("Tag", "latest"), ("Severity", "High")],
    );
    assert_eq!(int(&high, "TotalCount"), int(&summary, "HighSeverity"));
    for v in list(&all, "Vulnerabilities") {
        assert!(text(v, "CveLink").ends_with(text(v, "CveName")));
    }

    // A tag without a finished scan has no summary until the scan ends.
    let api = repo_id(addr, "demo", "api");
    let tag = tag_names(addr, &api).pop().unwrap();
    let the_tag = repo_tag(&api, &tag);
    let none = fails(addr, "GetRepoTagScanSummary", &the_tag);
    assert_eq!(none.code, "SCAN_TASK_NOT_EXIST");
    ok(addr, "CreateRepoTagScanTask", &the_tag);
    let running = fails(addr, "GetRepoTagScanSummary", &the_tag);
    assert_eq!(running.code, "SCAN_TASK_NOT_COMPLETE");
    clock.advance(61_000);
    ok(addr, "GetRepoTagScanSummary", &the_tag);
    let records = ok(
        addr,
        "ListEventCenterRecord",
        &[
            ("EventType", "cr:Artifact:ScanCompleted"),
            ("RepoNamespaceName", "demo"),
            ("RepoName", "api"),
            ("PageSize", "100"),
        ],
    );
    assert!(list(&records, "Records")
        .iter()
        .any(|r| text(r, "Tag") == tag));
}
