//! Retention: which tags a policy keeps and which it deletes, and why.
//!
//! One engine for tagdeck's own policy language (`policy.rs`, evaluated by
//! `evaluate.rs` with the safety rules of `safety.rs`) and for the vendors'
//! rule dialects, each evaluated as its vendor does (`dialect/`). No I/O:
//! the clock comes in as [`Options::now`]. The plan has one [`Decision`] per
//! input tag, in input order, and does not depend on that order.
//!
//! ```
//! use tagdeck::retention::{AnyPolicy, Options, TagInput, Action};
//!
//! let policy = AnyPolicy::from_json_text(r#"{"rules":[{"tags":{"include":"pr-*"},"keep":{"newest":1}}]}"#)?;
//! let tag = |name: &str, day: i64| TagInput {
//!     repository: "app".into(), tag: name.into(), digest: format!("sha256:{name}"),
//!     pushed_at: Some(1_700_000_000_000 + day * 86_400_000), ..Default::default()
//! };
//! let tags = [tag("pr-1", 1), tag("pr-2", 2), tag("main", 3)];
//! let plan = policy.plan(&tags, &Options { now: 1_800_000_000_000, deletes_tags_one_by_one: false });
//! assert_eq!(plan.decisions[0].action, Action::Delete);
//! assert_eq!(plan.decisions[0].reason, "rules[0]: not among the newest 1 of the tags matching `pr-*`: this is #2");
//! assert_eq!(plan.decisions[2].reason, "no rule selects this tag");
//! # Ok::<(), tagdeck::retention::PolicyError>(())
//! ```

pub mod dialect;
mod evaluate;
pub mod explain;
pub mod glob;
mod group;
pub mod model;
pub mod pattern;
pub mod policy;
pub mod read;
mod safety;
pub mod version;

use alloc::format;
use alloc::string::String;

use serde_json::Value;

pub use explain::Explanation;
pub use model::{Action, Decision, Millis, Options, Plan, Reason, RuleRef, TagInput, TagView};
pub use policy::Policy;
pub use read::PolicyError;

use dialect::{
    acr_purge::AcrPurge, alibaba::Alibaba, ecr::Ecr, gitlab::Gitlab, harbor::Harbor, swr::Swr,
};
use read::{missing, Obj};

/// A checked policy in any of the dialects the engine speaks.
#[derive(Debug, Clone)]
pub enum AnyPolicy {
    /// tagdeck's own `{ rules: [...] }`.
    Tagdeck(Policy),
    /// `{ format: "ecr", policy }`: an ECR lifecycle policy document.
    Ecr(Ecr),
    /// `{ format: "gitlab", policy }`: a GitLab cleanup policy.
    Gitlab(Gitlab),
    /// `{ format: "acr-purge", args }`: `az acr purge` arguments.
    AcrPurge(AcrPurge),
    /// `{ format: "harbor", policy }`: Harbor tag retention rules.
    Harbor(Harbor),
    /// `{ format: "swr", policy }`: an SWR image retention policy.
    Swr(Swr),
    /// `{ format: "alibaba", rule }`: an ACR EE ArtifactLifecycleRule.
    Alibaba(Alibaba),
}

impl AnyPolicy {
    /// Reads a policy from JSON text.
    pub fn from_json_text(text: &str) -> Result<Self, PolicyError> {
        let value: Value = serde_json::from_str(text)
            .map_err(|error| PolicyError::new("", format!("the policy is not JSON: {error}")))?;
        Self::from_json(&value)
    }

    /// Reads a policy: tagdeck's own unless `format` names a vendor's.
    pub fn from_json(value: &Value) -> Result<Self, PolicyError> {
        let format = match value {
            Value::Object(map) => map.get("format").cloned().unwrap_or(Value::Null),
            _ => return Err(PolicyError::new("", "the policy must be an object")),
        };
        let format = match &format {
            Value::Null => "tagdeck",
            Value::String(text) => text.as_str(),
            _ => return Err(PolicyError::new("format", "must be text")),
        };
        if format == "tagdeck" {
            return Policy::from_json(value).map(AnyPolicy::Tagdeck);
        }
        let mut doc = Obj::new(value, "")?;
        doc.ignore(&["format"]);
        let inner = |doc: &mut Obj<'_>, name: &'static str| -> Result<Value, PolicyError> {
            let (value, path) = doc
                .get(&[name])
                .ok_or_else(|| missing(String::from(name)))?;
            // A vendor's document may come as the JSON text the vendor stores.
            match value {
                Value::String(text) if name != "args" => serde_json::from_str(text)
                    .map_err(|error| PolicyError::new(path, format!("is not JSON: {error}"))),
                other => Ok(other.clone()),
            }
        };
        let policy = match format {
            "ecr" => AnyPolicy::Ecr(Ecr::from_json(&inner(&mut doc, "policy")?, "policy")?),
            "gitlab" => AnyPolicy::Gitlab(Gitlab::from_json(&inner(&mut doc, "policy")?, "policy")?),
            "acr-purge" => match inner(&mut doc, "args")? {
                Value::String(args) => AnyPolicy::AcrPurge(AcrPurge::parse(&args, "args")?),
                _ => return Err(PolicyError::new("args", "must be the command line as text")),
            },
            "harbor" => AnyPolicy::Harbor(Harbor::from_json(&inner(&mut doc, "policy")?, "policy")?),
            "swr" => AnyPolicy::Swr(Swr::from_json(&inner(&mut doc, "policy")?, "policy")?),
            "alibaba" => AnyPolicy::Alibaba(Alibaba::from_json(&inner(&mut doc, "rule")?, "rule")?),
            other => {
                return Err(PolicyError::new(
                    "format",
                    format!("unknown format {other:?} (expected tagdeck, ecr, gitlab, acr-purge, harbor, swr or alibaba)"),
                ))
            }
        };
        doc.done()?;
        Ok(policy)
    }

    /// The plan for `tags`: one decision per tag, in input order.
    pub fn plan(&self, tags: &[TagInput], options: &Options) -> Plan {
        let views: alloc::vec::Vec<TagView<'_>> = tags.iter().map(TagInput::view).collect();
        self.plan_views(&views, options)
    }

    /// [`AnyPolicy::plan`] for tags whose names are borrowed.
    pub fn plan_views(&self, tags: &[TagView<'_>], options: &Options) -> Plan {
        match self {
            AnyPolicy::Tagdeck(policy) => evaluate::plan(policy, tags, options),
            AnyPolicy::Ecr(policy) => policy.plan(tags, options),
            AnyPolicy::Gitlab(policy) => policy.plan(tags, options),
            AnyPolicy::AcrPurge(policy) => policy.plan(tags, options),
            AnyPolicy::Harbor(policy) => policy.plan(tags, options),
            AnyPolicy::Swr(policy) => policy.plan(tags, options),
            AnyPolicy::Alibaba(policy) => policy.plan(tags, options),
        }
    }

    /// What the policy means in tagdeck's own language.
    pub fn explain(&self) -> Explanation {
        match self {
            AnyPolicy::Tagdeck(_) => Explanation {
                format: "tagdeck",
                equivalent: None,
                note: String::from("a tagdeck policy: rules select tags per repository and keep some; a selected tag no rule keeps is deleted, unless protected or saved by a safety rule"),
            },
            AnyPolicy::Ecr(policy) => policy.explain(),
            AnyPolicy::Gitlab(policy) => policy.explain(),
            AnyPolicy::AcrPurge(policy) => policy.explain(),
            AnyPolicy::Harbor(policy) => policy.explain(),
            AnyPolicy::Swr(policy) => policy.explain(),
            AnyPolicy::Alibaba(policy) => policy.explain(),
        }
    }
}
