//! TODO

use super::Route;

pub(super) const ROUTES: &[Route] = &[];
