//! Instance access control: endpoints, their ACLs and linked VPCs, seed 003 §8.

use super::Type::{self, Array, Bool, Object, Str};
use super::{
    field, flag, one_of, optional, required, Group, Operation, Param, INSTANCE_ID, REGION_ID,
};

/// `ModuleName`: the part of the instance an endpoint serves, the same in
/// every operation here (some tables omit its valid values). The tables say
/// `Registry` and `Chart`, but the seed's own GetInstanceVpcEndpoint request
/// sends `chart`, so both spellings are let through.
const MODULE_NAME: Param = one_of(
    "ModuleName",
    &["Registry", "Chart", "registry", "chart"],
    false,
);

/// `EndpointType` where both kinds are documented. The tables write
/// `Internet` and `VPC`; every sample request, and the `EndpointType` the
/// service returns, is lower case: both spellings are let through.
const ENDPOINT_TYPE: Param = one_of(
    "EndpointType",
    &["internet", "vpc", "Internet", "VPC"],
    true,
);

/// `EndpointType` where only the Internet endpoint is documented.
const INTERNET_ENDPOINT_TYPE: Param = one_of("EndpointType", &["internet", "Internet"], true);

/// One domain name of an instance.
const DOMAIN: Type = Object(&[field("Domain", Str), field("Type", Str)]);

pub(super) const OPERATIONS: &[Operation] = &[
    Operation {
        action: "CreateInstanceVpcEndpointLinkedVpc",
        group: Group::Endpoint,
        doc: "seed 003 §8.1",
        summary: "Associates a VPC with an instance so that the VPC can reach it.",
        params: &[
            INSTANCE_ID,
            REGION_ID,
            required("VpcId"),
            required("VswitchId"),
            MODULE_NAME,
        ],
        response: &[],
    },
    Operation {
        action: "GetInstanceEndpoint",
        group: Group::Endpoint,
        doc: "seed 003 §8.2",
        summary: "Queries an endpoint of an instance: state, domains and ACL entries.",
        params: &[ENDPOINT_TYPE, INSTANCE_ID, REGION_ID, MODULE_NAME],
        response: &[
            field("Enable", Bool),
            field("AclEnable", Bool),
            field("Status", Str),
            field("Domains", Array(&DOMAIN)),
            field(
                "AclEntries",
                Array(&Object(&[field("Entry", Str), field("Comment", Str)])),
            ),
        ],
    },
    Operation {
        action: "UpdateInstanceEndpointStatus",
        group: Group::Endpoint,
        doc: "seed 003 §8.3",
        summary: "Enables or disables the Internet endpoint of an instance.",
        params: &[
            flag("Enable", true),
            INTERNET_ENDPOINT_TYPE,
            INSTANCE_ID,
            REGION_ID,
            MODULE_NAME,
        ],
        response: &[],
    },
    Operation {
        action: "DeleteInstanceEndpointAclPolicy",
        group: Group::Endpoint,
        doc: "seed 003 §8.4",
        summary: "Deletes an access control entry of the Internet endpoint.",
        // No valid values are documented for EndpointType here: kept a string.
        params: &[
            required("EndpointType"),
            required("Entry"),
            INSTANCE_ID,
            REGION_ID,
            MODULE_NAME,
        ],
        response: &[],
    },
    Operation {
        action: "CreateInstanceEndpointAclPolicy",
        group: Group::Endpoint,
        doc: "seed 003 §8.5",
        summary: "Adds an access control entry (an IP range) to the Internet endpoint.",
        params: &[
            required("EndpointType"),
            required("Entry"),
            INSTANCE_ID,
            REGION_ID,
            optional("Comment"),
            MODULE_NAME,
        ],
        response: &[],
    },
    Operation {
        action: "DeleteInstanceVpcEndpointLinkedVpc",
        group: Group::Endpoint,
        doc: "seed 003 §8.6",
        summary: "Disassociates a VPC from an instance.",
        params: &[
            INSTANCE_ID,
            REGION_ID,
            required("VpcId"),
            required("VswitchId"),
            MODULE_NAME,
        ],
        response: &[],
    },
    Operation {
        action: "ListInstanceEndpoint",
        group: Group::Endpoint,
        doc: "seed 003 §8.7",
        summary: "Queries the endpoints of an instance.",
        params: &[INSTANCE_ID, REGION_ID, MODULE_NAME],
        response: &[field(
            "Endpoints",
            Array(&Object(&[
                field("EndpointType", Str),
                field("Enable", Bool),
                field("AclEnable", Bool),
                field("Status", Str),
                field("Domains", Array(&DOMAIN)),
                field("LinkedVpcs", Array(&Object(&[field("VpcId", Str)]))),
                field("AclEntries", Array(&Object(&[field("Entry", Str)]))),
            ])),
        )],
    },
    Operation {
        action: "GetInstanceVpcEndpoint",
        group: Group::Endpoint,
        doc: "seed 003 §8.8",
        summary: "Queries the VPCs associated with an instance.",
        params: &[INSTANCE_ID, REGION_ID, MODULE_NAME],
        response: &[field(
            "LinkedVpcs",
            Array(&Object(&[
                field("VpcId", Str),
                field("VswitchId", Str),
                field("Ip", Str),
                field("DefaultAccess", Bool),
                field("Status", Str),
            ])),
        )],
    },
];
