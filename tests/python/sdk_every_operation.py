"""The vendor's official Python SDK, `alibabacloud-cr20181201` 2.2.5 (V3
signatures by default), unchanged, against tagdeck-emulator.

Starts the emulator binary (demo data, a free port), then through the SDK:
- calls every operation the SDK has (119), with meaningful parameters, in
  an order where later calls use what earlier ones made. A business answer
  (IsSuccess false, a missing resource, an invalid parameter) is accepted;
  an unknown API, a signature/key/time/nonce refusal, a transport failure or
  an answer the SDK cannot read is not;
- runs a lifecycle rule create -> get -> list -> update -> delete and checks
  what each answers;
- reads a tag's scan summary and its vulnerability list and checks that they
  agree.

Prints `reached N of M operations` and exits non-zero on any failure.

Usage: python tests/python/sdk_every_operation.py PATH/TO/tagdeck-emulator
Run it with the venv of scripts/python-env.sh (scripts/test.sh does).
"""

import inspect
import json
import subprocess
import sys
from pathlib import Path

from alibabacloud_cr20181201 import models as cr_models
from alibabacloud_cr20181201.client import Client
from alibabacloud_tea_openapi import utils_models
from darabonba.runtime import RuntimeOptions

# Codes that mean the request itself was refused (signature, key, time,
# nonce, unknown API), not the operation; the list the Rust SDK tests share.
REFUSALS = set(
    json.loads((Path(__file__).parent / "signature_refusals.json").read_text())
)

# Ids of the demo data that no operation lists (emulator/src/seed/rules.rs).
DEMO_BUILD_TASK_ID = "i2a-tagdeckdemo001"
DEMO_QUEUED_BUILD_TASK_ID = "i2a-tagdeckdemo002"


def sdk_operations():
    """{Action: method name} of every operation of the SDK's client."""
    found = {}
    for name, _ in inspect.getmembers(Client, inspect.isfunction):
        if name.endswith("_with_options") and not name.endswith("_async"):
            base = name[: -len("_with_options")]
            found["".join(part.capitalize() for part in base.split("_"))] = base
    return found


class Session:
    """The SDK client and what the run has seen."""

    def __init__(self, endpoint, key_id, secret, instance):
        self.client = Client(
            utils_models.Config(
                access_key_id=key_id,
                access_key_secret=secret,
                endpoint=endpoint,
                protocol="http",
                region_id="cn-hangzhou",
            )
        )
        self.instance = instance
        self.operations = sdk_operations()
        self.reached = set()
        self.failures = []

    def call(self, action, params=None, expect_success=True):
        """Calls `action` with wire-named `params` (InstanceId added when the
        request has it); the answer body as a dict, or {"Code": ...} for an
        error the service answered. Records refusals and transport failures."""
        params = dict(params or {})
        method = getattr(self.client, self.operations[action] + "_with_options")
        request_class = getattr(cr_models, action + "Request", None)
        takes_request = len(inspect.signature(method).parameters) == 2
        try:
            if takes_request:
                if hasattr(request_class(), "instance_id"):
                    params.setdefault("InstanceId", self.instance)
                answer = method(request_class().from_map(params), RuntimeOptions())
            else:
                answer = method(RuntimeOptions())
        except Exception as error:  # noqa: BLE001 - classified below
            code = getattr(error, "code", None)
            status = getattr(error, "status_code", None)
            if code is None or code in REFUSALS:
                self.failures.append(f"{action}: refused or unreachable: {type(error).__name__}: {error}"[:600])
            else:
                self.reached.add(action)
                if expect_success:
                    self.failures.append(f"{action}: HTTP {status} {code}: {error}"[:600])
            return {"Code": code}
        body = answer.body.to_map() if answer.body is not None else {}
        self.reached.add(action)
        if expect_success and body.get("IsSuccess") is False:
            self.failures.append(f"{action}: {body.get('Code')}: {body.get('Message')}")
        return body

    def check(self, condition, what):
        if not condition:
            self.failures.append(what)


def lifecycle_rule(s):
    """create -> get -> list -> update -> delete, each answer checked."""
    created = s.call(
        "CreateArtifactLifecycleRule",
        {
            "Scope": "REPO",
            "NamespaceName": "demo",
            "RepoName": "api",
            "TagRegexp": "release-.*",
            "RetentionTagCount": 30,
            "ScheduleTime": "WEEK",
            "Auto": True,
            "EnableDeleteTag": True,
        },
    )
    rule = created.get("RuleId", "")
    s.check(rule.startswith("cralr-"), f"CreateArtifactLifecycleRule answered {created}")
    got = s.call("GetArtifactLifecycleRule", {"RuleId": rule})
    s.check(
        got.get("TagRegexp") == "release-.*"
        and got.get("RetentionTagCount") == 30
        and got.get("Scope") == "REPO"
        and got.get("Auto") is True
        and isinstance(got.get("NextTime"), int),
        f"GetArtifactLifecycleRule answered {got}",
    )
    listed = s.call("ListArtifactLifecycleRule", {"PageSize": 50})
    s.check(
        any(r.get("RuleId") == rule for r in listed.get("Rules", [])),
        f"ListArtifactLifecycleRule lacks {rule}: {listed}",
    )
    s.call("UpdateArtifactLifecycleRule", {"RuleId": rule, "RetentionTagCount": 12, "Auto": False})
    got = s.call("GetArtifactLifecycleRule", {"RuleId": rule})
    s.check(
        got.get("RetentionTagCount") == 12 and got.get("Auto") is False,
        f"the update did not stick: {got}",
    )
    s.call("DeleteArtifactLifecycleRule", {"RuleId": rule})
    gone = s.call("GetArtifactLifecycleRule", {"RuleId": rule}, expect_success=False)
    s.check(gone.get("IsSuccess") is False or gone.get("Code") not in (None, "success"),
            f"a deleted rule is still there: {gone}")


def scan_results(s, web):
    """A tag's scan summary and its vulnerability list agree."""
    summary = s.call("GetRepoTagScanSummary", {"RepoId": web, "Tag": "latest"})
    total = summary.get("TotalSeverity", -1)
    parts = sum(summary.get(f"{k}Severity", 0) for k in ("High", "Medium", "Low", "Unknown"))
    s.check(total > 0 and total == parts, f"GetRepoTagScanSummary answered {summary}")
    listed = s.call("ListRepoTagScanResult", {"RepoId": web, "Tag": "latest", "PageSize": 100})
    vulns = listed.get("Vulnerabilities", [])
    s.check(len(vulns) == total, f"{len(vulns)} vulnerabilities listed, the summary says {total}")
    s.check(all(v.get("CveName") and v.get("Severity") for v in vulns), f"incomplete: {vulns[:1]}")
    high = s.call("ListRepoTagScanResult", {"RepoId": web, "Tag": "latest", "Severity": "High"})
    s.check(high.get("TotalCount") == summary.get("HighSeverity"), f"High: {high.get('TotalCount')} vs {summary}")


def everything_else(s, mirror, mirror_region):
    web = s.call("GetRepository", {"RepoNamespaceName": "demo", "RepoName": "web"}).get("RepoId", "")
    api = s.call("GetRepository", {"RepoNamespaceName": "demo", "RepoName": "api"}).get("RepoId", "")
    scan_results(s, web)
    lifecycle_rule(s)

    # Instances, endpoints, resource tags.
    s.call("GetInstance")
    s.call("GetInstanceUsage")
    s.call("ListInstanceRegion", {"Lang": "zh-CN"})
    s.call("GetInstanceCount")
    s.call("ChangeResourceGroup", {"ResourceId": s.instance, "ResourceRegionId": "cn-hangzhou",
                                   "ResourceGroupId": "rg-acfmsdk0000001"})
    tags = {"RegionId": "cn-hangzhou", "ResourceType": "INSTANCE", "ResourceId": [s.instance]}
    s.call("TagResources", {**tags, "Tag": [{"Key": "team", "Value": "web"}]})
    listed = s.call("ListTagResources", tags)
    s.check(listed.get("TagResources", {}).get("TagResource"), f"ListTagResources: {listed}")
    s.call("UntagResources", {**tags, "TagKey": ["team"]})
    s.call("GetInstanceEndpoint", {"EndpointType": "internet", "ModuleName": "Registry"})
    s.call("ListInstanceEndpoint", {"ModuleName": "Registry"})
    s.call("GetInstanceVpcEndpoint", {"ModuleName": "Registry"})
    s.call("CreateInstanceEndpointAclPolicy", {"EndpointType": "internet", "Entry": "198.51.100.0/24",
                                               "Comment": "sdk", "ModuleName": "Registry"})
    s.call("DeleteInstanceEndpointAclPolicy", {"EndpointType": "internet", "Entry": "198.51.100.0/24",
                                               "ModuleName": "Registry"})
    s.call("UpdateInstanceEndpointStatus", {"EndpointType": "internet", "Enable": True, "ModuleName": "Registry"})
    s.call("CreateInstanceVpcEndpointLinkedVpc", {"VpcId": "vpc-sdk1", "VswitchId": "vsw-sdk1", "ModuleName": "Registry"})
    s.call("DeleteInstanceVpcEndpointLinkedVpc", {"VpcId": "vpc-sdk1", "VswitchId": "vsw-sdk1", "ModuleName": "Registry"})
    domain = {"ModuleName": "Registry", "Domain": "registry.example.com"}
    s.call("CreateInstanceCustomizedDomain", {**domain, "CertId": "12345", "CertRegionId": "cn-hangzhou"})
    s.call("GetInstanceCustomizedDomain", domain)
    s.call("UpdateInstanceCustomizedDomain", {**domain, "CertId": "67890", "CertRegionId": "cn-hangzhou"})
    s.call("DeleteInstanceCustomizedDomain", domain)
    routes = [{"EndpointType": "Internet", "InstanceDomain": "demo-registry.cn-hangzhou.cr.aliyuncs.com",
               "StorageDomain": "https://cri-demo-registry.oss-cn-hangzhou.aliyuncs.com"}]
    routing = s.call("CreateStorageDomainRoutingRule", {"Routes": routes}).get("RuleId", "")
    s.call("GetStorageDomainRoutingRule", {"RuleId": routing})
    s.call("UpdateStorageDomainRoutingRule", {"RuleId": routing, "Routes": routes})
    s.call("DeleteStorageDomainRoutingRule", {"RuleId": routing})

    # Namespaces, repositories, tags (immutability, token paging).
    s.call("CreateNamespace", {"NamespaceName": "sdk-ns", "AutoCreateRepo": False,
                               "DefaultRepoConfiguration": {"RepoType": "PRIVATE", "TagImmutability": True}})
    s.call("GetNamespace", {"NamespaceName": "sdk-ns"})
    s.call("ListNamespace", {"PageSize": 2})
    s.call("UpdateNamespace", {"NamespaceName": "sdk-ns", "AutoCreateRepo": True, "DefaultRepoType": "PUBLIC"})
    app = s.call("CreateRepository", {"RepoNamespaceName": "sdk-ns", "RepoName": "app", "RepoType": "PRIVATE",
                                      "Summary": "sdk", "TagImmutability": True}).get("RepoId", "")
    got = s.call("GetRepository", {"RepoId": app})
    s.check(got.get("TagImmutability") is True, f"TagImmutability not kept: {got}")
    page = s.call("ListRepository", {"MaxResults": 3})
    s.check(page.get("NextToken"), f"ListRepository by token: {page}")
    s.call("ListRepository", {"MaxResults": 3, "NextToken": page.get("NextToken")})
    s.call("UpdateRepository", {"RepoId": app, "RepoType": "PUBLIC", "Summary": "changed"})
    tags = s.call("ListRepoTag", {"RepoId": web, "MaxResults": 5})
    s.check(len(tags.get("Images", [])) == 5 and tags.get("NextToken"), f"ListRepoTag by token: {tags}")
    s.call("ListRepoTag", {"RepoId": web, "MaxResults": 5, "NextToken": tags.get("NextToken")})
    s.call("GetRepoTag", {"RepoId": web, "Tag": "latest"})
    s.call("CreateRepoTag", {"NamespaceName": "demo", "RepoName": "web", "FromTag": "latest", "ToTag": "sdk-copy"})
    s.call("DeleteRepoTag", {"RepoId": web, "Tag": "sdk-copy"})
    s.call("CreateRepoTagScanTask", {"RepoId": web, "Tag": "latest"})
    s.call("GetRepoTagScanStatus", {"RepoId": web, "Tag": "latest"})
    s.call("ListScanBaselineByTask", {"RepoId": web, "Tag": "latest"})
    s.call("ListScanMaliciousFileByTask", {"RepoId": web, "Tag": "latest"})

    # Scan rules, event centre, delivery chains.
    scan_rule = s.call("CreateScanRule", {"RuleName": "sdk-scan", "ScanScope": "REPO", "Namespaces": ["demo"],
                                          "RepoNames": ["web"], "RepoTagFilterPattern": ".*",
                                          "TriggerType": "AUTO", "ScanType": "VUL"}).get("ScanRuleId", "")
    s.call("GetScanRule", {"ScanRuleId": scan_rule})
    s.call("ListScanRule", {"ScanType": "VUL"})
    s.call("UpdateScanRule", {"ScanRuleId": scan_rule, "RuleName": "sdk-scan-2", "ScanScope": "NAMESPACE",
                              "Namespaces": ["demo"], "RepoTagFilterPattern": "v.*", "TriggerType": "MANUAL"})
    s.call("DeleteScanRule", {"ScanRuleId": scan_rule})
    names = s.call("ListEventCenterRuleName").get("RuleNames", [])
    event_rule = names[0]["RuleId"] if names else ""
    s.call("UpdateEventCenterRule", {"RuleId": event_rule, "RuleName": "sdk-events", "EventScope": "INSTANCE",
                                     "EventType": "cr:Artifact:ScanCompleted", "RepoTagFilterPattern": ".*"})
    s.call("ListEventCenterRecord", {"EventType": "cr:Artifact:ScanCompleted"})
    s.call("DeleteEventCenterRule", {"RuleId": event_rule})
    config = ('{"ChainConfigId":"chc-sdk","IsActive":true,"Version":"1","Nodes":[{"NodeName":'
              '"VULNERABILITY_SCANNING","Enable":true,"NodeConfig":{}}],"Routers":[]}')
    chain = s.call("CreateChain", {"Name": "sdk-chain", "Description": "sdk", "RepoNamespaceName": "demo",
                                   "RepoName": "api", "ChainConfig": config, "ScopeExclude": ["web"]}).get("ChainId", "")
    s.call("GetChain", {"ChainId": chain})
    s.call("ListChain", {"RepoNamespaceName": "demo"})
    s.call("UpdateChain", {"ChainId": chain, "Name": "sdk-chain-2", "ChainConfig": config})
    s.call("ListChainInstance", {"RepoNamespaceName": "demo", "RepoName": "web"})
    s.call("DeleteChain", {"ChainId": chain})

    # Artifact builds and subscriptions.
    build_rule = s.call("CreateArtifactBuildRule", {"ArtifactType": "ACCELERATED_IMAGE", "ScopeType": "REPOSITORY",
                                                    "ScopeId": api, "Parameters": {"ImageIndexOnly": True}}
                        ).get("BuildRuleId", "")
    s.call("GetArtifactBuildRule", {"BuildRuleId": build_rule})
    s.call("GetArtifactBuildTask", {"BuildTaskId": DEMO_BUILD_TASK_ID})
    s.call("ListArtifactBuildTaskLog", {"BuildTaskId": DEMO_BUILD_TASK_ID, "Page": 1, "PageSize": 50})
    s.call("CancelArtifactBuildTask", {"BuildTaskId": DEMO_QUEUED_BUILD_TASK_ID})
    sub = s.call("CreateArtifactSubscriptionRule", {
        "NamespaceName": "demo", "RepoName": "nginx", "SourceProvider": "DOCKER_HUB",
        "SourceNamespaceName": "library", "SourceRepoName": "nginx", "TagCount": 2, "TagRegexp": "1\\..*",
        "Platform": ["linux/amd64"], "Accelerate": False, "Override": True}).get("RuleId", "")
    s.call("GetArtifactSubscriptionRule", {"RuleId": sub})
    s.call("ListArtifactSubscriptionRule")
    s.call("UpdateArtifactSubscriptionRule", {"RuleId": sub, "TagCount": 3})
    task = s.call("CreateArtifactSubscriptionTask", {"RuleId": sub}).get("TaskId", "")
    s.call("GetArtifactSubscriptionTask", {"TaskId": task})
    s.call("ListArtifactSubscriptionTask")
    s.call("GetArtifactSubscriptionTaskResult", {"TaskId": task})
    s.call("DeleteArtifactSubscriptionRule", {"RuleId": sub})

    # Builds from source.
    s.call("CreateRepoSourceCodeRepo", {"RepoId": api, "CodeRepoType": "GITHUB", "CodeRepoNamespaceName": "tagdeck",
                                        "CodeRepoName": "api", "AutoBuild": True})
    s.call("GetRepoSourceCodeRepo", {"RepoId": api})
    s.call("UpdateRepoSourceCodeRepo", {"RepoId": api, "CodeRepoType": "GITLAB", "CodeRepoNamespaceName": "tagdeck",
                                        "CodeRepoName": "api-service"})
    rule = s.call("CreateRepoBuildRule", {"RepoId": web, "DockerfileLocation": "/", "DockerfileName": "Dockerfile",
                                          "ImageTag": "sdk", "PushName": "main", "PushType": "GIT_BRANCH"}
                  ).get("BuildRuleId", "")
    s.call("UpdateRepoBuildRule", {"RepoId": web, "BuildRuleId": rule, "ImageTag": "sdk2", "PushType": "GIT_TAG",
                                   "PushName": "v1", "DockerfileLocation": "/", "DockerfileName": "Dockerfile"})
    s.call("ListRepoBuildRule", {"RepoId": web})
    record = s.call("CreateBuildRecordByRule", {"RepoId": web, "BuildRuleId": rule}).get("BuildRecordId", "")
    s.call("GetRepoBuildRecordStatus", {"RepoId": web, "BuildRecordId": record})
    s.call("GetRepoBuildRecord", {"BuildRecordId": record})
    records = s.call("ListRepoBuildRecord", {"RepoId": web}).get("BuildRecords", [])
    done = next((r["BuildRecordId"] for r in records if r.get("BuildStatus") == "SUCCESS"), "")
    s.call("ListRepoBuildRecordLog", {"RepoId": web, "BuildRecordId": done})
    s.call("CreateBuildRecordByRecord", {"RepoId": web, "BuildRecordId": done})
    s.call("CancelRepoBuildRecord", {"RepoId": web, "BuildRecordId": record})
    s.call("DeleteRepoBuildRule", {"RepoId": web, "BuildRuleId": rule})

    # Triggers.
    trigger = s.call("CreateRepoTrigger", {"RepoId": web, "TriggerName": "sdk", "TriggerTag": "v.*",
                                           "TriggerType": "TAG_REG_EXP",
                                           "TriggerUrl": "https://hooks.example.com/sdk"}).get("TriggerId", "")
    s.call("ListRepoTrigger", {"RepoId": web})
    s.call("UpdateRepoTrigger", {"RepoId": web, "TriggerId": trigger, "TriggerName": "sdk2", "TriggerType": "ALL"})
    s.call("DeleteRepoTrigger", {"RepoId": web, "TriggerId": trigger})

    # Synchronisation to the other instance.
    sync_rule = s.call("CreateRepoSyncRule", {
        "NamespaceName": "demo", "RepoName": "api", "SyncRuleName": "sdk-sync", "SyncScope": "REPO",
        "SyncTrigger": "PASSIVE", "TagFilter": ".*", "TargetInstanceId": mirror,
        "TargetNamespaceName": "mirror", "TargetRegionId": mirror_region, "TargetRepoName": "api"}
    ).get("SyncRuleId", "")
    s.call("ListRepoSyncRule", {"NamespaceName": "demo"})
    sync_task = s.call("CreateRepoSyncTaskByRule", {"RepoId": api, "SyncRuleId": sync_rule, "Tag": "latest"}
                       ).get("SyncTaskId", "")
    s.call("ListRepoSyncTask")
    s.call("GetRepoSyncTask", {"SyncTaskId": sync_task})
    direct = s.call("CreateRepoSyncTask", {"RepoId": api, "Tag": "latest", "TargetInstanceId": mirror,
                                           "TargetRegionId": mirror_region, "TargetNamespace": "mirror",
                                           "TargetRepoName": "api", "TargetTag": "sdk", "Override": True}
                    ).get("SyncTaskId", "")
    s.call("CancelRepoSyncTask", {"SyncTaskId": direct})
    s.call("DeleteRepoSyncRule", {"SyncRuleId": sync_rule})

    # Helm charts.
    s.call("CreateChartNamespace", {"NamespaceName": "sdk-charts", "DefaultRepoType": "PUBLIC"})
    s.call("GetChartNamespace", {"NamespaceName": "sdk-charts"})
    s.call("ListChartNamespace")
    s.call("UpdateChartNamespace", {"NamespaceName": "sdk-charts", "AutoCreateRepo": False})
    chart = {"RepoNamespaceName": "sdk-charts", "RepoName": "svc"}
    s.call("CreateChartRepository", {**chart, "RepoType": "PRIVATE", "Summary": "s"})
    s.call("GetChartRepository", chart)
    s.call("ListChartRepository", {"RepoNamespaceName": "sdk-charts"})
    s.call("UpdateChartRepository", {**chart, "RepoType": "PUBLIC"})
    s.call("ListChartRelease", {"RepoNamespaceName": "charts", "RepoName": "web", "Chart": "web"})
    s.call("DeleteChartRelease", {"RepoNamespaceName": "charts", "RepoName": "web", "Chart": "web",
                                  "Release": "0.1.0"})
    s.call("DeleteChartRepository", chart)
    s.call("DeleteChartNamespace", {"NamespaceName": "sdk-charts"})

    # Credentials; then what the run made goes.
    s.call("GetAuthorizationToken")
    s.call("ResetLoginPassword", {"Password": "Tagdeck-2024!"})
    s.call("DeleteRepository", {"RepoId": app})
    s.call("DeleteNamespace", {"NamespaceName": "sdk-ns"})


def start(binary):
    """The emulator on a free port: (process, endpoint, key id, secret, instance)."""
    process = subprocess.Popen(
        [binary, "--listen", "127.0.0.1:0", "--seed", "demo", "--task-ms", "600000"],
        stdout=subprocess.PIPE,
        text=True,
    )
    lines = {}
    first = process.stdout.readline().strip()
    prefix = "tagdeck-emulator listening on http://"
    if not first.startswith(prefix):
        process.kill()
        raise SystemExit(f"the emulator did not start: {first!r}")
    while len(lines) < 5:
        name, _, value = process.stdout.readline().strip().partition(": ")
        lines[name] = value
    return process, first[len(prefix):], lines["access-key-id"], lines["access-key-secret"], lines["instance-id"]


def main():
    process, endpoint, key_id, secret, instance = start(sys.argv[1])
    try:
        s = Session(endpoint, key_id, secret, instance)
        others = [i for i in s.call("ListInstance").get("Instances", []) if i.get("InstanceId") != instance]
        s.check(others, "ListInstance shows the second demo instance")
        mirror = others[0] if others else {}
        everything_else(s, mirror.get("InstanceId", ""), mirror.get("RegionId", ""))
    finally:
        process.kill()
        process.wait()
    missing = sorted(set(s.operations) - s.reached)
    print(f"reached {len(s.reached)} of {len(s.operations)} operations of alibabacloud-cr20181201")
    for failure in s.failures:
        print("FAIL", failure)
    if missing:
        print("not reached:", ", ".join(missing))
    return 1 if s.failures or missing else 0


if __name__ == "__main__":
    sys.exit(main())
