//! Open Telekom Cloud SWR: organizations (namespaces), repositories, tags.
//! Ids are integers, as SWR's are.

use serde::{Deserialize, Serialize};

use super::swr_retention::{RetentionRecord, SwrRetention};

/// Every SWR namespace.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Swr {
    /// The account's domain id (32 hex characters).
    pub domain_id: String,
    /// The next integer id to hand out.
    pub next_id: i64,
    /// Organizations.
    pub namespaces: Vec<SwrNamespace>,
}

impl Swr {
    /// A new integer id.
    pub fn new_id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }

    /// The repository `namespace/name`.
    pub fn repo(&self, namespace: &str, name: &str) -> Option<&SwrRepo> {
        self.namespaces
            .iter()
            .find(|n| n.name == namespace)
            .and_then(|n| n.repos.iter().find(|r| r.name == name))
    }

    /// The repository `namespace/name`, to change.
    pub fn repo_mut(&mut self, namespace: &str, name: &str) -> Option<&mut SwrRepo> {
        self.namespaces
            .iter_mut()
            .find(|n| n.name == namespace)
            .and_then(|n| n.repos.iter_mut().find(|r| r.name == name))
    }
}

/// An organization.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SwrNamespace {
    /// Integer id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Its repositories.
    pub repos: Vec<SwrRepo>,
}

/// An image repository.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SwrRepo {
    /// Integer id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Its tags, in creation order.
    pub tags: Vec<SwrTag>,
    /// Its image retention policy (SWR keeps at most one per repository).
    #[serde(default)]
    pub retentions: Vec<SwrRetention>,
    /// The tags its retention policies deleted, oldest first.
    #[serde(default)]
    pub retention_log: Vec<RetentionRecord>,
}

/// A tag.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SwrTag {
    /// Integer id.
    pub id: i64,
    /// The tag's name (`Tag` on the wire).
    pub name: String,
    /// Manifest digest, 64 hex characters.
    pub digest: String,
    /// Milliseconds.
    pub created: i64,
    /// Milliseconds.
    pub updated: i64,
}
