//! Repository triggers (webhooks called when an image is built): seed 003 §15.

use super::Type::{Array, Object, Str};
use super::{field, one_of, optional, required, Group, Operation, INSTANCE_ID, REGION_ID};

/// How a trigger selects the image tags that fire it.
const TRIGGER_TYPES: &[&str] = &["ALL", "TAG_LIST", "TAG_REG_EXP"];

pub(super) const OPERATIONS: &[Operation] = &[
    Operation {
        action: "UpdateRepoTrigger",
        group: Group::Trigger,
        doc: "seed 003 §15.1",
        summary: "Updates a trigger of a repository.",
        params: &[
            INSTANCE_ID,
            REGION_ID,
            required("RepoId"),
            required("TriggerId"),
            required("TriggerName"),
            optional("TriggerUrl"),
            one_of("TriggerType", TRIGGER_TYPES, false),
            optional("TriggerTag"),
        ],
        response: &[],
    },
    Operation {
        action: "ListRepoTrigger",
        group: Group::Trigger,
        doc: "seed 003 §15.2",
        summary: "Queries the triggers of a repository.",
        params: &[INSTANCE_ID, REGION_ID, required("RepoId")],
        response: &[field(
            "Triggers",
            Array(&Object(&[
                field("TriggerId", Str),
                field("TriggerName", Str),
                field("TriggerUrl", Str),
                field("RepoEvent", Str),
                field("TriggerType", Str),
                field("TriggerTag", Str),
            ])),
        )],
    },
    Operation {
        action: "CreateRepoTrigger",
        group: Group::Trigger,
        doc: "seed 003 §15.3",
        summary: "Creates a trigger that calls a URL when a matching image is built.",
        params: &[
            INSTANCE_ID,
            REGION_ID,
            required("RepoId"),
            required("TriggerName"),
            required("TriggerTag"),
            one_of("TriggerType", TRIGGER_TYPES, true),
            required("TriggerUrl"),
        ],
        response: &[field("TriggerId", Str)],
    },
    Operation {
        action: "DeleteRepoTrigger",
        group: Group::Trigger,
        doc: "seed 003 §15.4",
        summary: "Deletes a trigger of a repository.",
        params: &[
            INSTANCE_ID,
            REGION_ID,
            required("RepoId"),
            required("TriggerId"),
        ],
        response: &[],
    },
];
