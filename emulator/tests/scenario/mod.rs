//! The part of `every_operation`'s scenario that calls the operations the
//! official SDK added since tagdeck's first catalogue: lifecycle rules, scan results, scan rules, the
//! event centre, artifact builds and subscriptions, delivery chains,
//! storage-domain routing, custom domains, source code, resource tags,
//! direct synchronisation and rebuilds. Every call must succeed.

use tagdeck::Value;
use tagdeck_emulator::seed::{
    DEMO_BUILD_TASK_ID, DEMO_QUEUED_BUILD_TASK_ID, MIRROR_INSTANCE_ID, MIRROR_REGION_ID,
};

use crate::common::*;

/// Runs one operation and returns its answer.
pub type Run<'a> = dyn FnMut(&str, &[(&str, &str)]) -> Value + 'a;

fn s(value: &Value, key: &str) -> String {
    text(value, key).to_string()
}

/// A chain configuration that fills every field `GetChain` describes.
const CHAIN_CONFIG: &str = r#"{"ChainConfigId":"chc-ops","IsActive":true,"Version":"2","Nodes":[{"NodeName":"VULNERABILITY_SCANNING","Enable":true,"NodeConfig":{"ScanEngine":"ACR_SCAN_SERVICE","Timeout":600,"Retry":1,"DenyPolicy":{"Action":"BLOCK_DELETE_TAG","IssueLevel":"HIGH","IssueCount":"1","Logic":"AND","IssueList":"CVE-2021-44228","BaselineList":"container_root_user","MaliciousList":"EICAR-Test-File"}}}],"Routers":[{"From":{"NodeName":"VULNERABILITY_SCANNING"},"To":{"NodeName":"DELIVERY"}}]}"#;

/// Calls every newer operation; `web` and `api` are the demo repositories'
/// ids, `finished_build` a finished build record of `web`.
pub fn newer_operations(run: &mut Run<'_>, web: &str, api: &str, finished_build: &str) {
    // Instances and resource tags.
    let count = run("GetInstanceCount", &[]);
    assert!(int(&count, "Count") >= 2);
    run(
        "ChangeResourceGroup",
        &[
            ("ResourceId", INSTANCE),
            ("ResourceRegionId", REGION),
            ("ResourceGroupId", "rg-acfmops000001"),
        ],
    );
    let keys: Vec<(String, String)> = (1..=12)
        .flat_map(|i| {
            [
                (format!("Tag.{i}.Key"), format!("team{i:02}")),
                (format!("Tag.{i}.Value"), format!("v{i}")),
            ]
        })
        .collect();
    let mut tag_params: Vec<(&str, &str)> =
        vec![("ResourceType", "INSTANCE"), ("ResourceId.1", INSTANCE)];
    tag_params.extend(keys.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    run("TagResources", &tag_params);
    let first = run(
        "ListTagResources",
        &[("ResourceType", "INSTANCE"), ("ResourceId.1", INSTANCE)],
    );
    let token = s(&first, "NextToken");
    let rest = run(
        "ListTagResources",
        &[("ResourceType", "INSTANCE"), ("NextToken", &token)],
    );
    let listed = |v: &Value| {
        v.get("TagResources")
            .map(|t| list(t, "TagResource").len())
            .unwrap_or(0)
    };
    assert_eq!(listed(&first) + listed(&rest), 12);
    // The instance shows its tags (and its new resource group).
    let instance = run("GetInstance", &[]);
    assert_eq!(list(&instance, "Tags").len(), 12);
    assert_eq!(text(&instance, "ResourceGroupId"), "rg-acfmops000001");
    run("ListInstance", &[]);
    run(
        "UntagResources",
        &[
            ("ResourceType", "INSTANCE"),
            ("ResourceId.1", INSTANCE),
            ("TagKey.1", "team01"),
        ],
    );
    run(
        "UntagResources",
        &[
            ("ResourceType", "INSTANCE"),
            ("ResourceId.1", INSTANCE),
            ("All", "true"),
        ],
    );

    // Token paging.
    let first = run("ListRepoTag", &[("RepoId", web), ("MaxResults", "5")]);
    let next = s(&first, "NextToken");
    run(
        "ListRepoTag",
        &[("RepoId", web), ("MaxResults", "5"), ("NextToken", &next)],
    );
    run("ListRepository", &[("MaxResults", "2")]);

    // Lifecycle rules.
    let rule = s(
        &run(
            "CreateArtifactLifecycleRule",
            &[
                ("Scope", "REPO"),
                ("NamespaceName", "demo"),
                ("RepoName", "api"),
                ("TagRegexp", "latest|stable"),
                ("RetentionTagCount", "10"),
                ("ScheduleTime", "WEEK"),
                ("Auto", "true"),
                ("EnableDeleteTag", "false"),
            ],
        ),
        "RuleId",
    );
    run("GetArtifactLifecycleRule", &[("RuleId", &rule)]);
    run("ListArtifactLifecycleRule", &[("PageSize", "10")]);
    run(
        "UpdateArtifactLifecycleRule",
        &[("RuleId", &rule), ("RetentionTagCount", "12")],
    );
    run("DeleteArtifactLifecycleRule", &[("RuleId", &rule)]);

    // Scan results of a tag the demo has scanned, by tag and by digest.
    let summary = run("GetRepoTagScanSummary", &repo_tag(web, "latest"));
    assert!(int(&summary, "TotalSeverity") > 0);
    run(
        "ListRepoTagScanResult",
        &[("RepoId", web), ("Tag", "latest"), ("PageSize", "50")],
    );
    let mut found_files = false;
    for repo in [web, api] {
        // The demo scanned `latest`, `stable` and the three newest others.
        let tags = run("ListRepoTag", &[("RepoId", repo), ("PageSize", "10")]);
        let names: Vec<String> = list(&tags, "Images").iter().map(|t| s(t, "Tag")).collect();
        let others = names
            .iter()
            .filter(|n| *n != "latest" && *n != "stable")
            .take(3);
        for tag in ["latest", "stable"]
            .iter()
            .map(|t| t.to_string())
            .chain(others.cloned())
        {
            let digest = s(&run("GetRepoTag", &repo_tag(repo, &tag)), "Digest");
            let digest = format!("sha256:{digest}");
            run(
                "ListScanBaselineByTask",
                &[("Digest", &digest), ("RepoId", repo)],
            );
            let files = run("ListScanMaliciousFileByTask", &repo_tag(repo, &tag));
            found_files |= !list(&files, "ScanMaliciousFiles").is_empty();
        }
    }
    assert!(found_files, "the demo has an image with a malicious file");

    // Scan rules.
    let scan_rule = s(
        &run(
            "CreateScanRule",
            &[
                ("RuleName", "ops-scan"),
                ("ScanScope", "REPO"),
                ("Namespaces", r#"["demo"]"#),
                ("RepoNames", r#"["web"]"#),
                ("RepoTagFilterPattern", ".*"),
                ("TriggerType", "AUTO"),
                ("ScanType", "VUL"),
            ],
        ),
        "ScanRuleId",
    );
    run("GetScanRule", &[("ScanRuleId", &scan_rule)]);
    run("ListScanRule", &[("ScanType", "VUL")]);
    run(
        "UpdateScanRule",
        &[
            ("ScanRuleId", &scan_rule),
            ("RuleName", "ops-scan-2"),
            ("ScanScope", "NAMESPACE"),
            ("Namespaces", r#"["demo"]"#),
            ("RepoTagFilterPattern", "v.*"),
            ("TriggerType", "MANUAL"),
        ],
    );
    run("DeleteScanRule", &[("ScanRuleId", &scan_rule)]);

    // The event centre.
    let names = run("ListEventCenterRuleName", &[]);
    let event_rule = s(&list(&names, "RuleNames")[0], "RuleId");
    run(
        "UpdateEventCenterRule",
        &[
            ("RuleId", &event_rule),
            ("RuleName", "ops-events"),
            ("EventType", "cr:Artifact:ScanCompleted"),
            ("EventScope", "NAMESPACE"),
            ("EventChannel", "HTTP"),
            (
                "EventConfig",
                r#"{"notifyMethod":"http","notifyConfig":{"Url":"https://hooks.example.com/x"}}"#,
            ),
            ("Namespaces", r#"["demo"]"#),
            ("RepoNames", r#"[]"#),
            ("RepoTagFilterPattern", ".*"),
        ],
    );
    run(
        "ListEventCenterRecord",
        &[
            ("EventType", "cr:Artifact:ScanCompleted"),
            ("RepoNamespaceName", "demo"),
        ],
    );
    run("DeleteEventCenterRule", &[("RuleId", &event_rule)]);

    // Artifact builds (accelerated images).
    let build_rule = s(
        &run(
            "CreateArtifactBuildRule",
            &[
                ("ArtifactType", "ACCELERATED_IMAGE"),
                ("ScopeType", "REPOSITORY"),
                ("ScopeId", api),
                (
                    "Parameters",
                    r#"{"ImageIndexOnly":true,"PriorityFile":"/app/start"}"#,
                ),
            ],
        ),
        "BuildRuleId",
    );
    run("GetArtifactBuildRule", &[("BuildRuleId", &build_rule)]);
    run(
        "GetArtifactBuildRule",
        &[("ScopeType", "REPOSITORY"), ("ScopeId", api)],
    );
    run(
        "GetArtifactBuildTask",
        &[("BuildTaskId", DEMO_BUILD_TASK_ID)],
    );
    run(
        "ListArtifactBuildTaskLog",
        &[
            ("BuildTaskId", DEMO_BUILD_TASK_ID),
            ("Page", "1"),
            ("PageSize", "50"),
        ],
    );
    run(
        "CancelArtifactBuildTask",
        &[("BuildTaskId", DEMO_QUEUED_BUILD_TASK_ID)],
    );

    // Subscriptions to another registry.
    let sub = s(
        &run(
            "CreateArtifactSubscriptionRule",
            &[
                ("NamespaceName", "demo"),
                ("RepoName", "nginx"),
                ("SourceProvider", "DOCKER_HUB"),
                ("SourceNamespaceName", "library"),
                ("SourceRepoName", "nginx"),
                ("TagCount", "2"),
                ("TagRegexp", "1\\..*"),
                ("Platform.1", "linux/amd64"),
                ("Accelerate", "false"),
                ("Override", "true"),
            ],
        ),
        "RuleId",
    );
    run("GetArtifactSubscriptionRule", &[("RuleId", &sub)]);
    run("ListArtifactSubscriptionRule", &[]);
    run(
        "UpdateArtifactSubscriptionRule",
        &[
            ("RuleId", &sub),
            ("TagCount", "3"),
            ("Platform.1", "linux/arm64"),
        ],
    );
    let task = s(
        &run("CreateArtifactSubscriptionTask", &[("RuleId", &sub)]),
        "TaskId",
    );
    let got = run("GetArtifactSubscriptionTask", &[("TaskId", &task)]);
    assert_eq!(int(&got, "TagSubscriptionCount"), 3);
    run("ListArtifactSubscriptionTask", &[]);
    run("GetArtifactSubscriptionTaskResult", &[("TaskId", &task)]);
    run("DeleteArtifactSubscriptionRule", &[("RuleId", &sub)]);

    // Delivery chains.
    let chain = s(
        &run(
            "CreateChain",
            &[
                ("Name", "ops-chain"),
                ("Description", "ops"),
                ("RepoNamespaceName", "demo"),
                ("RepoName", "api"),
                ("ChainConfig", CHAIN_CONFIG),
                ("ScopeExclude.1", "web"),
            ],
        ),
        "ChainId",
    );
    run("GetChain", &[("ChainId", &chain)]);
    run("ListChain", &[("RepoNamespaceName", "demo")]);
    run(
        "UpdateChain",
        &[
            ("ChainId", &chain),
            ("Name", "ops-chain-2"),
            ("ChainConfig", CHAIN_CONFIG),
        ],
    );
    run(
        "ListChainInstance",
        &[("RepoNamespaceName", "demo"), ("RepoName", "web")],
    );
    run("DeleteChain", &[("ChainId", &chain)]);

    // Storage-domain routing.
    let routes = r#"[{"EndpointType":"Internet","InstanceDomain":"demo-hangzhou-registry.cn-hangzhou.cr.aliyuncs.com","StorageDomain":"https://cri-demo-registry.oss-cn-hangzhou.aliyuncs.com"}]"#;
    let routing = s(
        &run("CreateStorageDomainRoutingRule", &[("Routes", routes)]),
        "RuleId",
    );
    run("GetStorageDomainRoutingRule", &[("RuleId", &routing)]);
    run(
        "UpdateStorageDomainRoutingRule",
        &[("RuleId", &routing), ("Routes", routes)],
    );
    run("DeleteStorageDomainRoutingRule", &[("RuleId", &routing)]);

    // Custom domains.
    let domain = [
        ("ModuleName", "Registry"),
        ("Domain", "registry.example.com"),
    ];
    let with = |extra: &[(&'static str, &'static str)]| {
        let mut all = domain.to_vec();
        all.extend_from_slice(extra);
        all
    };
    run(
        "CreateInstanceCustomizedDomain",
        &with(&[("CertId", "12345"), ("CertRegionId", "cn-hangzhou")]),
    );
    run("GetInstanceCustomizedDomain", &domain);
    run(
        "UpdateInstanceCustomizedDomain",
        &with(&[("CertId", "67890"), ("CertRegionId", "cn-hangzhou")]),
    );
    run("DeleteInstanceCustomizedDomain", &domain);

    // Source code of a repository's builds.
    run(
        "CreateRepoSourceCodeRepo",
        &[
            ("RepoId", api),
            ("CodeRepoType", "GITHUB"),
            ("CodeRepoNamespaceName", "tagdeck"),
            ("CodeRepoName", "api"),
            ("AutoBuild", "true"),
            ("DisableCacheBuild", "false"),
            ("OverseaBuild", "false"),
        ],
    );
    run("GetRepoSourceCodeRepo", &[("RepoId", api)]);
    run(
        "UpdateRepoSourceCodeRepo",
        &[
            ("RepoId", api),
            ("CodeRepoType", "GITLAB"),
            ("CodeRepoNamespaceName", "tagdeck"),
            ("CodeRepoName", "api-service"),
        ],
    );

    // Direct synchronisation, cancelled; a rebuild and a build's log.
    let sync = s(
        &run(
            "CreateRepoSyncTask",
            &[
                ("RepoId", api),
                ("Tag", "latest"),
                ("TargetInstanceId", MIRROR_INSTANCE_ID),
                ("TargetRegionId", MIRROR_REGION_ID),
                ("TargetNamespace", "mirror"),
                ("TargetRepoName", "api"),
                ("TargetTag", "latest"),
                ("Override", "true"),
            ],
        ),
        "SyncTaskId",
    );
    run("CancelRepoSyncTask", &[("SyncTaskId", &sync)]);
    run(
        "CreateBuildRecordByRecord",
        &[("RepoId", web), ("BuildRecordId", finished_build)],
    );
    run(
        "ListRepoBuildRecordLog",
        &[("RepoId", web), ("BuildRecordId", finished_build)],
    );
}
