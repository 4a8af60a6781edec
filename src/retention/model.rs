//! What goes into a plan and what comes out: tags in, one decision per tag out.

use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::ops::Deref;

/// Milliseconds since the Unix epoch (UTC).
pub type Millis = i64;

/// One day in milliseconds.
pub const DAY_MS: Millis = 86_400_000;

/// One tag of one repository, as the engine sees it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TagInput {
    /// The repository, e.g. `team/app` (namespace included where the registry has one).
    pub repository: String,
    /// The tag's name.
    pub tag: String,
    /// The digest of the image (manifest) the tag points at.
    pub digest: String,
    /// The last time the tag was pointed at an image; `None` when unknown.
    pub pushed_at: Option<Millis>,
    /// The last time the image was pulled, where the registry knows it.
    pub pulled_at: Option<Millis>,
    /// When the tag was first created, where the registry says so (only
    /// used to spot unusable timestamps: created after updated).
    pub created_at: Option<Millis>,
}

impl TagInput {
    /// The tag as the engine reads it.
    pub fn view(&self) -> TagView<'_> {
        TagView {
            repository: &self.repository,
            tag: &self.tag,
            digest: &self.digest,
            pushed_at: self.pushed_at,
            pulled_at: self.pulled_at,
            created_at: self.created_at,
        }
    }
}

/// One tag as the engine reads it: a [`TagInput`] with its names borrowed,
/// from a `TagInput` or straight from a buffer of names (the WebAssembly
/// module reads 100,000 tags from one buffer, without a String per name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TagView<'a> {
    /// The repository, e.g. `team/app`.
    pub repository: &'a str,
    /// The tag's name.
    pub tag: &'a str,
    /// The digest of the image (manifest) the tag points at (`""`: unknown).
    pub digest: &'a str,
    /// The last time the tag was pointed at an image; `None` when unknown.
    pub pushed_at: Option<Millis>,
    /// The last time the image was pulled, where the registry knows it.
    pub pulled_at: Option<Millis>,
    /// When the tag was first created, where the registry says so.
    pub created_at: Option<Millis>,
}

/// Keep or delete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The tag stays.
    Keep,
    /// The tag goes.
    Delete,
}

impl Action {
    /// `"keep"` or `"delete"`, as the JS API says it.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Keep => "keep",
            Action::Delete => "delete",
        }
    }
}

/// The rule that decided a tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleRef {
    /// No rule applied (the tag is not selected by any rule).
    None,
    /// The rule at this index of the policy's rule list.
    Index(usize),
    /// The rule with this id (tagdeck rules with an `id`, Harbor/ECR priorities...).
    Id(String),
    /// A policy-wide clause or a safety rule: `protected`,
    /// `deleteOnlyOlderThanDays`, `safety:shared-digest`, `safety:unknown-time`,
    /// `safety:timestamps`, or a dialect's fixed rule (`latest`, ...).
    Named(&'static str),
}

/// The verdict on one tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Keep or delete.
    pub action: Action,
    /// The deciding rule.
    pub rule: RuleRef,
    /// Why, in plain words.
    pub reason: Reason,
}

impl Decision {
    /// A keep decision.
    pub fn keep(rule: RuleRef, reason: impl Into<Reason>) -> Self {
        Decision {
            action: Action::Keep,
            rule,
            reason: reason.into(),
        }
    }

    /// A delete decision.
    pub fn delete(rule: RuleRef, reason: impl Into<Reason>) -> Self {
        Decision {
            action: Action::Delete,
            rule,
            reason: reason.into(),
        }
    }
}

/// Why a tag is kept or deleted: text shared by every decision that says
/// the same (a plan of 100,000 tags has a few hundred distinct reasons, so
/// each is written once; `Reason::id` lets a caller send each once).
#[derive(Clone, PartialEq, Eq)]
pub struct Reason(Rc<String>);

impl Reason {
    /// The same number for clones of one reason (two reasons written apart
    /// may have equal text and different ids).
    pub fn id(&self) -> usize {
        Rc::as_ptr(&self.0) as usize
    }
}

impl From<String> for Reason {
    fn from(text: String) -> Self {
        Reason(Rc::new(text))
    }
}

impl From<&str> for Reason {
    fn from(text: &str) -> Self {
        Reason(Rc::new(String::from(text)))
    }
}

impl Deref for Reason {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Reason {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.0.as_str(), f)
    }
}

impl PartialEq<str> for Reason {
    fn eq(&self, other: &str) -> bool {
        self.0.as_str() == other
    }
}

impl PartialEq<&str> for Reason {
    fn eq(&self, other: &&str) -> bool {
        self.0.as_str() == *other
    }
}

impl PartialEq<String> for Reason {
    fn eq(&self, other: &String) -> bool {
        *self.0 == *other
    }
}

/// What the caller tells the engine besides the policy and the tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The clock, read by the caller: ms since the epoch.
    pub now: Millis,
    /// Whether the registry deletes tags one by one (an untag) rather than
    /// the manifest with every tag on it. Only then may tagdeck's own
    /// policies delete a tag whose digest a kept tag shares.
    pub deletes_tags_one_by_one: bool,
}

/// A plan: one decision per input tag, in input order, and the warnings
/// about the input that the user should read before applying it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    /// `decisions[i]` is the verdict on `tags[i]`.
    pub decisions: Vec<Decision>,
    /// Things to know (unusable timestamps, rules that select nothing...).
    pub warnings: Vec<String>,
}

impl Plan {
    /// How many tags the plan deletes.
    pub fn deleted(&self) -> usize {
        self.decisions
            .iter()
            .filter(|d| d.action == Action::Delete)
            .count()
    }
}

/// A text as a map key for equality lookups that compares fast: its last 16
/// bytes first, then the whole text. Digests (`sha256:…`) and reasons
/// (`rules[1]: not among the newest 10 …: this is #12`) share long
/// prefixes, where a plain string comparison spends its time.
pub fn tail_key(text: &str) -> (u128, &str) {
    let bytes = text.as_bytes();
    let mut tail = [0u8; 16];
    let start = bytes.len().saturating_sub(16);
    tail[16 - (bytes.len() - start)..].copy_from_slice(&bytes[start..]);
    (u128::from_le_bytes(tail), text)
}
