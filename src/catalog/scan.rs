//! Image security scanning: seed 003 §13, and the scan status query of
//! today's API (api-notes, "The API today") without which a started scan
//! could never be followed.

use super::Type::Str;
use super::{field, optional, required, Group, Operation, INSTANCE_ID, REGION_ID};

pub(super) const OPERATIONS: &[Operation] = &[
    Operation {
        action: "CreateRepoTagScanTask",
        group: Group::Scan,
        doc: "seed 003 §13.1",
        summary: "Starts a security scan of an image tag.",
        params: &[INSTANCE_ID, REGION_ID, required("RepoId"), required("Tag")],
        response: &[],
    },
    Operation {
        action: "GetRepoTagScanStatus",
        group: Group::Scan,
        doc: "api-notes: the API today (beyond the seeds)",
        summary: "Queries the status of the newest security scan of an image tag.",
        params: &[
            INSTANCE_ID,
            optional("RegionId"),
            required("RepoId"),
            required("Tag"),
            optional("ScanTaskId"),
        ],
        // `SCANNING`, `COMPLETE` or `FAILED`; the service that scanned.
        response: &[field("Status", Str), field("ScanService", Str)],
    },
];
