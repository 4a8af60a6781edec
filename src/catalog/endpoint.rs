//! TODO(catalogue): entries for this group.

use super::Operation;

pub(super) const OPERATIONS: &[Operation] = &[];
