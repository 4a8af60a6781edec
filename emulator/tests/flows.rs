//! What clients rely on beyond single answers: exact paging, creates that
//! later reads see, deletes that remove, updates that stick, and work that
//! moves through its states as time passes (a manual clock drives it).

mod common;

use std::collections::HashSet;
use std::net::SocketAddr;

use common::*;
use tagdeck::Value;
use tagdeck_emulator::seed::{MIRROR_INSTANCE_ID, MIRROR_REGION_ID};

#[test]
fn paging_through_every_tag_of_big_app_is_exact() {
    let server = start();
    let big = repo_id(server.addr, "demo", "big-app");
    let mut names = HashSet::new();
    let mut last_update = i64::MAX;
    let mut page_no = 1;
    loop {
        let no = page_no.to_string();
        let page = ok(
            server.addr,
            "ListRepoTag",
            &[("RepoId", &big), ("PageNo", &no), ("PageSize", "100")],
        );
        assert_eq!(int(&page, "TotalCount"), 2_400);
        assert_eq!(int(&page, "PageNo"), page_no);
        assert_eq!(int(&page, "PageSize"), 100);
        let images = list(&page, "Images");
        if images.is_empty() {
            break;
        }
        for image in images {
            assert!(
                names.insert(text(image, "Tag").to_string()),
                "{} twice",
                text(image, "Tag")
            );
            let updated = int(image, "ImageUpdate");
            assert!(updated <= last_update, "newest first");
            last_update = updated;
            assert_eq!(text(image, "Digest").len(), 64);
            assert!(int(image, "ImageSize") > 0);
        }
        page_no += 1;
    }
    assert_eq!(names.len(), 2_400);
    assert_eq!(page_no, 25, "24 full pages, then an empty one");

    // A last page that is not full.
    let last = ok(
        server.addr,
        "ListRepoTag",
        &[("RepoId", &big), ("PageNo", "343"), ("PageSize", "7")],
    );
    assert_eq!(list(&last, "Images").len(), 2_400 - 342 * 7);
    // The default page size is 30.
    let first = ok(server.addr, "ListRepoTag", &[("RepoId", &big)]);
    assert_eq!(list(&first, "Images").len(), 30);
    assert_eq!(int(&first, "PageSize"), 30);
}

#[test]
fn tags_sharing_a_digest_share_their_image() {
    let server = start();
    let web = repo_id(server.addr, "demo", "web");
    let all = ok(
        server.addr,
        "ListRepoTag",
        &[("RepoId", &web), ("PageSize", "100")],
    );
    let images = list(&all, "Images");
    let latest = images.iter().find(|i| text(i, "Tag") == "latest").unwrap();
    let twins: Vec<_> = images
        .iter()
        .filter(|i| text(i, "Digest") == text(latest, "Digest"))
        .collect();
    assert!(
        twins.len() >= 2,
        "latest shares its digest with a version tag"
    );
    for twin in twins {
        assert_eq!(text(twin, "ImageId"), text(latest, "ImageId"));
        assert_eq!(int(twin, "ImageSize"), int(latest, "ImageSize"));
    }
}

#[test]
fn create_repo_tag_copies_the_image_and_delete_removes_it() {
    let server = start();
    let web = repo_id(server.addr, "demo", "web");
    let before = int(
        &ok(server.addr, "ListRepoTag", &[("RepoId", &web)]),
        "TotalCount",
    );
    let source = ok(server.addr, "GetRepoTag", &repo_tag(&web, "stable"));
    ok(
        server.addr,
        "CreateRepoTag",
        &copy_tag("demo", "web", "stable", "copy-1"),
    );
    let copy = ok(server.addr, "GetRepoTag", &repo_tag(&web, "copy-1"));
    for key in ["Digest", "ImageId"] {
        assert_eq!(text(&copy, key), text(&source, key));
    }
    assert_eq!(int(&copy, "ImageSize"), int(&source, "ImageSize"));
    assert_eq!(
        int(
            &ok(server.addr, "ListRepoTag", &[("RepoId", &web)]),
            "TotalCount"
        ),
        before + 1
    );
    // The copy is the newest tag, first in the list.
    let newest = ok(
        server.addr,
        "ListRepoTag",
        &[("RepoId", &web), ("PageSize", "1")],
    );
    assert_eq!(text(&list(&newest, "Images")[0], "Tag"), "copy-1");
    let layers = ok(server.addr, "GetRepoTagLayers", &repo_tag(&web, "copy-1"));
    let manifest = ok(server.addr, "GetRepoTagManifest", &repo_tag(&web, "copy-1"));
    let manifest = manifest.get("Manifest").unwrap();
    assert_eq!(
        list(&layers, "Layers").len(),
        list(manifest, "layers").len()
    );
    assert_eq!(
        text(manifest.get("config").unwrap(), "digest"),
        format!("sha256:{}", text(&source, "ImageId"))
    );

    let refused_copy = |from, to| {
        fails(
            server.addr,
            "CreateRepoTag",
            &copy_tag("demo", "web", from, to),
        )
    };
    let again = refused_copy("stable", "copy-1");
    assert_eq!(
        (again.code.as_str(), again.http_status),
        ("TAG_ALREADY_EXIST", 200)
    );
    let no_source = refused_copy("nope", "copy-2");
    assert_eq!(no_source.code, "TAG_NOT_EXIST");
    let bad_name = refused_copy("stable", "-bad");
    assert_eq!(
        (bad_name.code.as_str(), bad_name.http_status),
        ("InvalidParameter", 400)
    );
    assert!(bad_name.message.contains("ToTag"));

    ok(server.addr, "DeleteRepoTag", &repo_tag(&web, "copy-1"));
    assert_eq!(
        fails(server.addr, "GetRepoTag", &repo_tag(&web, "copy-1")).code,
        "TAG_NOT_EXIST"
    );
    assert_eq!(
        fails(server.addr, "DeleteRepoTag", &repo_tag(&web, "copy-1")).code,
        "TAG_NOT_EXIST"
    );
    assert_eq!(
        int(
            &ok(server.addr, "ListRepoTag", &[("RepoId", &web)]),
            "TotalCount"
        ),
        before
    );
}

#[test]
fn instances_are_seen_in_their_own_region_only() {
    let server = start();
    let wrong = call(
        server.addr,
        "GetInstance",
        &[("InstanceId", INSTANCE), ("RegionId", "cn-shanghai")],
    )
    .api_error();
    assert_eq!(wrong.code, "INSTANCE_NOT_EXIST");
    let listed = call(server.addr, "ListInstance", &[("RegionId", "cn-shanghai")]).ok();
    assert_eq!(
        text(&list(&listed, "Instances")[0], "InstanceId"),
        MIRROR_INSTANCE_ID
    );
}

#[test]
fn updates_change_what_later_reads_return() {
    let server = start();
    let web = repo_id(server.addr, "demo", "web");
    ok(
        server.addr,
        "UpdateRepository",
        &[
            ("RepoId", &web),
            ("RepoType", "PRIVATE"),
            ("Summary", "new summary"),
            ("Detail", "new detail"),
        ],
    );
    let repo = ok(server.addr, "GetRepository", &[("RepoId", &web)]);
    assert_eq!(
        (
            text(&repo, "RepoType"),
            text(&repo, "Summary"),
            text(&repo, "Detail")
        ),
        ("PRIVATE", "new summary", "new detail")
    );

    ok(
        server.addr,
        "UpdateNamespace",
        &[
            ("NamespaceName", "demo"),
            ("AutoCreateRepo", "false"),
            ("DefaultRepoType", "PUBLIC"),
        ],
    );
    let ns = ok(server.addr, "GetNamespace", &[("NamespaceName", "demo")]);
    assert_eq!(ns.get("AutoCreateRepo"), Some(&Value::Bool(false)));
    assert_eq!(text(&ns, "DefaultRepoType"), "PUBLIC");
    // `DefaultRepositoryType` (a name older documents used) is not one the
    // service reads, per the official SDK: it changes nothing.
    ok(
        server.addr,
        "UpdateNamespace",
        &[
            ("NamespaceName", "demo"),
            ("DefaultRepositoryType", "PRIVATE"),
        ],
    );
    let ns = ok(server.addr, "GetNamespace", &[("NamespaceName", "demo")]);
    assert_eq!(text(&ns, "DefaultRepoType"), "PUBLIC");

    ok(
        server.addr,
        "UpdateInstanceEndpointStatus",
        &[("EndpointType", "internet"), ("Enable", "false")],
    );
    ok(
        server.addr,
        "CreateInstanceEndpointAclPolicy",
        &[
            ("EndpointType", "internet"),
            ("Entry", "198.51.100.7/32"),
            ("Comment", "ci runner"),
        ],
    );
    let endpoint = ok(
        server.addr,
        "GetInstanceEndpoint",
        &[("EndpointType", "internet")],
    );
    assert_eq!(endpoint.get("Enable"), Some(&Value::Bool(false)));
    assert_eq!(text(&endpoint, "Status"), "STOPPED");
    assert!(list(&endpoint, "AclEntries")
        .iter()
        .any(|e| text(e, "Entry") == "198.51.100.7/32" && text(e, "Comment") == "ci runner"));
    let dup = fails(
        server.addr,
        "CreateInstanceEndpointAclPolicy",
        &[("EndpointType", "internet"), ("Entry", "198.51.100.7/32")],
    );
    assert_eq!(dup.code, "ACL_ENTRY_ALREADY_EXIST");
    let bad = fails(
        server.addr,
        "CreateInstanceEndpointAclPolicy",
        &[("EndpointType", "internet"), ("Entry", "300.1.1.1/8")],
    );
    assert!(bad.message.contains("Entry"));
}

#[test]
fn deleting_a_namespace_removes_its_repositories() {
    let server = start();
    ok(
        server.addr,
        "CreateNamespace",
        &[("NamespaceName", "short-lived")],
    );
    let r1 = [
        ("RepoNamespaceName", "short-lived"),
        ("RepoName", "r1"),
        ("RepoType", "PRIVATE"),
        ("Summary", "s"),
    ];
    let repo = ok_text(server.addr, "CreateRepository", &r1, "RepoId");
    let dup = fails(server.addr, "CreateRepository", &r1);
    assert_eq!(dup.code, "REPO_ALREADY_EXIST");
    let usage = ok(server.addr, "GetInstanceUsage", &[]);
    assert_eq!(
        (int(&usage, "NamespaceUsage"), int(&usage, "RepoUsage")),
        (5, 11)
    );
    ok(
        server.addr,
        "DeleteNamespace",
        &[("NamespaceName", "short-lived")],
    );
    assert_eq!(
        fails(server.addr, "GetRepository", &[("RepoId", &repo)]).code,
        "REPO_NOT_EXIST"
    );
    assert_eq!(
        fails(
            server.addr,
            "GetNamespace",
            &[("NamespaceName", "short-lived")]
        )
        .code,
        "NAMESPACE_NOT_EXIST"
    );
    let usage = ok(server.addr, "GetInstanceUsage", &[]);
    assert_eq!(
        (int(&usage, "NamespaceUsage"), int(&usage, "RepoUsage")),
        (4, 10)
    );
    let bad = fails(
        server.addr,
        "CreateNamespace",
        &[("NamespaceName", "Bad Name")],
    );
    assert!(bad.message.contains("NamespaceName"));
}

#[test]
fn builds_move_from_pending_through_building_to_success_and_push_their_tag() {
    let (server, clock) = start_with_clock(4_000);
    let web = repo_id(server.addr, "demo", "web");
    let rule = ok_text(
        server.addr,
        "CreateRepoBuildRule",
        &[
            ("RepoId", &web),
            ("DockerfileLocation", "/"),
            ("DockerfileName", "Dockerfile"),
            ("ImageTag", "nightly"),
            ("PushName", "main"),
            ("PushType", "GIT_BRANCH"),
        ],
        "BuildRuleId",
    );
    let record = ok_text(
        server.addr,
        "CreateBuildRecordByRule",
        &[("RepoId", &web), ("BuildRuleId", &rule)],
        "BuildRecordId",
    );
    let status = |addr| {
        ok_text(
            addr,
            "GetRepoBuildRecordStatus",
            &[("RepoId", &web), ("BuildRecordId", &record)],
            "BuildStatus",
        )
    };
    assert_eq!(status(server.addr), "PENDING");
    assert_eq!(
        fails(server.addr, "GetRepoTag", &repo_tag(&web, "nightly")).code,
        "TAG_NOT_EXIST"
    );
    clock.advance(1_500);
    assert_eq!(status(server.addr), "BUILDING");
    clock.advance(3_000);
    assert_eq!(status(server.addr), "SUCCESS");
    let built = ok(server.addr, "GetRepoTag", &repo_tag(&web, "nightly"));
    assert_eq!(text(&built, "Digest").len(), 64);
    let record_answer = ok(
        server.addr,
        "GetRepoBuildRecord",
        &[("BuildRecordId", &record)],
    );
    assert_eq!(text(&record_answer, "Status"), "SUCCESS");
    assert!(int(&record_answer, "EndTime") > int(&record_answer, "StartTime"));
    let late = fails(
        server.addr,
        "CancelRepoBuildRecord",
        &[("RepoId", &web), ("BuildRecordId", &record)],
    );
    assert_eq!(late.code, "BUILD_RECORD_NOT_CANCELABLE");

    // A cancelled build stays cancelled and pushes nothing.
    ok(
        server.addr,
        "UpdateRepoBuildRule",
        &[
            ("RepoId", &web),
            ("BuildRuleId", &rule),
            ("ImageTag", "cancelled"),
        ],
    );
    let second = ok_text(
        server.addr,
        "CreateBuildRecordByRule",
        &[("RepoId", &web), ("BuildRuleId", &rule)],
        "BuildRecordId",
    );
    ok(
        server.addr,
        "CancelRepoBuildRecord",
        &[("RepoId", &web), ("BuildRecordId", &second)],
    );
    clock.advance(10_000);
    let records = ok(server.addr, "ListRepoBuildRecord", &[("RepoId", &web)]);
    let newest = &list(&records, "BuildRecords")[0];
    assert_eq!(
        (text(newest, "BuildRecordId"), text(newest, "BuildStatus")),
        (second.as_str(), "CANCELED")
    );
    assert_eq!(
        fails(server.addr, "GetRepoTag", &repo_tag(&web, "cancelled")).code,
        "TAG_NOT_EXIST"
    );
}

#[test]
fn sync_tasks_copy_the_tag_to_the_target_instance() {
    let (server, clock) = start_with_clock(4_000);
    let api = repo_id(server.addr, "demo", "api");
    let rule = ok_text(
        server.addr,
        "CreateRepoSyncRule",
        &[
            ("NamespaceName", "demo"),
            ("RepoName", "api"),
            ("SyncRuleName", "api-mirror"),
            ("SyncScope", "REPO"),
            ("SyncTrigger", "PASSIVE"),
            ("TagFilter", "latest|stable"),
            ("TargetInstanceId", MIRROR_INSTANCE_ID),
            ("TargetNamespaceName", "mirror"),
            ("TargetRegionId", MIRROR_REGION_ID),
            ("TargetRepoName", "api-copy"),
        ],
        "SyncRuleId",
    );
    let unmatched = fails(
        server.addr,
        "CreateRepoSyncTaskByRule",
        &[("RepoId", &api), ("SyncRuleId", &rule), ("Tag", "1.0.0")],
    );
    assert_eq!(unmatched.code, "TAG_NOT_MATCH_RULE");
    let task = ok_text(
        server.addr,
        "CreateRepoSyncTaskByRule",
        &[("RepoId", &api), ("SyncRuleId", &rule), ("Tag", "latest")],
        "SyncTaskId",
    );
    let get = |addr| ok(addr, "GetRepoSyncTask", &[("SyncTaskId", &task)]);
    let pending = get(server.addr);
    assert_eq!(text(&pending, "TaskStatus"), "PENDING");
    assert_eq!(int(&pending, "SyncedSize"), 0);
    clock.advance(1_500);
    let syncing = get(server.addr);
    assert_eq!(text(&syncing, "TaskStatus"), "SYNCING");
    assert!(list(&syncing, "LayerTasks")
        .iter()
        .any(|l| text(l, "TaskStatus") == "SUCCESS"));
    clock.advance(3_000);
    let done = get(server.addr);
    assert_eq!(text(&done, "TaskStatus"), "SUCCESS");
    assert_eq!(int(&done, "Progress"), 1);
    let total: i64 = list(&done, "LayerTasks")
        .iter()
        .map(|l| int(l, "Size"))
        .sum();
    assert_eq!(int(&done, "SyncedSize"), total);

    let source = ok(server.addr, "GetRepoTag", &repo_tag(&api, "latest"));
    let (mirror, copied) = mirrored(server.addr, "api-copy", "latest");
    assert_eq!(text(&mirror, "RepoBuildType"), "AUTO");
    assert_eq!(text(&copied, "Digest"), text(&source, "Digest"));
}

#[test]
fn initiative_rules_synchronise_on_push() {
    let (server, clock) = start_with_clock(2_000);
    let rule = ok_text(
        server.addr,
        "CreateRepoSyncRule",
        &[
            ("NamespaceName", "demo"),
            ("RepoName", "worker"),
            ("SyncRuleName", "on-push"),
            ("SyncScope", "NAMESPACE"),
            ("SyncTrigger", "INITIATIVE"),
            ("TagFilter", "release-.*"),
            ("TargetInstanceId", MIRROR_INSTANCE_ID),
            ("TargetNamespaceName", "mirror"),
            ("TargetRegionId", MIRROR_REGION_ID),
            ("TargetRepoName", "unused-for-namespace-scope"),
        ],
        "SyncRuleId",
    );
    ok(
        server.addr,
        "CreateRepoTag",
        &copy_tag("demo", "worker", "latest", "snapshot"),
    );
    ok(
        server.addr,
        "CreateRepoTag",
        &copy_tag("demo", "worker", "latest", "release-9"),
    );
    let tasks = ok(server.addr, "ListRepoSyncTask", &[("SyncRecordId", &rule)]);
    assert_eq!(
        int(&tasks, "TotalCount"),
        1,
        "only the tag matching the filter"
    );
    let task = &list(&tasks, "SyncTasks")[0];
    assert_eq!(text(task, "TaskTrigger"), "INITIATIVE");
    assert_eq!(text(task.get("ImageTo").unwrap(), "RepoName"), "worker");
    clock.advance(5_000);
    mirrored(server.addr, "worker", "release-9");
}

/// What a sync made in the mirror instance's namespace `mirror`: the
/// answers of GetRepository for `repository` and of GetRepoTag for `tag`
/// in it; panics unless both exist.
fn mirrored(addr: SocketAddr, repository: &str, tag: &str) -> (Value, Value) {
    let in_mirror = [
        ("InstanceId", MIRROR_INSTANCE_ID),
        ("RegionId", MIRROR_REGION_ID),
    ];
    let repo = call(
        addr,
        "GetRepository",
        &[
            &in_mirror[..],
            &[("RepoNamespaceName", "mirror"), ("RepoName", repository)],
        ]
        .concat(),
    )
    .ok();
    let copied = call(
        addr,
        "GetRepoTag",
        &[
            &in_mirror[..],
            &[("RepoId", text(&repo, "RepoId")), ("Tag", tag)],
        ]
        .concat(),
    )
    .ok();
    (repo, copied)
}

#[test]
fn linked_vpcs_come_up_after_a_while_and_scans_finish() {
    let (server, clock) = start_with_clock(3_000);
    ok(
        server.addr,
        "CreateInstanceVpcEndpointLinkedVpc",
        &[("VpcId", "vpc-new1"), ("VswitchId", "vsw-new1")],
    );
    let status = |addr| {
        let vpcs = ok(addr, "GetInstanceVpcEndpoint", &[]);
        list(&vpcs, "LinkedVpcs")
            .iter()
            .find(|v| text(v, "VpcId") == "vpc-new1")
            .map(|v| text(v, "Status").to_string())
            .unwrap()
    };
    assert_eq!(status(server.addr), "CREATING");
    clock.advance(3_000);
    assert_eq!(status(server.addr), "RUNNING");
    let bad = fails(
        server.addr,
        "CreateInstanceVpcEndpointLinkedVpc",
        &[("VpcId", "nope"), ("VswitchId", "vsw-1")],
    );
    assert!(bad.message.contains("VpcId"));

    let web = repo_id(server.addr, "demo", "web");
    ok(
        server.addr,
        "CreateRepoTagScanTask",
        &repo_tag(&web, "latest"),
    );
    assert_eq!(
        fails(
            server.addr,
            "CreateRepoTagScanTask",
            &repo_tag(&web, "latest")
        )
        .code,
        "SCAN_TASK_IN_PROGRESS"
    );
    clock.advance(3_000);
    ok(
        server.addr,
        "CreateRepoTagScanTask",
        &repo_tag(&web, "latest"),
    );
}

#[test]
fn chart_releases_can_be_listed_and_deleted() {
    let server = start();
    let releases = ok(
        server.addr,
        "ListChartRelease",
        &[("RepoNamespaceName", "charts"), ("RepoName", "web")],
    );
    assert_eq!(int(&releases, "TotalCount"), 6);
    ok(
        server.addr,
        "DeleteChartRelease",
        &[
            ("RepoNamespaceName", "charts"),
            ("RepoName", "web"),
            ("Chart", "web"),
            ("Release", "0.2.1"),
        ],
    );
    let after = ok(
        server.addr,
        "ListChartRelease",
        &[("RepoNamespaceName", "charts"), ("RepoName", "web")],
    );
    assert_eq!(int(&after, "TotalCount"), 5);
    assert!(!list(&after, "ChartReleases")
        .iter()
        .any(|r| text(r, "Release") == "0.2.1"));
}

#[test]
fn the_empty_seed_has_regions_and_nothing_else() {
    let server = start_with(|c| c.seed = tagdeck_emulator::seed::Seed::Empty);
    let instances = call(server.addr, "ListInstance", &[("RegionId", REGION)]).ok();
    assert_eq!(int(&instances, "TotalCount"), 0);
    assert!(list(&instances, "Instances").is_empty());
    let regions = call(server.addr, "ListInstanceRegion", &[("RegionId", REGION)]).ok();
    assert!(list(&regions, "Regions")
        .iter()
        .any(|r| text(r, "RegionId") == REGION));
    assert_eq!(
        fails(server.addr, "ListNamespace", &[]).code,
        "INSTANCE_NOT_EXIST"
    );
    let scw = with_token(server.addr, "GET", "/registry/v1/regions/fr-par/namespaces");
    assert_eq!(scw.json()["total_count"], 0);
}
