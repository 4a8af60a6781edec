//! Registry logon credentials: seed 003 §19.

use super::Type::{Long, Str};
use super::{field, secret, Group, Operation, INSTANCE_ID, REGION_ID};

pub(super) const OPERATIONS: &[Operation] = &[
    Operation {
        action: "GetAuthorizationToken",
        group: Group::Credential,
        doc: "seed 003 §19.1",
        summary: "Obtains a temporary user name and password (valid one hour) for `docker login`.",
        params: &[INSTANCE_ID, REGION_ID],
        // The token is the answer the caller asked for, so it is decoded
        // like any other field. `ExpireTime` is milliseconds; the seed's
        // sample sends it as a string.
        response: &[
            field("TempUsername", Str),
            field("AuthorizationToken", Str),
            field("ExpireTime", Long),
        ],
    },
    Operation {
        action: "ResetLoginPassword",
        group: Group::Credential,
        doc: "seed 003 §19.2",
        summary: "Resets the registry logon password of an instance.",
        params: &[INSTANCE_ID, secret("Password"), REGION_ID],
        response: &[],
    },
];
