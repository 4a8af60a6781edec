//! SWR image retention policies: stored per repository, checked with
//! SWR-style errors that name the field, one per repository, applied when
//! set and then daily on the emulator's clock; what a run deletes is what
//! tagdeck's retention engine (the "swr" dialect) plans for the same tags.

mod common;

use std::net::SocketAddr;

use common::*;
use serde_json::{json, Value as Json};
use tagdeck::retention::{Action, AnyPolicy, Options, TagInput};
use tagdeck_emulator::seed;
use tagdeck_emulator::state::swr_retention::{plan, read_body, PERIOD_MS};

const API: &str = "/v2/manage/namespaces/demo/repos/api";
const WEB: &str = "/v2/manage/namespaces/demo/repos/web";

/// The policies of `repo` (a path under `/v2/manage/`), as SWR lists them.
fn policies(addr: SocketAddr, repo: &str) -> Response {
    swr(addr, "GET", &format!("{repo}/retentions"), "")
}

/// The repository's tags as a client lists them: name and push time (ms).
fn tags(addr: SocketAddr, repo: &str) -> Vec<(String, i64)> {
    let answer = swr(addr, "GET", &format!("{repo}/tags"), "");
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let updated = t["updated"].as_str().unwrap();
            let ms = tagdeck::timestamp::parse_timestamp(updated).unwrap() * 1000;
            (t["Tag"].as_str().unwrap().to_string(), ms)
        })
        .collect()
}

/// What tagdeck's engine deletes of `tags` under `policy` at `now`.
fn engine_deletes(policy: &Json, tags: &[(String, i64)], now: i64) -> Vec<String> {
    let policy = AnyPolicy::from_json(&json!({ "format": "swr", "policy": policy })).unwrap();
    let input: Vec<TagInput> = tags
        .iter()
        .map(|(tag, pushed)| TagInput {
            repository: "demo/api".into(),
            tag: tag.clone(),
            digest: String::new(),
            pushed_at: Some(*pushed),
            pulled_at: None,
            created_at: None,
        })
        .collect();
    let plan = policy.plan(
        &input,
        &Options {
            now,
            deletes_tags_one_by_one: true,
        },
    );
    let mut deleted: Vec<String> = plan
        .decisions
        .iter()
        .zip(&input)
        .filter(|(d, _)| d.action == Action::Delete)
        .map(|(_, t)| t.tag.clone())
        .collect();
    deleted.sort();
    deleted
}

/// Sends `policy` (`method` to `target`, answered `status`) and checks that
/// the tags of `repo` it deleted are exactly the engine's plan; the tags left.
fn apply(
    addr: SocketAddr,
    repo: &str,
    (method, target, status): (&str, &str, u16),
    policy: &Json,
) -> (Response, Vec<(String, i64)>) {
    let before = tags(addr, repo);
    let planned = engine_deletes(policy, &before, now_seconds() * 1000);
    let answer = swr(addr, method, target, &policy.to_string());
    assert_eq!(answer.status, status, "{}", answer.body);
    let after = tags(addr, repo);
    assert_eq!(gone(&before, &after), planned, "{policy}");
    (answer, after)
}

fn gone(before: &[(String, i64)], after: &[(String, i64)]) -> Vec<String> {
    let mut gone: Vec<String> = before
        .iter()
        .filter(|(name, _)| !after.iter().any(|(n, _)| n == name))
        .map(|(name, _)| name.clone())
        .collect();
    gone.sort();
    gone
}

#[test]
fn the_demo_policy_is_listed_and_read() {
    let server = start();
    let list = swr(server.addr, "GET", &format!("{API}/retentions"), "");
    assert_eq!(list.status, 200);
    let list = list.json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    let policy = &list[0];
    assert_eq!(policy["algorithm"], "or");
    assert_eq!(policy["rules"][0]["template"], "tag_rule");
    assert_eq!(policy["rules"][0]["params"], json!({"num": "10"}));
    assert_eq!(
        policy["rules"][0]["tag_selectors"][0],
        json!({"kind": "label", "pattern": "latest"})
    );
    let id = policy["id"].as_i64().unwrap();
    let one = swr(server.addr, "GET", &format!("{API}/retentions/{id}"), "");
    assert_eq!((one.status, one.json()), (200, policy.clone()));
    let missing = swr(server.addr, "GET", &format!("{API}/retentions/999999"), "");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json()["errorCode"], "SVCSTG.SWR.4040004");
    // Other repositories have none; a missing repository is SWR's 404.
    assert_eq!(policies(server.addr, WEB).json(), json!([]));
    let none = policies(server.addr, "/v2/manage/namespaces/demo/repos/nope");
    assert_eq!(none.status, 404);
    // It has not run: every tag is there.
    assert_eq!(tags(server.addr, API).len(), 36);
}

#[test]
fn bad_bodies_are_refused_naming_the_field() {
    let rule = |template: &str, params: Json, selectors: Json| json!({"algorithm": "or", "rules": [{"template": template, "params": params, "tag_selectors": selectors}]});
    for (body, field) in [
        (json!({"rules": []}), "algorithm"),
        (json!({"algorithm": "and", "rules": []}), "algorithm"),
        (json!({"algorithm": "or", "rules": []}), "rules"),
        (
            rule("size_rule", json!({"num": "1"}), json!([])),
            "rules[0].template",
        ),
        (
            rule("tag_rule", json!({"days": "1"}), json!([])),
            "rules[0].params.num",
        ),
        (
            rule("date_rule", json!({"days": "0"}), json!([])),
            "rules[0].params.days",
        ),
        (
            rule("date_rule", json!({"days": "366"}), json!([])),
            "rules[0].params.days",
        ),
        (
            rule("tag_rule", json!({"num": "1001"}), json!([])),
            "rules[0].params.num",
        ),
        (
            rule(
                "tag_rule",
                json!({"num": "5"}),
                json!([{"kind": "glob", "pattern": "v*"}]),
            ),
            "rules[0].tag_selectors[0].kind",
        ),
        (
            rule(
                "tag_rule",
                json!({"num": "5"}),
                json!([{"kind": "regexp", "pattern": "(open"}]),
            ),
            "rules[0].tag_selectors[0].pattern",
        ),
        (
            rule("tag_rule", json!({"num": "5"}), json!([{"kind": "label"}])),
            "rules[0].tag_selectors[0].pattern",
        ),
    ] {
        let error = read_body(&body).unwrap_err();
        assert!(error.starts_with(&format!("{field}:")), "{body}: {error}");
    }
    // Over HTTP: SWR's 400 with the field in the message; nothing stored.
    let server = start();
    let answer = swr(
        server.addr,
        "POST",
        "/v2/manage/namespaces/demo/repos/web/retentions",
        &rule("tag_rule", json!({"num": "x"}), json!([])).to_string(),
    );
    assert_eq!(answer.status, 400);
    assert_eq!(answer.json()["errorCode"], "SVCSTG.SWR.4001008");
    assert!(answer.json()["errorMessage"]
        .as_str()
        .unwrap()
        .contains("rules[0].params.num"));
    assert_eq!(policies(server.addr, WEB).json(), json!([]));
}

#[test]
fn a_set_policy_applies_at_once_and_deletes_what_the_engine_plans() {
    let server = start();
    let addr = server.addr;
    let before = tags(addr, API);
    let list = policies(addr, API).json();
    let id = list[0]["id"].as_i64().unwrap();
    // One policy per repository: a second is a conflict.
    let second = swr(addr, "POST", &format!("{API}/retentions"), &json!({"algorithm": "or", "rules": [{"template": "tag_rule", "params": {"num": "1"}, "tag_selectors": []}]}).to_string());
    assert_eq!(second.status, 409, "{}", second.body);
    assert_eq!(
        tags(addr, API).len(),
        before.len(),
        "a refused policy runs nothing"
    );

    // Modifying the demo's policy applies it: exactly the engine's plan goes.
    let policy = json!({"algorithm": "or", "rules": [{"template": "tag_rule", "params": {"num": "4"},
        "tag_selectors": [{"kind": "label", "pattern": "stable"}, {"kind": "regexp", "pattern": "^1\\.0\\.1"}]}]});
    let target = format!("{API}/retentions/{id}");
    let (_, after) = apply(addr, API, ("PATCH", &target, 201), &policy);
    // 36 tags: stable and 1.0.1, 1.0.10 … 1.0.16 set aside (9), 4 of the other 27 kept.
    assert_eq!(after.len(), 13);
    // The retention records: one per deleted tag, newest first, windowed.
    let history = swr(addr, "GET", &format!("{API}/retentions/histories"), "");
    assert_eq!(history.header("content-range"), None);
    let history = history.json();
    assert_eq!(history["total"], 23);
    let records = history["retention_log"].as_array().unwrap();
    let mut logged: Vec<String> = records
        .iter()
        .map(|r| r["tag"].as_str().unwrap().to_string())
        .collect();
    logged.sort();
    assert_eq!(logged, gone(&before, &after));
    assert!(records
        .iter()
        .all(|r| r["retention_id"] == id && r["rule_type"] == "tag_rule" && r["repo"] == "api"));
    let page = swr(
        addr,
        "GET",
        &format!("{API}/retentions/histories?filter=offset::20|limit::10"),
        "",
    );
    assert_eq!(page.header("content-range"), Some("20-3/23"));
    assert_eq!(page.json()["retention_log"].as_array().unwrap().len(), 3);
    assert!(after.iter().any(|(n, _)| n == "stable") && after.iter().all(|(n, _)| n != "1.0.0"));

    // Deleted: tags stay as they are; creating one on web applies it there.
    assert_eq!(
        swr(addr, "DELETE", &format!("{API}/retentions/{id}"), "").status,
        204
    );
    assert_eq!(
        swr(addr, "DELETE", &format!("{API}/retentions/{id}"), "").status,
        404
    );
    assert_eq!(policies(addr, API).json(), json!([]));
    let policy = json!({"algorithm": "or", "rules": [
        {"template": "date_rule", "params": {"days": "120"}, "tag_selectors": [{"kind": "label", "pattern": "latest"}]},
        {"template": "tag_rule", "params": {"num": "3"}, "tag_selectors": []}]});
    let target = format!("{WEB}/retentions");
    let (created, after) = apply(addr, WEB, ("POST", &target, 201), &policy);
    assert!(created.json()["id"].as_i64().unwrap() > 0);
    assert!(after.len() < 48 && after.iter().any(|(n, _)| n == "latest"));
}

#[test]
fn a_policy_runs_again_a_day_after_its_last_run() {
    let (server, clock) = start_with_clock(1_000);
    let addr = server.addr;
    let policy = json!({"algorithm": "or", "rules": [{"template": "tag_rule", "params": {"num": "5"}, "tag_selectors": []}]});
    assert_eq!(
        swr(
            addr,
            "POST",
            &format!("{WEB}/retentions"),
            &policy.to_string()
        )
        .status,
        201
    );
    assert_eq!(tags(addr, WEB).len(), 5);
    // A new tag: the policy keeps it (the newest) until its next run, a day on.
    let copy = json!({"source_tag": "latest", "destination_tag": "fresh"}).to_string();
    assert_eq!(swr(addr, "POST", &format!("{WEB}/tags"), &copy).status, 201);
    assert_eq!(tags(addr, WEB).len(), 6);
    clock.advance(PERIOD_MS - 60_000);
    assert_eq!(tags(addr, WEB).len(), 6, "not yet a day");
    clock.advance(60_000);
    let after = tags(addr, WEB);
    assert_eq!(after.len(), 5, "the daily run");
    assert!(after.iter().any(|(n, _)| n == "fresh"));
}

#[test]
fn the_emulators_plan_is_the_engines_on_the_demo_data() {
    // Every demo repository, rules of both templates and both selector kinds.
    let state = seed::demo();
    let now = seed::DEMO_EPOCH_MS;
    let policies = [
        json!({"algorithm": "or", "rules": [{"template": "tag_rule", "params": {"num": "10"}, "tag_selectors": [{"kind": "label", "pattern": "latest"}, {"kind": "regexp", "pattern": "\\.0$"}]}]}),
        json!({"algorithm": "or", "rules": [{"template": "date_rule", "params": {"days": "90"}, "tag_selectors": [{"kind": "regexp", "pattern": "^sha-"}]}]}),
        json!({"algorithm": "or", "rules": [
            {"template": "date_rule", "params": {"days": "30"}, "tag_selectors": []},
            {"template": "tag_rule", "params": {"num": "7"}, "tag_selectors": [{"kind": "label", "pattern": "stable"}]}]}),
    ];
    let mut compared = 0;
    for namespace in &state.swr.namespaces {
        for repo in &namespace.repos {
            let listed: Vec<(String, i64)> = repo
                .tags
                .iter()
                .map(|t| (t.name.clone(), t.updated.div_euclid(1000) * 1000))
                .collect();
            for policy in &policies {
                let rules = read_body(policy).unwrap();
                let mut ours: Vec<String> = plan(repo, &rules, now)
                    .into_iter()
                    .filter(|v| !v.keep)
                    .map(|v| v.tag)
                    .collect();
                ours.sort();
                assert_eq!(
                    ours,
                    engine_deletes(policy, &listed, now),
                    "{}/{}: {policy}",
                    namespace.name,
                    repo.name
                );
                compared += usize::from(!ours.is_empty());
            }
        }
    }
    assert!(
        compared >= 10,
        "the policies delete something in most repositories ({compared})"
    );
}
