//! Image repositories of an instance: seed 003 §11.

use super::Type::{Array, Long, Object, Str};
use super::{
    field, one_of, optional, required, Group, Operation, INSTANCE_ID, PAGE_NO, PAGE_NO_FIELD,
    PAGE_SIZE, PAGE_SIZE_FIELD, REGION_ID, TOTAL_COUNT_FIELD,
};

/// Repository visibility.
const REPO_TYPES: &[&str] = &["PUBLIC", "PRIVATE"];

/// The fields describing one repository, shared by `GetRepository` and
/// `ListRepository` (whose items carry no `Detail`; absent, it is omitted).
/// The times are milliseconds; `GetRepository` sends them as strings.
const REPOSITORY_FIELDS: &[super::Field] = &[
    field("InstanceId", Str),
    field("RepoId", Str),
    field("RepoNamespaceName", Str),
    field("RepoName", Str),
    field("RepoStatus", Str),
    field("RepoType", Str),
    field("RepoBuildType", Str),
    field("Summary", Str),
    field("Detail", Str),
    field("CreateTime", Long),
    field("ModifiedTime", Long),
];

pub(super) const OPERATIONS: &[Operation] = &[
    Operation {
        action: "DeleteRepository",
        group: Group::Repository,
        doc: "seed 003 §11.1",
        summary: "Deletes an image repository with all its images.",
        params: &[INSTANCE_ID, REGION_ID, required("RepoId")],
        response: &[],
    },
    Operation {
        action: "CreateRepository",
        group: Group::Repository,
        doc: "seed 003 §11.2",
        summary: "Creates an image repository in a namespace.",
        params: &[
            INSTANCE_ID,
            REGION_ID,
            required("RepoName"),
            required("RepoNamespaceName"),
            one_of("RepoType", REPO_TYPES, true),
            required("Summary"),
            optional("Detail"),
        ],
        response: &[field("RepoId", Str)],
    },
    Operation {
        action: "UpdateRepository",
        group: Group::Repository,
        doc: "seed 003 §11.3",
        summary: "Updates the type, summary and description of a repository.",
        params: &[
            INSTANCE_ID,
            REGION_ID,
            required("RepoId"),
            one_of("RepoType", REPO_TYPES, true),
            optional("Summary"),
            optional("Detail"),
        ],
        response: &[],
    },
    Operation {
        action: "ListRepository",
        group: Group::Repository,
        doc: "seed 003 §11.4",
        summary: "Queries the repositories of an instance, one page at a time.",
        params: &[
            INSTANCE_ID,
            REGION_ID,
            // The table's valid values omit ALL, but its example and sample
            // request use it and the current API documents it (every status).
            one_of(
                "RepoStatus",
                &["NORMAL", "DELETING", "DELETED", "ALL"],
                false,
            ),
            optional("RepoName"),
            optional("RepoNamespaceName"),
            PAGE_NO,
            PAGE_SIZE,
        ],
        response: &[
            PAGE_NO_FIELD,
            PAGE_SIZE_FIELD,
            TOTAL_COUNT_FIELD,
            field("Repositories", Array(&Object(REPOSITORY_FIELDS))),
        ],
    },
    Operation {
        action: "GetRepository",
        group: Group::Repository,
        doc: "seed 003 §11.5",
        summary: "Queries one repository, by ID or by namespace and name.",
        params: &[
            INSTANCE_ID,
            REGION_ID,
            optional("RepoId"),
            optional("RepoNamespaceName"),
            optional("RepoName"),
        ],
        response: REPOSITORY_FIELDS,
    },
];
