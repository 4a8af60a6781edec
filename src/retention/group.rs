//! Grouping tags by repository and ordering them newest first, the same
//! way for every dialect, so that a plan never depends on the input order:
//! repositories in name order, and equal times broken by tag name.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use core::cmp::Ordering;

use super::model::{Millis, TagInput};

/// The tags' indices per repository, repositories in name order, each
/// repository's tags in input order.
pub fn by_repository(tags: &[TagInput]) -> Vec<(&str, Vec<usize>)> {
    let mut map: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, tag) in tags.iter().enumerate() {
        map.entry(tag.repository.as_str()).or_default().push(i);
    }
    map.into_iter().collect()
}

/// Sorts `indices` newest first by `time` (where `None` counts as newer
/// than any time, or older than any, as `unknown_is_newest` says), equal
/// times by tag name, then digest.
pub fn sort_newest_first(
    indices: &mut [usize],
    tags: &[TagInput],
    time: impl Fn(usize) -> Option<Millis>,
    unknown_is_newest: bool,
) {
    indices.sort_by(|&a, &b| {
        let order = match (time(a), time(b)) {
            (Some(x), Some(y)) => y.cmp(&x),
            (None, None) => Ordering::Equal,
            (None, Some(_)) if unknown_is_newest => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) if unknown_is_newest => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
        };
        order.then_with(|| by_name(tags, a, b))
    });
}

/// Tag name, then digest: the tie-break that makes orders total.
pub fn by_name(tags: &[TagInput], a: usize, b: usize) -> Ordering {
    tags[a]
        .tag
        .cmp(&tags[b].tag)
        .then_with(|| tags[a].digest.cmp(&tags[b].digest))
}
