//! Image builds: build rules and build records, seed 003 §14.
//!
//! (Section 1 of the seed swaps the descriptions of `GetRepoBuildRecord` and
//! `GetRepoBuildRecordStatus`; the summaries here follow §14.7 and §14.8.)

use super::Type::{Array, Long, Object, Str};
use super::{
    field, one_of, required, Group, Operation, INSTANCE_ID, PAGE_NO, PAGE_NO_FIELD, PAGE_SIZE,
    PAGE_SIZE_FIELD, REGION_ID, TOTAL_COUNT_FIELD,
};

/// What kind of Git reference a build rule watches.
const PUSH_TYPES: &[&str] = &["GIT_TAG", "GIT_BRANCH"];

pub(super) const OPERATIONS: &[Operation] = &[
    Operation {
        action: "CancelRepoBuildRecord",
        group: Group::Build,
        doc: "seed 003 §14.1",
        summary: "Cancels an image build.",
        params: &[
            INSTANCE_ID,
            REGION_ID,
            required("RepoId"),
            required("BuildRecordId"),
        ],
        response: &[],
    },
    Operation {
        action: "CreateBuildRecordByRule",
        group: Group::Build,
        doc: "seed 003 §14.2",
        summary: "Starts an image build from a build rule.",
        params: &[
            INSTANCE_ID,
            REGION_ID,
            required("RepoId"),
            required("BuildRuleId"),
        ],
        response: &[field("BuildRecordId", Str)],
    },
    Operation {
        action: "CreateRepoBuildRule",
        group: Group::Build,
        doc: "seed 003 §14.3",
        summary: "Creates an image build rule for a repository.",
        // The table spells "Dockerfile Location" and "Dockerfile Name"; the
        // sample request shows the wire names.
        params: &[
            INSTANCE_ID,
            REGION_ID,
            required("RepoId"),
            required("DockerfileLocation"),
            required("DockerfileName"),
            required("ImageTag"),
            required("PushName"),
            one_of("PushType", PUSH_TYPES, true),
        ],
        response: &[field("BuildRuleId", Str)],
    },
    Operation {
        action: "DeleteRepoBuildRule",
        group: Group::Build,
        doc: "seed 003 §14.4",
        summary: "Deletes an image build rule of a repository.",
        params: &[
            INSTANCE_ID,
            REGION_ID,
            required("RepoId"),
            required("BuildRuleId"),
        ],
        response: &[],
    },
    Operation {
        action: "ListRepoBuildRule",
        group: Group::Build,
        doc: "seed 003 §14.5",
        summary: "Queries the image build rules of a repository, one page at a time.",
        params: &[
            INSTANCE_ID,
            REGION_ID,
            required("RepoId"),
            PAGE_NO,
            PAGE_SIZE,
        ],
        response: &[
            PAGE_NO_FIELD,
            PAGE_SIZE_FIELD,
            TOTAL_COUNT_FIELD,
            field(
                "BuildRules",
                Array(&Object(&[
                    field("BuildRuleId", Str),
                    field("DockerfileLocation", Str),
                    field("DockerfileName", Str),
                    field("PushType", Str),
                    field("PushName", Str),
                    field("ImageTag", Str),
                ])),
            ),
        ],
    },
    Operation {
        action: "ListRepoBuildRecord",
        group: Group::Build,
        doc: "seed 003 §14.6",
        summary: "Queries the image build records of a repository, one page at a time.",
        params: &[
            INSTANCE_ID,
            REGION_ID,
            required("RepoId"),
            PAGE_NO,
            PAGE_SIZE,
        ],
        response: &[
            PAGE_NO_FIELD,
            PAGE_SIZE_FIELD,
            TOTAL_COUNT_FIELD,
            field(
                "BuildRecords",
                Array(&Object(&[
                    field("BuildRecordId", Str),
                    // Milliseconds since the epoch: the table says String, the
                    // sample sends numbers.
                    field("StartTime", Long),
                    field("EndTime", Long),
                    field("BuildStatus", Str),
                    field(
                        "Image",
                        Object(&[
                            field("RepoId", Str),
                            field("RepoNamespaceName", Str),
                            field("RepoName", Str),
                            field("ImageTag", Str),
                        ]),
                    ),
                ])),
            ),
        ],
    },
    Operation {
        action: "GetRepoBuildRecordStatus",
        group: Group::Build,
        doc: "seed 003 §14.7",
        summary: "Queries the status of an image build.",
        params: &[
            INSTANCE_ID,
            REGION_ID,
            required("RepoId"),
            required("BuildRecordId"),
        ],
        response: &[field("BuildStatus", Str)],
    },
    Operation {
        action: "GetRepoBuildRecord",
        group: Group::Build,
        doc: "seed 003 §14.8",
        summary: "Queries an image build record.",
        // No RepoId: the table lists none, nor does the sample request.
        params: &[INSTANCE_ID, REGION_ID, required("BuildRecordId")],
        response: &[
            field("BuildRecordId", Str),
            field("StartTime", Long),
            field("EndTime", Long),
            // A build status such as `SUCCESS`; the sample's JSON sends the
            // boolean `true` here, which the decoder keeps as the text "true".
            field("Status", Str),
            field(
                "Image",
                Object(&[
                    field("RepoNamespaceName", Str),
                    field("RepoName", Str),
                    field("ImageTag", Str),
                ]),
            ),
        ],
    },
];
