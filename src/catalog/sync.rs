//! Image synchronization between instances: seed 003 §9 (and the build
//! rule update that section also documents).

use super::Type::{self, Array, Long, Object, Str};
use super::{
    field, one_of, optional, required, Group, Operation, INSTANCE_ID, PAGE_NO, PAGE_NO_FIELD,
    PAGE_SIZE, PAGE_SIZE_FIELD, REGION_ID, TOTAL_COUNT_FIELD,
};

/// What a rule synchronizes: one repository or a whole namespace.
const SYNC_SCOPES: &[&str] = &["REPO", "NAMESPACE"];
/// How a rule is triggered: by hand (`INITIATIVE`) or on every push.
const SYNC_TRIGGERS: &[&str] = &["INITIATIVE", "PASSIVE"];
/// What a build rule follows in the source code repository.
const PUSH_TYPES: &[&str] = &["GIT_TAG", "GIT_BRANCH"];

/// One end of a synchronization task: `ImageFrom` or `ImageTo`.
const IMAGE_ADDRESS: Type = Object(&[
    field("RegionId", Str),
    field("RepoNamespaceName", Str),
    field("RepoName", Str),
    field("ImageTag", Str),
    field("InstanceId", Str),
]);

pub(super) const OPERATIONS: &[Operation] = &[
    Operation {
        action: "CreateRepoSyncTaskByRule",
        group: Group::Sync,
        doc: "seed 003 §9.1",
        summary: "Synchronizes one image tag now, following a manual synchronization rule.",
        params: &[
            INSTANCE_ID,
            REGION_ID,
            required("RepoId"),
            required("SyncRuleId"),
            required("Tag"),
        ],
        response: &[field("SyncTaskId", Str)],
    },
    Operation {
        action: "CreateRepoSyncRule",
        group: Group::Sync,
        doc: "seed 003 §9.2",
        summary: "Creates a rule that synchronizes a repository or namespace to another instance.",
        params: &[
            INSTANCE_ID,
            required("NamespaceName"),
            REGION_ID,
            required("RepoName"),
            required("SyncRuleName"),
            one_of("SyncScope", SYNC_SCOPES, true),
            one_of("SyncTrigger", SYNC_TRIGGERS, true),
            required("TagFilter"),
            required("TargetInstanceId"),
            required("TargetNamespaceName"),
            required("TargetRegionId"),
            // The table says TargetRepositoryName; the seed's own sample
            // request and the service use TargetRepoName.
            required("TargetRepoName"),
        ],
        response: &[field("SyncRuleId", Str)],
    },
    Operation {
        action: "DeleteRepoSyncRule",
        group: Group::Sync,
        doc: "seed 003 §9.3",
        summary: "Deletes a synchronization rule.",
        params: &[INSTANCE_ID, REGION_ID, required("SyncRuleId")],
        response: &[],
    },
    Operation {
        action: "UpdateRepoBuildRule",
        // Documented in the synchronization section (§9.4), but it changes
        // a build rule: it belongs with the build operations of §14.
        group: Group::Build,
        doc: "seed 003 §9.4",
        summary: "Updates a build rule of a repository.",
        params: &[
            required("BuildRuleId"),
            INSTANCE_ID,
            REGION_ID,
            required("RepoId"),
            // "Dockerfile Location" and "Dockerfile Name" in the table.
            optional("DockerfileLocation"),
            optional("DockerfileName"),
            optional("ImageTag"),
            optional("PushName"),
            one_of("PushType", PUSH_TYPES, false),
        ],
        // In the table, not in the samples.
        response: &[field("BuildRuleId", Str)],
    },
    Operation {
        action: "ListRepoSyncTask",
        group: Group::Sync,
        doc: "seed 003 §9.5",
        summary: "Queries the synchronization tasks of an instance, one page at a time.",
        params: &[
            INSTANCE_ID,
            REGION_ID,
            PAGE_NO,
            PAGE_SIZE,
            optional("SyncRecordId"),
        ],
        response: &[
            PAGE_NO_FIELD,
            PAGE_SIZE_FIELD,
            TOTAL_COUNT_FIELD,
            field(
                "SyncTasks",
                Array(&Object(&[
                    field("SyncTaskId", Str),
                    field("TaskStatus", Str),
                    field("TaskTrigger", Str),
                    field("SyncRuleId", Str),
                    field("CreateTime", Long),
                    field("ModifiedTime", Long),
                    field("ImageFrom", IMAGE_ADDRESS),
                    field("ImageTo", IMAGE_ADDRESS),
                ])),
            ),
        ],
    },
    Operation {
        action: "ListRepoSyncRule",
        group: Group::Sync,
        doc: "seed 003 §9.6",
        summary: "Queries the synchronization rules of an instance, one page at a time.",
        params: &[
            INSTANCE_ID,
            REGION_ID,
            PAGE_NO,
            PAGE_SIZE,
            optional("NamespaceName"),
            optional("RepoName"),
            optional("TargetInstanceId"),
            optional("TargetRegionId"),
        ],
        response: &[
            PAGE_NO_FIELD,
            PAGE_SIZE_FIELD,
            TOTAL_COUNT_FIELD,
            field(
                "SyncRules",
                Array(&Object(&[
                    field("SyncRuleId", Str),
                    field("LocalRegionId", Str),
                    field("LocalInstanceId", Str),
                    field("LocalNamespaceName", Str),
                    // The table says LocalRepositoryName and
                    // TargetRepositoryName; the service sends LocalRepoName
                    // and TargetRepoName (as in the official SDKs, and as
                    // CreateRepoSyncRule takes TargetRepoName).
                    field("LocalRepoName", Str),
                    field("TargetRegionId", Str),
                    field("TargetInstanceId", Str),
                    field("TargetNamespaceName", Str),
                    field("TargetRepoName", Str),
                    field("TagFilter", Str),
                    field("SyncScope", Str),
                    field("SyncDirection", Str),
                    field("CreateTime", Long),
                    field("ModifiedTime", Long),
                    field("SyncRuleName", Str),
                    field("SyncTrigger", Str),
                ])),
            ),
        ],
    },
    Operation {
        action: "GetRepoSyncTask",
        group: Group::Sync,
        doc: "seed 003 §9.7",
        summary: "Queries a synchronization task and the progress of its layers.",
        params: &[INSTANCE_ID, REGION_ID, required("SyncTaskId")],
        response: &[
            field("SyncTaskId", Str),
            field("TaskStatus", Str),
            field("TaskTrigger", Str),
            field("SyncRuleId", Str),
            // 0 (started or failed) or 1 (done); the JSON sample sends `1.0`.
            field("Progress", Long),
            field("SyncedSize", Long),
            field(
                "LayerTasks",
                Array(&Object(&[
                    field("SyncLayerTaskId", Str),
                    field("TaskStatus", Str),
                    field("Digest", Str),
                    field("Size", Long),
                    field("SyncedSize", Long),
                ])),
            ),
            field("ImageFrom", IMAGE_ADDRESS),
            field("ImageTo", IMAGE_ADDRESS),
        ],
    },
];
