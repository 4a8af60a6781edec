//! Helm charts: chart namespaces (seed 003 §16), chart repositories (§17)
//! and chart versions, which the API calls releases (§18).

use super::Type::{Array, Bool, Long, Object, Str};
use super::{
    field, flag, one_of, optional, required, Field, Group, Operation, INSTANCE_ID, PAGE_NO,
    PAGE_NO_FIELD, PAGE_SIZE, PAGE_SIZE_FIELD, REGION_ID, TOTAL_COUNT_FIELD,
};

/// Repository visibility: of a chart repository, or the default of the
/// repositories created in a chart namespace.
const REPO_TYPES: &[&str] = &["PUBLIC", "PRIVATE"];

/// The life-cycle states of chart namespaces and chart repositories.
const STATUSES: &[&str] = &["NORMAL", "DELETING"];

/// One chart namespace, shared by `GetChartNamespace` and
/// `ListChartNamespace`.
const NAMESPACE_FIELDS: &[Field] = &[
    field("NamespaceName", Str),
    field("NamespaceStatus", Str),
    field("AutoCreateRepo", Bool),
    field("DefaultRepoType", Str),
    field("InstanceId", Str),
    field("NamespaceId", Str),
];

/// One chart repository, shared by `GetChartRepository` and
/// `ListChartRepository`.
const REPOSITORY_FIELDS: &[Field] = &[
    field("InstanceId", Str),
    field("RepoId", Str),
    field("RepoNamespaceName", Str),
    field("RepoName", Str),
    field("RepoStatus", Str),
    field("RepoType", Str),
    field("Summary", Str),
    field("CreateTime", Long),
    field("ModifiedTime", Long),
];

pub(super) const OPERATIONS: &[Operation] = &[
    // ---- §16 chart namespaces ----
    Operation {
        action: "UpdateChartNamespace",
        group: Group::Chart,
        doc: "seed 003 §16.1",
        summary: "Updates the settings of a chart namespace.",
        params: &[
            INSTANCE_ID,
            REGION_ID,
            required("NamespaceName"),
            flag("AutoCreateRepo", false),
            one_of("DefaultRepoType", REPO_TYPES, false),
        ],
        response: &[],
    },
    Operation {
        action: "CreateChartNamespace",
        group: Group::Chart,
        doc: "seed 003 §16.2",
        summary: "Creates a chart namespace in an instance.",
        params: &[
            INSTANCE_ID,
            REGION_ID,
            required("NamespaceName"),
            flag("AutoCreateRepo", false),
            one_of("DefaultRepoType", REPO_TYPES, false),
        ],
        response: &[],
    },
    Operation {
        action: "DeleteChartNamespace",
        group: Group::Chart,
        doc: "seed 003 §16.3",
        summary: "Deletes a chart namespace with all its repositories and charts.",
        params: &[INSTANCE_ID, REGION_ID, required("NamespaceName")],
        response: &[],
    },
    Operation {
        action: "GetChartNamespace",
        group: Group::Chart,
        doc: "seed 003 §16.4",
        summary: "Queries one chart namespace of an instance.",
        params: &[INSTANCE_ID, REGION_ID, required("NamespaceName")],
        response: NAMESPACE_FIELDS,
    },
    Operation {
        action: "ListChartNamespace",
        group: Group::Chart,
        doc: "seed 003 §16.5",
        summary: "Queries the chart namespaces of an instance, one page at a time.",
        params: &[
            INSTANCE_ID,
            REGION_ID,
            one_of("NamespaceStatus", STATUSES, false),
            optional("NamespaceName"),
            PAGE_NO,
            PAGE_SIZE,
        ],
        response: &[
            PAGE_NO_FIELD,
            PAGE_SIZE_FIELD,
            TOTAL_COUNT_FIELD,
            field("Namespaces", Array(&Object(NAMESPACE_FIELDS))),
        ],
    },
    // ---- §17 chart repositories ----
    Operation {
        action: "UpdateChartRepository",
        group: Group::Chart,
        doc: "seed 003 §17.1",
        summary: "Updates the type and summary of a chart repository.",
        params: &[
            INSTANCE_ID,
            REGION_ID,
            required("RepoNamespaceName"),
            required("RepoName"),
            one_of("RepoType", REPO_TYPES, true),
            optional("Summary"),
        ],
        response: &[],
    },
    Operation {
        action: "CreateChartRepository",
        group: Group::Chart,
        doc: "seed 003 §17.2",
        summary: "Creates a chart repository in a chart namespace.",
        params: &[
            INSTANCE_ID,
            REGION_ID,
            required("RepoNamespaceName"),
            required("RepoName"),
            one_of("RepoType", REPO_TYPES, true),
            optional("Summary"),
        ],
        response: &[field("RepoId", Str)],
    },
    Operation {
        action: "DeleteChartRepository",
        group: Group::Chart,
        doc: "seed 003 §17.3",
        summary: "Deletes a chart repository.",
        params: &[
            INSTANCE_ID,
            REGION_ID,
            required("RepoNamespaceName"),
            required("RepoName"),
        ],
        response: &[],
    },
    Operation {
        action: "ListChartRepository",
        group: Group::Chart,
        doc: "seed 003 §17.4",
        summary: "Queries the chart repositories of an instance, one page at a time.",
        // The table's example for RepoStatus is `ALL`, but its valid values
        // (and the vendor's current reference) are NORMAL and DELETING.
        params: &[
            INSTANCE_ID,
            REGION_ID,
            one_of("RepoStatus", STATUSES, false),
            optional("RepoNamespaceName"),
            optional("RepoName"),
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
        action: "GetChartRepository",
        group: Group::Chart,
        doc: "seed 003 §17.5",
        summary: "Queries one chart repository.",
        params: &[
            INSTANCE_ID,
            REGION_ID,
            required("RepoNamespaceName"),
            required("RepoName"),
        ],
        response: REPOSITORY_FIELDS,
    },
    // ---- §18 chart versions ----
    Operation {
        action: "DeleteChartRelease",
        group: Group::Chart,
        doc: "seed 003 §18.1",
        summary: "Deletes one version of a chart from a chart repository.",
        params: &[
            INSTANCE_ID,
            REGION_ID,
            required("RepoNamespaceName"),
            required("RepoName"),
            required("Chart"),
            required("Release"),
        ],
        response: &[],
    },
    Operation {
        action: "ListChartRelease",
        group: Group::Chart,
        doc: "seed 003 §18.2",
        summary: "Queries the chart versions of a chart repository, one page at a time.",
        params: &[
            INSTANCE_ID,
            REGION_ID,
            required("RepoNamespaceName"),
            required("RepoName"),
            // The chart whose versions to list ("the prefix of chart
            // versions" in the seed).
            optional("Chart"),
            PAGE_NO,
            PAGE_SIZE,
        ],
        response: &[
            PAGE_NO_FIELD,
            PAGE_SIZE_FIELD,
            TOTAL_COUNT_FIELD,
            field(
                "ChartReleases",
                Array(&Object(&[
                    field("Chart", Str),
                    field("Release", Str),
                    field("Status", Str),
                    // Bytes: the table says String and the JSON sample sends
                    // "2826"; sizes are 64-bit numbers everywhere else.
                    field("Size", Long),
                    field("InstanceId", Str),
                    field("RepoId", Str),
                    field("ModifiedTime", Long),
                ])),
            ),
        ],
    },
];
