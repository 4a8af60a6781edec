//! The vendors' rule dialects, each evaluated as its vendor documents it
//! (docs/retention.md says what each vendor does and where tagdeck had to
//! choose a reading). Every dialect turns tags into one decision per tag;
//! the ones whose unit is the image (ECR, Harbor) decide per digest and
//! give every tag of an image the image's verdict.

pub mod acr_purge;
pub mod alibaba;
pub mod ecr;
pub mod gitlab;
pub mod harbor;
pub mod swr;

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use super::model::{Decision, Millis, TagView};

/// An image (manifest) of one repository: its tags, and its times.
#[derive(Debug, Clone)]
pub struct Image {
    /// Indices of its tags in the input, by tag name.
    pub tags: Vec<usize>,
    /// When it was pushed: the earliest push time of its tags (retagging an
    /// image does not change when it was pushed).
    pub pushed: Option<Millis>,
    /// When it was last pulled: the latest pull time of its tags.
    pub pulled: Option<Millis>,
}

impl Image {
    /// The image's tags, `a, b, c`, for reasons.
    pub fn tag_list(&self, tags: &[TagView<'_>]) -> String {
        let names: Vec<&str> = self.tags.iter().map(|&i| tags[i].tag).collect();
        names.join(", ")
    }

    /// Its first tag by name (the tie-break between equal times).
    pub fn first_tag<'a>(&self, tags: &[TagView<'a>]) -> &'a str {
        tags[self.tags[0]].tag
    }
}

/// The images of one repository's tags, by digest (a tag with no digest is
/// an image of its own), in digest order.
pub fn images(tags: &[TagView<'_>], members: &[usize]) -> Vec<Image> {
    let mut by_digest: BTreeMap<(&str, Option<&str>), Vec<usize>> = BTreeMap::new();
    for &i in members {
        let tag = &tags[i];
        let key = if tag.digest.is_empty() {
            ("", Some(tag.tag))
        } else {
            (tag.digest, None)
        };
        by_digest.entry(key).or_default().push(i);
    }
    by_digest
        .into_values()
        .map(|mut indices| {
            indices.sort_by(|&a, &b| tags[a].tag.cmp(tags[b].tag));
            let pushed = indices.iter().filter_map(|&i| tags[i].pushed_at).min();
            let pulled = indices.iter().filter_map(|&i| tags[i].pulled_at).max();
            Image {
                tags: indices,
                pushed,
                pulled,
            }
        })
        .collect()
}

/// Gives every tag of `image` the same decision.
pub fn decide_image(decisions: &mut [Option<Decision>], image: &Image, decision: Decision) {
    for &i in &image.tags {
        decisions[i] = Some(decision.clone());
    }
}

/// Unwraps per-tag decisions that every dialect fills for every tag.
pub fn finish(decisions: Vec<Option<Decision>>, fallback: impl Fn() -> Decision) -> Vec<Decision> {
    decisions
        .into_iter()
        .map(|d| d.unwrap_or_else(&fallback))
        .collect()
}
