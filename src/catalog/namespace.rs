//! Image namespaces of an instance: seed 003 §10.

use super::Type::{Array, Bool, Object, Str};
use super::{
    field, flag, one_of, optional, required, Group, Operation, INSTANCE_ID, PAGE_NO, PAGE_NO_FIELD,
    PAGE_SIZE, PAGE_SIZE_FIELD, REGION_ID, TOTAL_COUNT_FIELD,
};

/// Repository visibility, for the default type of new repositories.
const REPO_TYPES: &[&str] = &["PUBLIC", "PRIVATE"];

/// The fields describing one namespace, shared by `GetNamespace` and
/// `ListNamespace`.
const NAMESPACE_FIELDS: &[super::Field] = &[
    field("NamespaceName", Str),
    field("NamespaceStatus", Str),
    field("AutoCreateRepo", Bool),
    field("DefaultRepoType", Str),
    field("InstanceId", Str),
    field("NamespaceId", Str),
];

pub(super) const OPERATIONS: &[Operation] = &[
    Operation {
        action: "CreateNamespace",
        group: Group::Namespace,
        doc: "seed 003 §10.1",
        summary: "Creates a namespace in an instance.",
        params: &[
            INSTANCE_ID,
            required("NamespaceName"),
            REGION_ID,
            flag("AutoCreateRepo", false),
            one_of("DefaultRepositoryType", REPO_TYPES, false),
        ],
        response: &[],
    },
    Operation {
        action: "DeleteNamespace",
        group: Group::Namespace,
        doc: "seed 003 §10.2",
        summary: "Deletes a namespace with all its repositories and images.",
        params: &[INSTANCE_ID, required("NamespaceName"), REGION_ID],
        response: &[],
    },
    Operation {
        action: "UpdateNamespace",
        group: Group::Namespace,
        doc: "seed 003 §10.3",
        summary: "Updates the settings of a namespace.",
        params: &[
            INSTANCE_ID,
            required("NamespaceName"),
            REGION_ID,
            flag("AutoCreateRepo", false),
            one_of("DefaultRepositoryType", REPO_TYPES, false),
        ],
        response: &[],
    },
    Operation {
        action: "GetNamespace",
        group: Group::Namespace,
        doc: "seed 003 §10.4",
        summary: "Queries one namespace of an instance.",
        params: &[
            INSTANCE_ID,
            required("NamespaceName"),
            REGION_ID,
            optional("NamespaceId"),
        ],
        response: NAMESPACE_FIELDS,
    },
    Operation {
        action: "ListNamespace",
        group: Group::Namespace,
        doc: "seed 003 §10.5",
        summary: "Queries the namespaces of an instance, one page at a time.",
        params: &[
            INSTANCE_ID,
            REGION_ID,
            one_of("NamespaceStatus", &["NORMAL", "DELETING"], false),
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
];
