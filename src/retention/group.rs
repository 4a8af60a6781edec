//! Grouping tags by repository and ordering them newest first, the same
//! way for every dialect, so that a plan never depends on the input order:
//! repositories in name order, and equal times broken by tag name.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use core::cmp::Ordering;

use super::model::{tail_key, Millis, TagView};

/// The tags' indices per repository, repositories in name order, each
/// repository's tags in input order.
pub fn by_repository<'a>(tags: &[TagView<'a>]) -> Vec<(&'a str, Vec<usize>)> {
    let mut map: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    // Tags usually come a repository at a time: the previous tag's list is
    // looked up once per run, not once per tag.
    let mut run: Option<(&str, Vec<usize>)> = None;
    for (i, tag) in tags.iter().enumerate() {
        let repository = tag.repository;
        match &mut run {
            // The same text first (the WebAssembly module reads a run's
            // repository once), then equal texts.
            Some((name, members)) if core::ptr::eq(*name, repository) || *name == repository => {
                members.push(i)
            }
            _ => {
                if let Some((name, members)) = run.take() {
                    map.entry(name).or_default().extend(members);
                }
                run = Some((repository, alloc::vec![i]));
            }
        }
    }
    if let Some((name, members)) = run {
        map.entry(name).or_default().extend(members);
    }
    map.into_iter().collect()
}

/// The distinct tag names of a plan: rules ask the same question of the
/// same name in every repository (`v1.4.2`, `latest`), so a pattern is
/// matched, and a version parsed, once per name rather than once per tag.
pub struct Names<'a> {
    /// Per tag, the index of its name in `distinct`.
    pub of_tag: Vec<usize>,
    /// Each name once, in first-seen order.
    pub distinct: Vec<&'a str>,
}

impl<'a> Names<'a> {
    /// The names of `tags`.
    pub fn new(tags: &[TagView<'a>]) -> Self {
        // Keyed by `tail_key`: a name of up to 16 bytes is then told apart
        // by one comparison of numbers.
        let mut index: BTreeMap<(u128, &str), usize> = BTreeMap::new();
        let mut distinct = Vec::new();
        let of_tag = tags
            .iter()
            .map(|tag| {
                *index.entry(tail_key(tag.tag)).or_insert_with(|| {
                    distinct.push(tag.tag);
                    distinct.len() - 1
                })
            })
            .collect();
        Names { of_tag, distinct }
    }

    /// `answer` for each distinct name, in `distinct`'s order.
    pub fn map<T>(&self, answer: impl FnMut(&'a str) -> T) -> Vec<T> {
        self.distinct.iter().copied().map(answer).collect()
    }
}

/// Sorts `indices` newest first by `time` (where `None` counts as newer
/// than any time, or older than any, as `unknown_is_newest` says), equal
/// times by tag name, then digest.
pub fn sort_newest_first(
    indices: &mut [usize],
    tags: &[TagView<'_>],
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
pub fn by_name(tags: &[TagView<'_>], a: usize, b: usize) -> Ordering {
    tags[a]
        .tag
        .cmp(tags[b].tag)
        .then_with(|| tags[a].digest.cmp(tags[b].digest))
}
