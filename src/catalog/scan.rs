//! Image security scanning: seed 003 §13.

use super::{required, Group, Operation, INSTANCE_ID, REGION_ID};

pub(super) const OPERATIONS: &[Operation] = &[Operation {
    action: "CreateRepoTagScanTask",
    group: Group::Scan,
    doc: "seed 003 §13.1",
    summary: "Starts a security scan of an image tag.",
    params: &[INSTANCE_ID, REGION_ID, required("RepoId"), required("Tag")],
    response: &[],
}];
