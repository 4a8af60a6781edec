//! Every operation of the catalogue works on the emulator's state.
//!
//! One scenario calls every operation (creating what later ones need). It
//! runs three times: over HTTP with XML answers, over HTTP with JSON
//! answers (both decoded by the core's decoder, every call must succeed),
//! and in-process, where each answer is checked against the catalogue's
//! shape: no member the catalogue does not know, and, over the whole run,
//! every field the catalogue describes (nested ones too) filled at least
//! once. The scenario must cover exactly the catalogue's operations, so an
//! operation added to the catalogue fails this test until it is handled.

mod common;
mod scenario;

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;

use common::*;
use tagdeck::catalog::{self, Field, Type};
use tagdeck::sign::Format;
use tagdeck::Value;
use tagdeck_emulator::api::{self, Call, Handler};
use tagdeck_emulator::seed::{MIRROR_INSTANCE_ID, MIRROR_REGION_ID};
use tagdeck_emulator::shape;
use tagdeck_emulator::state::State;

/// Runs one operation and returns its decoded answer.
trait Runner {
    fn run(&mut self, action: &str, params: &[(&str, &str)]) -> Value;
}

/// Adds `InstanceId` and `RegionId` when the operation takes them.
fn with_defaults<'a>(action: &str, params: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let op = catalog::find(action).unwrap_or_else(|| panic!("{action} is not in the catalogue"));
    let mut all = params.to_vec();
    for (name, value) in [("InstanceId", INSTANCE), ("RegionId", REGION)] {
        if op.param(name).is_some() && !all.iter().any(|(k, _)| *k == name) {
            all.push((name, value));
        }
    }
    all
}

struct Http {
    addr: SocketAddr,
    format: Format,
}

impl Runner for Http {
    fn run(&mut self, action: &str, params: &[(&str, &str)]) -> Value {
        let params = with_defaults(action, params);
        let exchange = call_as(self.addr, action, &params, self.format);
        assert_eq!(
            exchange.response.status, 200,
            "{action}: {}",
            exchange.response.body
        );
        let value = exchange.ok();
        assert_eq!(value.get("IsSuccess"), Some(&Value::Bool(true)), "{action}");
        value
    }
}

/// Runs handlers directly on a state, checking each answer's shape.
struct InProcess {
    state: State,
    now: i64,
    problems: Vec<String>,
    /// Paths of fields seen, per operation.
    seen: BTreeMap<&'static str, BTreeSet<String>>,
}

impl Runner for InProcess {
    fn run(&mut self, action: &str, params: &[(&str, &str)]) -> Value {
        let op = catalog::find(action).unwrap();
        let params: Vec<(String, String)> =
            std::iter::once(("Action".to_string(), action.to_string()))
                .chain(
                    with_defaults(action, params)
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v.to_string())),
                )
                .collect();
        tagdeck::request::check_wire(op, &params).unwrap_or_else(|e| panic!("{action}: {e}"));
        self.now += 1_000;
        self.state.advance(self.now);
        let call = Call {
            op,
            params: &params,
            now: self.now,
            task_ms: 60_000,
        };
        let result = match api::handler(action).unwrap_or_else(|| panic!("{action} has no handler"))
        {
            Handler::Read(read) => read(&self.state, &call),
            Handler::Write(write) => write(&mut self.state, &call),
        };
        let own = result.unwrap_or_else(|f| panic!("{action} failed: {f:?}"));
        let (conformed, problems) = shape::conform(op.response, &own);
        self.problems
            .extend(problems.into_iter().map(|p| format!("{action}{p}")));
        value_paths("", &conformed, self.seen.entry(op.action).or_default());
        conformed
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

/// Every path the catalogue describes (`Images[].Tag`); `Any` content is free.
fn catalogue_paths(prefix: &str, fields: &[Field], out: &mut BTreeSet<String>) {
    for field in fields {
        let path = join(prefix, field.name);
        out.insert(path.clone());
        match field.ty {
            Type::Object(inner) => catalogue_paths(&path, inner, out),
            Type::Array(Type::Object(inner)) => catalogue_paths(&format!("{path}[]"), inner, out),
            _ => {}
        }
    }
}

/// Every path present in a value; lists count through their items.
fn value_paths(prefix: &str, value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(members) => {
            for (key, item) in members {
                let path = join(prefix, key);
                out.insert(path.clone());
                match item {
                    Value::Array(items) => {
                        for i in items {
                            value_paths(&format!("{path}[]"), i, out);
                        }
                    }
                    other => value_paths(&path, other, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| value_paths(prefix, i, out)),
        _ => {}
    }
}

fn s(value: &Value, key: &str) -> String {
    text(value, key).to_string()
}

/// Calls every operation once or more; returns the actions called.
fn scenario(r: &mut dyn Runner) -> BTreeSet<String> {
    let mut called = BTreeSet::new();
    let mut run = |r: &mut dyn Runner, action: &str, params: &[(&str, &str)]| {
        called.insert(action.to_string());
        r.run(action, params)
    };

    // Instances.
    run(r, "GetInstance", &[]);
    let usage = run(r, "GetInstanceUsage", &[]);
    assert_eq!(int(&usage, "NamespaceUsage"), 4);
    let regions = run(r, "ListInstanceRegion", &[("Lang", "zh-CN")]);
    assert!(list(&regions, "Regions").len() >= 5);
    let instances = run(r, "ListInstance", &[]);
    assert_eq!(int(&instances, "TotalCount"), 2, "both regions' instances");

    // Endpoints, ACLs, linked VPCs.
    run(r, "GetInstanceEndpoint", &[("EndpointType", "internet")]);
    run(r, "ListInstanceEndpoint", &[("ModuleName", "Registry")]);
    run(r, "GetInstanceVpcEndpoint", &[]);
    run(
        r,
        "CreateInstanceEndpointAclPolicy",
        &[
            ("EndpointType", "internet"),
            ("Entry", "198.51.100.0/24"),
            ("Comment", "ci"),
        ],
    );
    run(
        r,
        "DeleteInstanceEndpointAclPolicy",
        &[("EndpointType", "internet"), ("Entry", "198.51.100.0/24")],
    );
    run(
        r,
        "UpdateInstanceEndpointStatus",
        &[("EndpointType", "internet"), ("Enable", "false")],
    );
    run(
        r,
        "UpdateInstanceEndpointStatus",
        &[("EndpointType", "internet"), ("Enable", "true")],
    );
    run(
        r,
        "CreateInstanceVpcEndpointLinkedVpc",
        &[("VpcId", "vpc-ops1"), ("VswitchId", "vsw-ops1")],
    );
    run(
        r,
        "DeleteInstanceVpcEndpointLinkedVpc",
        &[("VpcId", "vpc-ops1"), ("VswitchId", "vsw-ops1")],
    );

    // Namespaces and repositories.
    run(
        r,
        "CreateNamespace",
        &[
            ("NamespaceName", "ops-ns"),
            ("AutoCreateRepo", "false"),
            ("DefaultRepoType", "PUBLIC"),
            (
                "DefaultRepoConfiguration",
                r#"{"RepoType":"PRIVATE","TagImmutability":true,"ArtifactBuildRuleParameters":{"ImageIndexOnly":true}}"#,
            ),
        ],
    );
    run(r, "GetNamespace", &[("NamespaceName", "ops-ns")]);
    run(r, "ListNamespace", &[("PageSize", "2")]);
    run(
        r,
        "UpdateNamespace",
        &[("NamespaceName", "ops-ns"), ("AutoCreateRepo", "true")],
    );
    let created = run(
        r,
        "CreateRepository",
        &[
            ("RepoNamespaceName", "ops-ns"),
            ("RepoName", "app"),
            ("RepoType", "PRIVATE"),
            ("Summary", "ops"),
            ("Detail", "d"),
            ("TagImmutability", "true"),
        ],
    );
    let app = s(&created, "RepoId");
    run(r, "GetRepository", &[("RepoId", &app)]);
    run(r, "ListRepository", &[("RepoNamespaceName", "demo")]);
    run(
        r,
        "UpdateRepository",
        &[
            ("RepoId", &app),
            ("RepoType", "PUBLIC"),
            ("Summary", "changed"),
        ],
    );

    // Tags.
    let web = s(
        &run(
            r,
            "GetRepository",
            &[("RepoNamespaceName", "demo"), ("RepoName", "web")],
        ),
        "RepoId",
    );
    let api_repo = s(
        &run(
            r,
            "GetRepository",
            &[("RepoNamespaceName", "demo"), ("RepoName", "api")],
        ),
        "RepoId",
    );
    run(
        r,
        "ListRepoTag",
        &[("RepoId", &web), ("PageNo", "2"), ("PageSize", "10")],
    );
    run(r, "GetRepoTag", &repo_tag(&web, "latest"));
    run(
        r,
        "CreateRepoTag",
        &copy_tag("demo", "web", "latest", "ops-copy"),
    );
    run(r, "GetRepoTagLayers", &repo_tag(&web, "ops-copy"));
    run(
        r,
        "GetRepoTagManifest",
        &[
            ("RepoId", &web),
            ("Tag", "ops-copy"),
            ("SchemaVersion", "1"),
        ],
    );
    run(r, "GetRepoTagManifest", &repo_tag(&web, "ops-copy"));
    run(r, "DeleteRepoTag", &repo_tag(&web, "ops-copy"));
    run(r, "CreateRepoTagScanTask", &repo_tag(&web, "latest"));
    run(r, "GetRepoTagScanStatus", &repo_tag(&web, "latest"));

    // Builds.
    let rule = s(
        &run(
            r,
            "CreateRepoBuildRule",
            &[
                ("RepoId", &web),
                ("DockerfileLocation", "/"),
                ("DockerfileName", "Dockerfile"),
                ("ImageTag", "ops"),
                ("PushName", "main"),
                ("PushType", "GIT_BRANCH"),
            ],
        ),
        "BuildRuleId",
    );
    run(
        r,
        "UpdateRepoBuildRule",
        &[
            ("RepoId", &web),
            ("BuildRuleId", &rule),
            ("ImageTag", "ops2"),
            ("PushType", "GIT_TAG"),
        ],
    );
    run(r, "ListRepoBuildRule", &[("RepoId", &web)]);
    let record = s(
        &run(
            r,
            "CreateBuildRecordByRule",
            &[("RepoId", &web), ("BuildRuleId", &rule)],
        ),
        "BuildRecordId",
    );
    run(
        r,
        "GetRepoBuildRecordStatus",
        &[("RepoId", &web), ("BuildRecordId", &record)],
    );
    run(r, "GetRepoBuildRecord", &[("BuildRecordId", &record)]);
    let records = run(r, "ListRepoBuildRecord", &[("RepoId", &web)]);
    let finished = list(&records, "BuildRecords")
        .iter()
        .find(|b| b.get("BuildStatus").and_then(Value::as_str) == Some("SUCCESS"))
        .map(|b| s(b, "BuildRecordId"))
        .expect("the demo has finished builds");
    let done = run(r, "GetRepoBuildRecord", &[("BuildRecordId", &finished)]);
    assert!(int(&done, "EndTime") >= int(&done, "StartTime"));
    run(
        r,
        "CancelRepoBuildRecord",
        &[("RepoId", &web), ("BuildRecordId", &record)],
    );
    run(
        r,
        "DeleteRepoBuildRule",
        &[("RepoId", &web), ("BuildRuleId", &rule)],
    );

    // Triggers.
    let trigger = s(
        &run(
            r,
            "CreateRepoTrigger",
            &[
                ("RepoId", &web),
                ("TriggerName", "ops"),
                ("TriggerTag", "v.*"),
                ("TriggerType", "TAG_REG_EXP"),
                ("TriggerUrl", "https://hooks.example.com/ops"),
            ],
        ),
        "TriggerId",
    );
    run(r, "ListRepoTrigger", &[("RepoId", &web)]);
    run(
        r,
        "UpdateRepoTrigger",
        &[
            ("RepoId", &web),
            ("TriggerId", &trigger),
            ("TriggerName", "ops2"),
            ("TriggerType", "ALL"),
        ],
    );
    run(
        r,
        "DeleteRepoTrigger",
        &[("RepoId", &web), ("TriggerId", &trigger)],
    );

    // Synchronisation to the mirror instance.
    let sync_rule = s(
        &run(
            r,
            "CreateRepoSyncRule",
            &[
                ("NamespaceName", "demo"),
                ("RepoName", "api"),
                ("SyncRuleName", "api-to-mirror"),
                ("SyncScope", "REPO"),
                ("SyncTrigger", "PASSIVE"),
                ("TagFilter", ".*"),
                ("TargetInstanceId", MIRROR_INSTANCE_ID),
                ("TargetNamespaceName", "mirror"),
                ("TargetRegionId", MIRROR_REGION_ID),
                ("TargetRepoName", "api"),
            ],
        ),
        "SyncRuleId",
    );
    run(r, "ListRepoSyncRule", &[("NamespaceName", "demo")]);
    let task = s(
        &run(
            r,
            "CreateRepoSyncTaskByRule",
            &[
                ("RepoId", &api_repo),
                ("SyncRuleId", &sync_rule),
                ("Tag", "latest"),
            ],
        ),
        "SyncTaskId",
    );
    run(r, "ListRepoSyncTask", &[]);
    run(r, "GetRepoSyncTask", &[("SyncTaskId", &task)]);
    run(r, "DeleteRepoSyncRule", &[("SyncRuleId", &sync_rule)]);

    // Helm charts.
    run(
        r,
        "CreateChartNamespace",
        &[
            ("NamespaceName", "ops-charts"),
            ("DefaultRepoType", "PUBLIC"),
        ],
    );
    run(r, "GetChartNamespace", &[("NamespaceName", "ops-charts")]);
    run(r, "ListChartNamespace", &[]);
    run(
        r,
        "UpdateChartNamespace",
        &[("NamespaceName", "ops-charts"), ("AutoCreateRepo", "false")],
    );
    run(
        r,
        "CreateChartRepository",
        &[
            ("RepoNamespaceName", "ops-charts"),
            ("RepoName", "svc"),
            ("RepoType", "PRIVATE"),
            ("Summary", "s"),
        ],
    );
    run(
        r,
        "GetChartRepository",
        &[("RepoNamespaceName", "ops-charts"), ("RepoName", "svc")],
    );
    run(
        r,
        "ListChartRepository",
        &[("RepoNamespaceName", "ops-charts")],
    );
    run(
        r,
        "UpdateChartRepository",
        &[
            ("RepoNamespaceName", "ops-charts"),
            ("RepoName", "svc"),
            ("RepoType", "PUBLIC"),
        ],
    );
    run(
        r,
        "ListChartRelease",
        &[
            ("RepoNamespaceName", "charts"),
            ("RepoName", "web"),
            ("Chart", "we"),
        ],
    );
    run(
        r,
        "DeleteChartRelease",
        &[
            ("RepoNamespaceName", "charts"),
            ("RepoName", "web"),
            ("Chart", "web"),
            ("Release", "0.1.0"),
        ],
    );
    run(
        r,
        "DeleteChartRepository",
        &[("RepoNamespaceName", "ops-charts"), ("RepoName", "svc")],
    );
    run(
        r,
        "DeleteChartNamespace",
        &[("NamespaceName", "ops-charts")],
    );

    // Credentials.
    let token = run(r, "GetAuthorizationToken", &[]);
    assert!(int(&token, "ExpireTime") > 0);
    run(r, "ResetLoginPassword", &[("Password", "Tagdeck-2024!")]);

    scenario::newer_operations(
        &mut |action, params| run(&mut *r, action, params),
        &web,
        &api_repo,
        &finished,
    );

    // Clean up what the scenario made.
    run(r, "DeleteRepository", &[("RepoId", &app)]);
    run(r, "DeleteNamespace", &[("NamespaceName", "ops-ns")]);
    called
}

fn catalogue_actions() -> BTreeSet<String> {
    catalog::operations()
        .map(|op| op.action.to_string())
        .collect()
}

#[test]
fn every_catalogue_operation_has_a_handler_and_every_handler_an_operation() {
    let missing: Vec<_> = catalog::operations()
        .filter(|op| api::handler(op.action).is_none())
        .map(|op| op.action)
        .collect();
    assert!(missing.is_empty(), "no handler for {missing:?}");
    let unknown: Vec<_> = api::routes()
        .filter(|r| catalog::find(r.action).is_none())
        .map(|r| r.action)
        .collect();
    assert!(
        unknown.is_empty(),
        "handlers for operations the catalogue lacks: {unknown:?}"
    );
    println!("{} operations handled", catalog::operations().count());
}

#[test]
fn every_operation_succeeds_over_http_with_xml_answers() {
    let server = start();
    let called = scenario(&mut Http {
        addr: server.addr,
        format: Format::Xml,
    });
    assert_eq!(called, catalogue_actions());
}

#[test]
fn every_operation_succeeds_over_http_with_json_answers() {
    let server = start();
    let called = scenario(&mut Http {
        addr: server.addr,
        format: Format::Json,
    });
    assert_eq!(called, catalogue_actions());
}

#[test]
fn every_answer_has_the_catalogues_shape_and_fills_every_field() {
    let mut runner = InProcess {
        state: tagdeck_emulator::seed::demo(),
        now: 1_750_000_000_000,
        problems: Vec::new(),
        seen: BTreeMap::new(),
    };
    let called = scenario(&mut runner);
    assert_eq!(called, catalogue_actions());
    assert!(
        runner.problems.is_empty(),
        "answers the catalogue does not describe:\n{}",
        runner.problems.join("\n")
    );
    let mut unfilled = Vec::new();
    for op in catalog::operations() {
        let mut expected = BTreeSet::new();
        catalogue_paths("", op.response, &mut expected);
        let seen = runner.seen.get(op.action).cloned().unwrap_or_default();
        for path in expected.difference(&seen) {
            unfilled.push(format!("{}.{path}", op.action));
        }
    }
    assert!(
        unfilled.is_empty(),
        "catalogue fields no answer filled:\n{}",
        unfilled.join("\n")
    );
}
