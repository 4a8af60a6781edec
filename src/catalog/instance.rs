//! Enterprise Edition instances: seed 003 §7.

use super::Type::{Array, Int, Long, Object, Str};
use super::{
    field, one_of, optional, Group, Operation, INSTANCE_ID, PAGE_NO, PAGE_NO_FIELD, PAGE_SIZE,
    PAGE_SIZE_FIELD, REGION_ID, TOTAL_COUNT_FIELD,
};

/// The states an instance goes through (ListInstance's "Valid values").
const INSTANCE_STATES: &[&str] = &[
    "PENDING",
    "INIT_ERROR",
    "STARTING",
    "RUNNING",
    "STOPPING",
    "STOPPED",
    "DELETING",
    "DELETED",
];

pub(super) const OPERATIONS: &[Operation] = &[
    Operation {
        action: "GetInstance",
        group: Group::Instance,
        doc: "seed 003 §7.1",
        summary: "Queries the information of an instance.",
        params: &[INSTANCE_ID, REGION_ID],
        response: &[
            field("InstanceName", Str),
            field("InstanceSpecification", Str),
            field("InstanceStatus", Str),
            field("CreateTime", Long),
            field("ModifiedTime", Long),
            field("InstanceId", Str),
        ],
    },
    Operation {
        action: "GetInstanceUsage",
        group: Group::Instance,
        doc: "seed 003 §7.2",
        summary: "Queries the namespace and repository quotas of an instance and their usage.",
        params: &[INSTANCE_ID, REGION_ID],
        // The table says String; these are counts and the sample sends numbers.
        response: &[
            field("NamespaceQuota", Int),
            field("NamespaceUsage", Int),
            field("RepoQuota", Int),
            field("RepoUsage", Int),
        ],
    },
    Operation {
        action: "ListInstanceRegion",
        group: Group::Instance,
        doc: "seed 003 §7.3",
        summary: "Queries the regions where instances can be created.",
        params: &[REGION_ID, optional("Lang")],
        response: &[field(
            "Regions",
            Array(&Object(&[field("RegionId", Str), field("LocalName", Str)])),
        )],
    },
    Operation {
        action: "ListInstance",
        group: Group::Instance,
        doc: "seed 003 §7.4",
        summary: "Queries instances, one page at a time.",
        // The table's example status is `running`, but its valid values and
        // every status the service returns are upper case.
        params: &[
            REGION_ID,
            optional("InstanceName"),
            one_of("InstanceStatus", INSTANCE_STATES, false),
            PAGE_NO,
            PAGE_SIZE,
        ],
        response: &[
            PAGE_NO_FIELD,
            PAGE_SIZE_FIELD,
            // Not in the seed's table or sample, but the service sends it
            // (the official SDKs' ListInstance answer has it) and a pager
            // needs it.
            TOTAL_COUNT_FIELD,
            field(
                "Instances",
                Array(&Object(&[
                    field("InstanceId", Str),
                    field("InstanceName", Str),
                    field("InstanceSpecification", Str),
                    field("InstanceStatus", Str),
                    // Millisecond times: String in the table, numbers on the wire.
                    field("CreateTime", Long),
                    field("ModifiedTime", Long),
                    field("RegionId", Str),
                ])),
            ),
        ],
    },
];
