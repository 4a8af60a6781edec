//! The emulator's state: everything the three APIs read and change.
//!
//! One tree per provider (the `cr` instances below, [`scaleway`], [`swr`])
//! over one content-addressed store of images ([`image`]): a tag is a name
//! pointing at a manifest digest, so tags that share a digest share their
//! image, and copying a tag copies a pointer. Long-running work (builds,
//! synchronisations, scans, VPC links) moves through its states as the
//! clock passes, in [`tasks`].
//!
//! The state is plain data (serde) so it can be written to `--state FILE`
//! and read back whole.

pub mod artifacts;
pub mod findings;
pub mod image;
pub mod lifecycle;
pub mod records;
pub mod scaleway;
pub mod swr;
pub mod swr_retention;
pub mod tasks;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::clock::Rng;
pub use image::Image;

/// Bumped when the file layout changes incompatibly.
pub const STATE_FORMAT: u32 = 1;

/// Everything.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct State {
    /// [`STATE_FORMAT`] of the file this came from.
    pub format: u32,
    /// The generator for new ids; saved so ids stay deterministic.
    pub rng: Rng,
    /// Regions where instances can be created.
    pub regions: Vec<Region>,
    /// `cr` Enterprise Edition instances.
    pub instances: Vec<Instance>,
    /// Images by manifest digest (64 hex characters, no `sha256:`).
    pub images: BTreeMap<String, Image>,
    /// The Scaleway registry.
    pub scaleway: scaleway::Scaleway,
    /// The Open Telekom Cloud SWR registry.
    pub swr: swr::Swr,
    /// Tags (key/value labels) on resources (`TagResources`).
    #[serde(default)]
    pub resource_tags: Vec<ResourceTag>,
}

/// One label on one resource.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ResourceTag {
    /// The region the resource lives in.
    pub region_id: String,
    /// `INSTANCE`.
    pub resource_type: String,
    /// `cri-…`.
    pub resource_id: String,
    /// The label's key.
    pub key: String,
    /// Its value.
    pub value: String,
}

impl State {
    /// No instances, no images.
    pub fn empty(seed: u64) -> Self {
        State {
            format: STATE_FORMAT,
            rng: Rng(seed),
            regions: default_regions(),
            instances: Vec::new(),
            images: BTreeMap::new(),
            scaleway: scaleway::Scaleway::default(),
            swr: swr::Swr::default(),
            resource_tags: Vec::new(),
        }
    }

    /// The instance with this id.
    pub fn instance(&self, id: &str) -> Option<&Instance> {
        self.instances.iter().find(|i| i.id == id)
    }

    /// The instance with this id, to change.
    pub fn instance_mut(&mut self, id: &str) -> Option<&mut Instance> {
        self.instances.iter_mut().find(|i| i.id == id)
    }

    /// Stores an image and returns its manifest digest.
    pub fn put_image(&mut self, image: Image) -> String {
        let digest = image.manifest_digest();
        self.images.entry(digest.clone()).or_insert(image);
        digest
    }
}

/// A region, with its name in the two languages `ListInstanceRegion` offers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Region {
    /// `cn-hangzhou`.
    pub region_id: String,
    /// `China (Hangzhou)`.
    pub name_en: String,
    /// `华东1（杭州）`.
    pub name_zh: String,
}

fn default_regions() -> Vec<Region> {
    [
        ("cn-hangzhou", "China (Hangzhou)", "华东1（杭州）"),
        ("cn-shanghai", "China (Shanghai)", "华东2（上海）"),
        ("cn-beijing", "China (Beijing)", "华北2（北京）"),
        ("cn-shenzhen", "China (Shenzhen)", "华南1（深圳）"),
        ("cn-hongkong", "China (Hong Kong)", "中国香港"),
        ("ap-southeast-1", "Singapore", "新加坡"),
        ("eu-central-1", "Germany (Frankfurt)", "德国（法兰克福）"),
        ("eu-west-1", "UK (London)", "英国（伦敦）"),
        ("us-west-1", "US (Silicon Valley)", "美国（硅谷）"),
    ]
    .into_iter()
    .map(|(id, en, zh)| Region {
        region_id: id.into(),
        name_en: en.into(),
        name_zh: zh.into(),
    })
    .collect()
}

/// An Enterprise Edition instance and everything inside it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Instance {
    /// `cri-…`.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The region it lives in; requests naming another region do not see it.
    pub region_id: String,
    /// `Enterprise_Basic`, `Enterprise_Standard`, `Enterprise_Advanced`.
    pub specification: String,
    /// `RUNNING` and the other documented states.
    pub status: String,
    /// Milliseconds.
    pub create_time: i64,
    /// Milliseconds.
    pub modified_time: i64,
    /// How many namespaces it may hold.
    pub namespace_quota: i64,
    /// How many repositories it may hold.
    pub repo_quota: i64,
    /// Internet and VPC endpoints of its modules.
    pub endpoints: Vec<Endpoint>,
    /// VPCs linked to its VPC endpoints.
    pub linked_vpcs: Vec<LinkedVpc>,
    /// Image namespaces.
    pub namespaces: Vec<Namespace>,
    /// Image repositories (each names its namespace).
    pub repositories: Vec<Repository>,
    /// Synchronisation rules whose source is this instance.
    pub sync_rules: Vec<SyncRule>,
    /// Synchronisation tasks whose source is this instance.
    pub sync_tasks: Vec<SyncTask>,
    /// Helm chart namespaces.
    pub chart_namespaces: Vec<Namespace>,
    /// Helm chart repositories (each names its namespace).
    pub chart_repositories: Vec<ChartRepository>,
    /// The fixed logon password and the temporary tokens handed out.
    pub login: Login,
    /// The resource group it belongs to (`ChangeResourceGroup`).
    #[serde(default)]
    pub resource_group_id: String,
    /// The resources kept as records of fields (lifecycle rules, scan
    /// rules, delivery chains, ...), by kind.
    #[serde(default)]
    pub records: records::Records,
}

impl Instance {
    /// The namespace called `name`.
    pub fn namespace(&self, name: &str) -> Option<&Namespace> {
        self.namespaces.iter().find(|n| n.name == name)
    }

    /// The repository with this id.
    pub fn repository(&self, id: &str) -> Option<&Repository> {
        self.repositories.iter().find(|r| r.id == id)
    }

    /// The repository with this id, to change.
    pub fn repository_mut(&mut self, id: &str) -> Option<&mut Repository> {
        self.repositories.iter_mut().find(|r| r.id == id)
    }

    /// The repository `namespace/name`.
    pub fn repository_named(&self, namespace: &str, name: &str) -> Option<&Repository> {
        self.repositories
            .iter()
            .find(|r| r.namespace == namespace && r.name == name)
    }

    /// The endpoint of `module` (`Registry`/`Chart`) of `endpoint_type`
    /// (`internet`/`vpc`), matched without regard to case as the service does.
    pub fn endpoint_mut(&mut self, module: &str, endpoint_type: &str) -> Option<&mut Endpoint> {
        self.endpoints.iter_mut().find(|e| {
            e.module.eq_ignore_ascii_case(module)
                && e.endpoint_type.eq_ignore_ascii_case(endpoint_type)
        })
    }

    /// The chart namespace called `name`.
    pub fn chart_namespace(&self, name: &str) -> Option<&Namespace> {
        self.chart_namespaces.iter().find(|n| n.name == name)
    }
}

/// One endpoint of one module of an instance.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Endpoint {
    /// `Registry` or `Chart`.
    pub module: String,
    /// `internet` or `vpc`.
    pub endpoint_type: String,
    /// Whether it accepts traffic.
    pub enable: bool,
    /// Whether its access control list applies.
    pub acl_enable: bool,
    /// Its access control list.
    pub acl_entries: Vec<AclEntry>,
    /// Its domain names.
    pub domains: Vec<Domain>,
}

/// An access control entry: an IPv4 range and a comment.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AclEntry {
    /// `192.168.1.0/24`.
    pub entry: String,
    /// Free text.
    pub comment: String,
}

/// A domain name of an endpoint.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Domain {
    /// The name.
    pub domain: String,
    /// `SYSTEM` or `USER`.
    pub domain_type: String,
}

/// A VPC linked to an instance's VPC endpoint.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LinkedVpc {
    /// `Registry` or `Chart`.
    pub module: String,
    /// `vpc-…`.
    pub vpc_id: String,
    /// `vsw-…`.
    pub vswitch_id: String,
    /// The instance's address inside the VPC.
    pub ip: String,
    /// Whether the default access policy applies.
    pub default_access: bool,
    /// `CREATING` until `ready_at`, then `RUNNING`.
    pub status: String,
    /// Milliseconds.
    pub create_time: i64,
    /// When the link is up.
    pub ready_at: i64,
}

/// An image namespace, or a Helm chart namespace (the same shape).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Namespace {
    /// `crn-…` (image) or `crcn-…` (chart).
    pub id: String,
    /// Its name.
    pub name: String,
    /// `NORMAL` (or `DELETING`).
    pub status: String,
    /// Whether a push to a missing repository creates it.
    pub auto_create_repo: bool,
    /// `PUBLIC` or `PRIVATE`.
    pub default_repo_type: String,
    /// Milliseconds.
    pub create_time: i64,
    /// Whether repositories it creates on push have tag immutability.
    #[serde(default)]
    pub default_tag_immutability: bool,
    /// Whether accelerated builds of its repositories convert only the
    /// image index (`ArtifactBuildRuleParameters.ImageIndexOnly`).
    #[serde(default)]
    pub image_index_only: bool,
}

impl Namespace {
    /// A namespace in the `NORMAL` state.
    pub fn new(id: String, name: &str, auto_create_repo: bool, repo_type: &str, now: i64) -> Self {
        Namespace {
            id,
            name: name.into(),
            status: "NORMAL".into(),
            auto_create_repo,
            default_repo_type: repo_type.into(),
            create_time: now,
            default_tag_immutability: false,
            image_index_only: false,
        }
    }
}

/// An image repository.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Repository {
    /// `crr-…`.
    pub id: String,
    /// The namespace's name.
    pub namespace: String,
    /// Its name.
    pub name: String,
    /// `NORMAL`.
    pub status: String,
    /// `PUBLIC` or `PRIVATE`.
    pub repo_type: String,
    /// `MANUAL` (created by a call) or `AUTO` (by a push or a sync).
    pub build_type: String,
    /// One line.
    pub summary: String,
    /// Longer text.
    pub detail: String,
    /// Milliseconds.
    pub create_time: i64,
    /// Milliseconds.
    pub modified_time: i64,
    /// Its tags, newest update first ([`Repository::sort_tags`]).
    pub tags: Vec<Tag>,
    /// Build rules.
    pub build_rules: Vec<BuildRule>,
    /// Builds run from them.
    pub build_records: Vec<BuildRecord>,
    /// Web hooks.
    pub triggers: Vec<Trigger>,
    /// Security scans of its tags.
    pub scans: Vec<ScanTask>,
    /// Whether its tags are immutable: an existing tag cannot be deleted
    /// or pointed at another image.
    #[serde(default)]
    pub tag_immutability: bool,
}

impl Repository {
    /// A repository without tags or rules.
    pub fn new(id: String, namespace: &str, name: &str, repo_type: &str, now: i64) -> Self {
        Repository {
            id,
            namespace: namespace.into(),
            name: name.into(),
            status: "NORMAL".into(),
            repo_type: repo_type.into(),
            build_type: "MANUAL".into(),
            summary: String::new(),
            detail: String::new(),
            create_time: now,
            modified_time: now,
            tags: Vec::new(),
            build_rules: Vec::new(),
            build_records: Vec::new(),
            triggers: Vec::new(),
            scans: Vec::new(),
            tag_immutability: false,
        }
    }

    /// Whether tag `name` is protected by the repository's immutability:
    /// every existing tag but `latest` ("Enable image tag immutability" in
    /// the vendor's Container Registry user guide: all tags except
    /// `latest` cannot be overwritten).
    pub fn is_immutable(&self, name: &str) -> bool {
        self.tag_immutability && name != "latest" && self.tag(name).is_some()
    }

    /// Whether a push of `name` as `digest` would change an immutable tag.
    pub fn refuses_push(&self, name: &str, digest: &str) -> bool {
        self.is_immutable(name) && self.tag(name).is_some_and(|t| t.digest != digest)
    }

    /// The tag called `name`.
    pub fn tag(&self, name: &str) -> Option<&Tag> {
        self.tags.iter().find(|t| t.name == name)
    }

    /// Points `name` at `digest`: a new tag, or an existing one moved.
    pub fn put_tag(&mut self, name: &str, digest: &str, now: i64) {
        match self.tags.iter_mut().find(|t| t.name == name) {
            Some(tag) => {
                tag.digest = digest.to_string();
                tag.update_time = now;
            }
            None => self.tags.push(Tag {
                name: name.to_string(),
                digest: digest.to_string(),
                status: "NORMAL".into(),
                create_time: now,
                update_time: now,
            }),
        }
        self.modified_time = now;
        self.sort_tags();
    }

    /// Restores the order tags are kept in: newest update first, ties by
    /// name, the order `ListRepoTag` pages through. Keeping it on change
    /// (rare) spares a sort on every list (frequent).
    pub fn sort_tags(&mut self) {
        self.tags.sort_by(|a, b| {
            b.update_time
                .cmp(&a.update_time)
                .then_with(|| a.name.cmp(&b.name))
        });
    }
}

/// A tag: a name for a manifest digest.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Tag {
    /// `v1.2.3`.
    pub name: String,
    /// Manifest digest, 64 hex characters.
    pub digest: String,
    /// `NORMAL`.
    pub status: String,
    /// Milliseconds.
    pub create_time: i64,
    /// Milliseconds.
    pub update_time: i64,
}

/// How to build an image from source.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BuildRule {
    /// `crbr-…`.
    pub id: String,
    /// Directory of the Dockerfile.
    pub dockerfile_location: String,
    /// File name of the Dockerfile.
    pub dockerfile_name: String,
    /// `GIT_BRANCH` or `GIT_TAG`.
    pub push_type: String,
    /// The branch or tag.
    pub push_name: String,
    /// The tag the built image gets.
    pub image_tag: String,
    /// Milliseconds.
    pub create_time: i64,
    /// Milliseconds.
    pub modified_time: i64,
}

/// One build.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BuildRecord {
    /// A UUID.
    pub id: String,
    /// The rule it ran.
    pub rule_id: String,
    /// The tag it pushes.
    pub image_tag: String,
    /// `PENDING` → `BUILDING` → `SUCCESS`, or `CANCELED`.
    pub status: String,
    /// Milliseconds.
    pub start_time: i64,
    /// When it reached a final status.
    pub end_time: Option<i64>,
    /// When it starts building.
    pub building_at: i64,
    /// When it finishes.
    pub finish_at: i64,
}

/// A web hook called on repository events.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Trigger {
    /// `crw-…`.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Where it posts.
    pub url: String,
    /// `ALL`, `TAG_LIST` or `TAG_REG_EXP`.
    pub trigger_type: String,
    /// The tags (list or expression) it fires for.
    pub trigger_tag: String,
    /// `BUILD_SUCCESS`.
    pub repo_event: String,
}

/// A security scan of one tag.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScanTask {
    /// `crst-…`.
    pub id: String,
    /// The tag scanned.
    pub tag: String,
    /// Its digest at the time.
    pub digest: String,
    /// `SCANNING` → `COMPLETE`.
    pub status: String,
    /// Milliseconds.
    pub create_time: i64,
    /// When it completes.
    pub finish_at: i64,
    /// What it found, once complete.
    #[serde(default)]
    pub vulnerabilities: Vec<findings::Vulnerability>,
}

/// A synchronisation rule.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SyncRule {
    /// `crsr-…`.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Source region.
    pub local_region_id: String,
    /// Source namespace.
    pub local_namespace: String,
    /// Source repository (empty for a namespace rule).
    pub local_repo: String,
    /// Target region.
    pub target_region_id: String,
    /// Target instance.
    pub target_instance_id: String,
    /// Target namespace.
    pub target_namespace: String,
    /// Target repository (empty for a namespace rule).
    pub target_repo: String,
    /// Regular expression on tag names.
    pub tag_filter: String,
    /// `REPO` or `NAMESPACE`.
    pub scope: String,
    /// `INITIATIVE` or `PASSIVE`.
    pub trigger: String,
    /// Milliseconds.
    pub create_time: i64,
    /// Milliseconds.
    pub modified_time: i64,
    /// Its tasks' priority (`Priority`).
    #[serde(default)]
    pub priority: i64,
    /// The account of the target instance, when it is another one's.
    #[serde(default)]
    pub target_user_id: String,
    /// The custom network link to use (`LinkId`), if any.
    #[serde(default)]
    pub link_id: String,
    /// Regular expression on namespace names (`NamespaceNameFilter`).
    #[serde(default)]
    pub namespace_filter: String,
    /// Regular expression on repository names (`RepoNameFilter`).
    #[serde(default)]
    pub repo_filter: String,
}

/// Where a synchronised image comes from or goes to.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImageAddress {
    /// Region.
    pub region_id: String,
    /// Instance.
    pub instance_id: String,
    /// Namespace.
    pub namespace: String,
    /// Repository.
    pub repo: String,
    /// Tag.
    pub tag: String,
}

/// One synchronisation of one tag.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SyncTask {
    /// `rst-…`.
    pub id: String,
    /// The rule it follows.
    pub rule_id: String,
    /// A UUID shared by the tasks of one batch.
    pub batch_id: String,
    /// `PASSIVE` (by a call) or `INITIATIVE` (by a push).
    pub trigger: String,
    /// `PENDING` → `SYNCING` → `SUCCESS` or `FAILED`.
    pub status: String,
    /// The digest being copied.
    pub digest: String,
    /// Source.
    pub from: ImageAddress,
    /// Target.
    pub to: ImageAddress,
    /// Milliseconds.
    pub create_time: i64,
    /// Milliseconds.
    pub modified_time: i64,
    /// When it starts copying.
    pub syncing_at: i64,
    /// When it finishes.
    pub finish_at: i64,
    /// Its priority (`Priority`).
    #[serde(default)]
    pub priority: i64,
    /// The account of the target instance, when it is another one's.
    #[serde(default)]
    pub target_user_id: String,
}

/// A Helm chart repository.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChartRepository {
    /// `crcr-…`.
    pub id: String,
    /// The chart namespace's name.
    pub namespace: String,
    /// Its name.
    pub name: String,
    /// `NORMAL`.
    pub status: String,
    /// `PUBLIC` or `PRIVATE`.
    pub repo_type: String,
    /// One line.
    pub summary: String,
    /// Milliseconds.
    pub create_time: i64,
    /// Milliseconds.
    pub modified_time: i64,
    /// Its chart versions.
    pub releases: Vec<ChartRelease>,
}

/// One version of one chart.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChartRelease {
    /// The chart's name.
    pub chart: String,
    /// Its version.
    pub release: String,
    /// `NORMAL`.
    pub status: String,
    /// Bytes.
    pub size: i64,
    /// Milliseconds.
    pub modified_time: i64,
}

/// Logon credentials of an instance. Only digests are kept: the state file
/// must not hold a password.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Login {
    /// SHA-256 of the fixed password, once one is set.
    pub password_sha256: Option<String>,
    /// When it was last set.
    pub password_modified: Option<i64>,
    /// Temporary tokens handed out and not yet expired.
    pub tokens: Vec<TemporaryToken>,
}

/// A temporary logon token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TemporaryToken {
    /// The user name to log on with.
    pub username: String,
    /// SHA-256 of the token.
    pub token_sha256: String,
    /// Milliseconds.
    pub expire_time: i64,
}
