//! The demo's rules and what they produced: finished scans with their
//! findings on the tags people look at (`latest`, `stable` and the newest
//! versions of `demo/web` and `demo/api`), a lifecycle rule on
//! `demo/big-app`, a scan rule, a delivery chain and its runs, and an
//! event-centre rule with the notifications it sent.

use serde_json::{json, Value as Json};

use super::DEMO_EPOCH_MS;
use crate::state::records::Record;
use crate::state::{lifecycle, ScanTask, State};

const DAY: i64 = 86_400_000;

/// A finished accelerated-image build of `demo/web:latest` (there is no
/// operation that lists build tasks, so the demo names its own).
pub const DEMO_BUILD_TASK_ID: &str = "i2a-tagdeckdemo001";
/// A build of `demo/web:stable` waiting for a build slot: it stays queued
/// until it is cancelled.
pub const DEMO_QUEUED_BUILD_TASK_ID: &str = "i2a-tagdeckdemo002";

/// A record with `fields` (a JSON object).
fn record(id: String, fields: Json) -> Record {
    Record {
        id,
        fields: match fields {
            Json::Object(map) => map,
            _ => Default::default(),
        },
    }
}

/// Adds the rules to the demo instance (the first).
pub fn add(state: &mut State) {
    add_scans(state);
    let rng = &mut state.rng;
    let ids: Vec<String> = (0..6).map(|_| rng.resource_id("cr")).collect();
    let uuids: Vec<String> = (0..3).map(|_| rng.uuid()).collect();
    let main = &mut state.instances[0];
    let at = DEMO_EPOCH_MS - 30 * DAY;

    // Retention on big-app: releases, `stable` and `latest` stay, and the
    // 50 newest of the other tags. Not automatic, so the demo keeps its
    // 2,400 tags until someone runs it.
    main.records_mut(lifecycle::KIND).push(record(
        format!("cralr-{}", &ids[0][3..]),
        json!({
            "Scope": "REPO", "NamespaceName": "demo", "RepoName": "big-app",
            "TagRegexp": "v\\d+\\.\\d+\\.\\d+|stable|latest", "RetentionTagCount": 50,
            "ScheduleTime": "WEEK", "Auto": false, "EnableDeleteTag": true,
            "CreateTime": at, "ModifiedTime": at,
        }),
    ));
    main.records_mut("ScanRule").push(record(
        format!("crscnr-{}", &ids[1][3..]),
        json!({
            "RuleName": "scan-demo-on-push", "ScanScope": "NAMESPACE", "ScanType": "VUL",
            "TriggerType": "AUTO", "RepoTagFilterPattern": ".*",
            "Namespaces": ["demo"], "RepoNames": [],
            "CreateTime": at, "UpdateTime": at,
        }),
    ));
    let chain_id = format!("chi-{}", &ids[2][3..]);
    main.records_mut("Chain").push(record(
        chain_id.clone(),
        json!({
            "Name": "web-delivery", "Description": "scan, then block high vulnerabilities",
            "RepoNamespaceName": "demo", "RepoName": "web", "ScopeExclude": [],
            "ChainConfig": {
                "ChainConfigId": format!("chc-{}", &ids[3][3..]), "IsActive": true, "Version": "1",
                "Nodes": [
                    {"NodeName": "VULNERABILITY_SCANNING", "Enable": true,
                     "NodeConfig": {"ScanEngine": "ACR_SCAN_SERVICE", "Timeout": 3600, "Retry": 1,
                        "DenyPolicy": {"Action": "BLOCK_DELETE_TAG", "IssueLevel": "HIGH", "IssueCount": "1",
                            "Logic": "AND", "IssueList": "", "BaselineList": "", "MaliciousList": ""}}},
                    {"NodeName": "DELIVERY", "Enable": true, "NodeConfig": {}}
                ],
                "Routers": [{"From": {"NodeName": "VULNERABILITY_SCANNING"}, "To": {"NodeName": "DELIVERY"}}]
            },
            "CreateTime": at, "ModifiedTime": at,
        }),
    ));
    for (i, tag) in ["latest", "1.4"].iter().enumerate() {
        let start = DEMO_EPOCH_MS - (2 - i as i64) * DAY;
        main.records_mut("ChainInstance").push(record(
            format!("chi-{}", &uuids[i][..16]),
            json!({
                "Chain": {"ChainId": chain_id, "ChainName": "web-delivery", "Version": 1},
                "RepoNamespaceName": "demo", "RepoName": "web", "Tag": tag,
                "StartTime": start, "EndTime": start + 95_000,
                "Status": "SUCCESS", "Result": if i == 0 { "PASS" } else { "BLOCKED" },
            }),
        ));
    }
    let web = main
        .repository_named("demo", "web")
        .map(|r| r.id.clone())
        .unwrap_or_default();
    main.records_mut("ArtifactBuildRule").push(record(
        format!("crabr-{}", &ids[5][3..]),
        json!({
            "ArtifactType": "ACCELERATED_IMAGE", "ScopeType": "REPOSITORY", "ScopeId": web,
            "Parameters": {"ImageIndexOnly": false, "PriorityFile": ""},
            "CreateTime": at, "ModifiedTime": at,
        }),
    ));
    for (id, tag, status) in [
        (DEMO_BUILD_TASK_ID, "latest", "SUCCESS"),
        (DEMO_QUEUED_BUILD_TASK_ID, "stable", "PENDING"),
    ] {
        let start = DEMO_EPOCH_MS - DAY;
        let mut task = record(
            id.to_string(),
            json!({
                "ArtifactBuildType": "IMAGE_ACCELERATION", "TaskStatus": status,
                "StartTime": start, "Instructions": ["PULL", "CONVERT", "PUSH"],
                "SourceArtifact": {"ArtifactType": "IMAGE", "RepoId": web, "Version": tag},
                "TargetArtifact": {"ArtifactType": "ACCELERATED_IMAGE", "RepoId": web,
                    "Version": format!("{tag}_accelerated")},
            }),
        );
        if status == "SUCCESS" {
            task.set("EndTime", start + 240_000);
        }
        main.records_mut("ArtifactBuildTask").push(task);
    }
    let rule_id = format!("crecr-{}", &ids[4][3..]);
    main.records_mut("EventCenterRule").push(record(
        rule_id.clone(),
        json!({
            "RuleName": "scan-finished-webhook", "EventType": "cr:Artifact:ScanCompleted",
            "EventScope": "INSTANCE", "EventChannel": "HTTP", "RepoTagFilterPattern": ".*",
            "EventConfig": {"notifyMethod": "http", "notifyConfig": {"Url": "https://hooks.example.com/scan"}},
            "Namespaces": [], "RepoNames": [],
            "CreateTime": at, "ModifiedTime": at,
        }),
    ));
    let scans: Vec<(String, String, String, i64)> = main
        .repositories
        .iter()
        .flat_map(|r| {
            r.scans.iter().map(|s| {
                (
                    r.namespace.clone(),
                    r.name.clone(),
                    s.tag.clone(),
                    s.finish_at,
                )
            })
        })
        .collect();
    for (i, (ns, repo, tag, when)) in scans.into_iter().enumerate() {
        main.records_mut("EventCenterRecord").push(record(
            format!("crecd-{i:016}"),
            json!({
                "EventType": "cr:Artifact:ScanCompleted", "EventChannel": "HTTP",
                "EventNotifyMethod": "http", "EventNotifyId": format!("{}-{i}", uuids[2]),
                "Namespace": ns, "RepoName": repo, "Tag": tag,
                "RuleId": rule_id, "RuleName": "scan-finished-webhook",
                "CreateTime": when, "UpdateTime": when,
            }),
        ));
    }
}

/// Finished scans of `latest`, `stable` and the three newest other tags
/// of `demo/web` and `demo/api`, with what they found.
fn add_scans(state: &mut State) {
    let mut wanted = Vec::new();
    for (ri, repo) in state.instances[0].repositories.iter().enumerate() {
        if repo.namespace != "demo" || !["web", "api"].contains(&repo.name.as_str()) {
            continue;
        }
        let others = repo
            .tags
            .iter()
            .filter(|t| t.name != "latest" && t.name != "stable")
            .take(3);
        for tag in repo
            .tags
            .iter()
            .filter(|t| t.name == "latest" || t.name == "stable")
            .chain(others)
        {
            if !repo.scans.iter().any(|s| s.tag == tag.name) {
                wanted.push((ri, tag.name.clone(), tag.digest.clone()));
            }
        }
    }
    for (i, (ri, tag, digest)) in wanted.into_iter().enumerate() {
        let id = state.rng.resource_id("crst");
        let start = DEMO_EPOCH_MS - DAY + i as i64 * 90_000;
        state.instances[0].repositories[ri].scans.push(ScanTask {
            id,
            tag,
            digest,
            status: "COMPLETE".into(),
            create_time: start,
            finish_at: start + 60_000,
            vulnerabilities: Vec::new(),
        });
    }
    // What each finished scan found.
    let mut found = Vec::new();
    for (ri, repo) in state.instances[0].repositories.iter().enumerate() {
        for (si, scan) in repo.scans.iter().enumerate() {
            if scan.status == "COMPLETE" {
                found.push((ri, si, state.findings_of(&scan.digest)));
            }
        }
    }
    for (ri, si, vulnerabilities) in found {
        state.instances[0].repositories[ri].scans[si].vulnerabilities = vulnerabilities;
    }
}
