//! The Scaleway Container Registry: namespaces (one per region and name),
//! images inside them, tags of images. Ids are UUIDs, as Scaleway's are.

use serde::{Deserialize, Serialize};

/// Every Scaleway namespace.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Scaleway {
    /// Namespaces of every region.
    pub namespaces: Vec<ScwNamespace>,
}

impl Scaleway {
    /// The image with this id in `region`, with its namespace.
    pub fn image(&self, region: &str, id: &str) -> Option<(&ScwNamespace, &ScwImage)> {
        self.namespaces
            .iter()
            .filter(|n| n.region == region)
            .find_map(|n| n.images.iter().find(|i| i.id == id).map(|i| (n, i)))
    }

    /// The tag with this id in `region`, with its namespace and image.
    pub fn tag(&self, region: &str, id: &str) -> Option<(&ScwNamespace, &ScwImage, &ScwTag)> {
        self.namespaces
            .iter()
            .filter(|n| n.region == region)
            .find_map(|n| {
                n.images
                    .iter()
                    .find_map(|i| i.tags.iter().find(|t| t.id == id).map(|t| (n, i, t)))
            })
    }
}

/// A namespace: a `rg.{region}.scw.cloud/{name}` endpoint.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScwNamespace {
    /// UUID.
    pub id: String,
    /// Unique in its region.
    pub name: String,
    /// Free text.
    pub description: String,
    /// `fr-par`, `nl-ams`, `pl-waw`.
    pub region: String,
    /// UUID of the owning organization.
    pub organization_id: String,
    /// UUID of the owning project.
    pub project_id: String,
    /// Whether images are public by default.
    pub is_public: bool,
    /// Milliseconds.
    pub created_at: i64,
    /// Milliseconds.
    pub updated_at: i64,
    /// Its images.
    pub images: Vec<ScwImage>,
}

/// An image (what the other registries call a repository).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScwImage {
    /// UUID.
    pub id: String,
    /// Unique in its namespace.
    pub name: String,
    /// `inherit`, `public` or `private`.
    pub visibility: String,
    /// Milliseconds.
    pub created_at: i64,
    /// Milliseconds.
    pub updated_at: i64,
    /// Its tags, in creation order.
    pub tags: Vec<ScwTag>,
}

/// A tag of an image.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScwTag {
    /// UUID.
    pub id: String,
    /// Unique in its image.
    pub name: String,
    /// Manifest digest, 64 hex characters.
    pub digest: String,
    /// `ready`.
    pub status: String,
    /// Milliseconds.
    pub created_at: i64,
    /// Milliseconds.
    pub updated_at: i64,
}
