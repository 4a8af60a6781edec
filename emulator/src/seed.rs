//! Deterministic demo data (`--seed demo`) and the empty start (`--seed empty`).
//!
//! One table ([`DEMO_REPOSITORIES`]) describes the repositories; their tags
//! are generated from a fixed seed as a CI system would produce them
//! (release versions, commit tags, `latest`, `stable`), so several tags share
//! one digest. The same repositories and tags appear in all three registries
//! (cr, Scaleway, SWR) so the dashboard shows the same data whichever it
//! speaks to. `demo/big-app` holds more than 2,000 tags for paging.

use crate::clock::Rng;
use crate::state::image::{self, Image};
use crate::state::scaleway::{ScwImage, ScwNamespace, ScwTag};
use crate::state::swr::{SwrNamespace, SwrRepo, SwrTag};
use crate::state::swr_retention::{SwrRetention, SwrRetentionRule, TagSelector};
use crate::state::*;

mod rules;
pub use rules::{DEMO_BUILD_TASK_ID, DEMO_QUEUED_BUILD_TASK_ID};

/// What `--seed` starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seed {
    /// The demo data below.
    Demo,
    /// Nothing but the regions.
    Empty,
}

impl Seed {
    /// `demo` or `empty`.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "demo" => Some(Seed::Demo),
            "empty" => Some(Seed::Empty),
            _ => None,
        }
    }

    /// The state it describes.
    pub fn state(self) -> State {
        match self {
            Seed::Demo => demo(),
            Seed::Empty => State::empty(GENERATOR_SEED),
        }
    }
}

/// Fixed, so every run of the demo has the same ids and digests.
const GENERATOR_SEED: u64 = 0x7A6D_ECC0_2024_0601;

/// 2024-06-01T00:00:00Z: the demo's "now" for the times it invents.
pub const DEMO_EPOCH_MS: i64 = 1_717_200_000_000;

/// The demo instance the dashboard opens by default.
pub const DEMO_INSTANCE_ID: &str = "cri-tagdeckdemo00001";
/// Its region.
pub const DEMO_REGION_ID: &str = "cn-hangzhou";
/// The second instance, target of a synchronisation rule.
pub const MIRROR_INSTANCE_ID: &str = "cri-tagdeckdemo00002";
/// Its region.
pub const MIRROR_REGION_ID: &str = "cn-shanghai";
/// The Scaleway region of most demo namespaces.
pub const SCALEWAY_REGION: &str = "fr-par";

/// One demo repository: namespace, name, how many tags, summary.
struct DemoRepository {
    namespace: &'static str,
    name: &'static str,
    tags: usize,
    summary: &'static str,
    public: bool,
}

const DEMO_REPOSITORIES: &[DemoRepository] = &[
    DemoRepository {
        namespace: "demo",
        name: "big-app",
        tags: 2_400,
        summary: "Monolith built on every commit (paging demo)",
        public: false,
    },
    DemoRepository {
        namespace: "demo",
        name: "web",
        tags: 48,
        summary: "Web front end",
        public: true,
    },
    DemoRepository {
        namespace: "demo",
        name: "api",
        tags: 36,
        summary: "REST API",
        public: false,
    },
    DemoRepository {
        namespace: "demo",
        name: "worker",
        tags: 12,
        summary: "Background jobs",
        public: false,
    },
    DemoRepository {
        namespace: "platform",
        name: "nginx",
        tags: 30,
        summary: "Ingress proxy",
        public: true,
    },
    DemoRepository {
        namespace: "platform",
        name: "redis",
        tags: 18,
        summary: "Cache",
        public: false,
    },
    DemoRepository {
        namespace: "platform",
        name: "postgres",
        tags: 24,
        summary: "Database",
        public: false,
    },
    DemoRepository {
        namespace: "ml",
        name: "trainer",
        tags: 9,
        summary: "Model training jobs",
        public: false,
    },
    DemoRepository {
        namespace: "ml",
        name: "notebook",
        tags: 5,
        summary: "Jupyter images",
        public: false,
    },
    DemoRepository {
        namespace: "sandbox",
        name: "empty-repo",
        tags: 0,
        summary: "A repository without tags",
        public: false,
    },
];

/// A generated tag: name, manifest digest, created, updated.
#[derive(Debug, Clone)]
struct GeneratedTag {
    name: String,
    digest: String,
    created: i64,
    updated: i64,
}

/// Tags as CI produces them: each build is an image with a version tag and
/// a commit tag (sharing its digest); `latest` points at the newest build,
/// `stable` at an older one. Stops at exactly `count` tags.
fn generate_tags(
    rng: &mut Rng,
    images: &mut Vec<Image>,
    repo_index: usize,
    count: usize,
) -> Vec<GeneratedTag> {
    let mut tags = Vec::with_capacity(count);
    if count == 0 {
        return tags;
    }
    // Reserve two names for `latest` and `stable` when there is room.
    let extras = if count >= 4 { 2 } else { 0 };
    let span = 300 * 86_400_000_i64; // builds spread over ~10 months
    let builds = (count - extras).div_ceil(2).max(1);
    let step = span / builds as i64;
    let mut build = 0usize;
    while tags.len() < count - extras {
        let created = DEMO_EPOCH_MS - span + build as i64 * step + rng.between(0, step / 2);
        let image = image::generate(rng, repo_index, created);
        let digest = image.manifest_digest();
        images.push(image);
        let (major, minor, patch) = (1 + build / 400, build / 20 % 20, build % 20);
        let names = [
            format!("{major}.{minor}.{patch}"),
            format!("sha-{}", rng.hex(7)),
        ];
        for name in names {
            if tags.len() < count - extras {
                tags.push(GeneratedTag {
                    name,
                    digest: digest.clone(),
                    created,
                    updated: created,
                });
            }
        }
        build += 1;
    }
    if extras == 2 {
        let newest = tags.last().expect("at least one build").clone();
        let older = tags[tags.len() / 2].clone();
        for (name, from) in [("stable", older), ("latest", newest)] {
            tags.push(GeneratedTag {
                name: name.into(),
                digest: from.digest,
                created: from.created,
                updated: DEMO_EPOCH_MS - rng.between(0, 3_600_000),
            });
        }
    }
    tags
}

/// The demo state.
pub fn demo() -> State {
    let mut state = State::empty(GENERATOR_SEED);
    let rng = &mut state.rng;
    let mut images = Vec::new();
    let generated: Vec<Vec<GeneratedTag>> = DEMO_REPOSITORIES
        .iter()
        .enumerate()
        .map(|(i, r)| generate_tags(rng, &mut images, i, r.tags))
        .collect();
    for image in images {
        state.put_image(image);
    }

    let mut main = instance(
        &mut state.rng,
        DEMO_INSTANCE_ID,
        "demo-hangzhou",
        DEMO_REGION_ID,
        "Enterprise_Standard",
    );
    let mut mirror = instance(
        &mut state.rng,
        MIRROR_INSTANCE_ID,
        "demo-shanghai",
        MIRROR_REGION_ID,
        "Enterprise_Basic",
    );
    mirror.namespace_quota = 3;
    mirror.repo_quota = 300;

    for ns in ["demo", "platform", "ml", "sandbox"] {
        main.namespaces.push(Namespace::new(
            state.rng.resource_id("crn"),
            ns,
            ns != "sandbox",
            "PRIVATE",
            DEMO_EPOCH_MS - 320 * 86_400_000,
        ));
    }
    for (spec, tags) in DEMO_REPOSITORIES.iter().zip(&generated) {
        let created = tags
            .first()
            .map_or(DEMO_EPOCH_MS - 30 * 86_400_000, |t| t.created - 3_600_000);
        let mut repo = repository(
            &mut state.rng,
            spec.namespace,
            spec.name,
            spec.summary,
            spec.public,
            created,
        );
        repo.tags = tags
            .iter()
            .map(|t| Tag {
                name: t.name.clone(),
                digest: t.digest.clone(),
                status: "NORMAL".into(),
                create_time: t.created,
                update_time: t.updated,
            })
            .collect();
        repo.modified_time = tags.iter().map(|t| t.updated).max().unwrap_or(created);
        repo.sort_tags();
        main.repositories.push(repo);
    }
    add_web_extras(&mut state.rng, &mut main);
    add_charts(&mut state.rng, &mut main);

    // The mirror: a namespace that receives demo/web by a sync rule.
    mirror.namespaces.push(Namespace::new(
        state.rng.resource_id("crn"),
        "mirror",
        true,
        "PRIVATE",
        DEMO_EPOCH_MS - 200 * 86_400_000,
    ));
    add_sync(&mut state.rng, &mut main, &mut mirror);

    state.instances = vec![main, mirror];
    rules::add(&mut state);
    seed_scaleway(&mut state, &generated);
    seed_swr(&mut state, &generated);
    state
}

fn instance(rng: &mut Rng, id: &str, name: &str, region: &str, specification: &str) -> Instance {
    let created = DEMO_EPOCH_MS - 330 * 86_400_000;
    let domain = |suffix: &str, kind: &str| Domain {
        domain: format!("{name}-{kind}{suffix}.{region}.cr.aliyuncs.com"),
        domain_type: "SYSTEM".into(),
    };
    let endpoint = |module: &str, endpoint_type: &str, enable: bool, acl: Vec<AclEntry>| Endpoint {
        module: module.into(),
        endpoint_type: endpoint_type.into(),
        enable,
        acl_enable: endpoint_type == "internet",
        acl_entries: acl,
        domains: vec![domain(
            if endpoint_type == "vpc" { "-vpc" } else { "" },
            if module == "Chart" {
                "chart"
            } else {
                "registry"
            },
        )],
    };
    let office = vec![
        AclEntry {
            entry: "127.0.0.1/32".into(),
            comment: "local".into(),
        },
        AclEntry {
            entry: "203.0.113.0/24".into(),
            comment: "office".into(),
        },
    ];
    let vpc_suffix = rng.hex(17);
    Instance {
        id: id.into(),
        name: name.into(),
        region_id: region.into(),
        specification: specification.into(),
        status: "RUNNING".into(),
        create_time: created,
        modified_time: created + 120_000,
        namespace_quota: 50,
        repo_quota: 1_000,
        endpoints: vec![
            endpoint("Registry", "internet", true, office),
            endpoint("Registry", "vpc", true, Vec::new()),
            endpoint("Chart", "internet", false, Vec::new()),
            endpoint("Chart", "vpc", true, Vec::new()),
        ],
        linked_vpcs: vec![LinkedVpc {
            module: "Registry".into(),
            vpc_id: format!("vpc-bp1{vpc_suffix}"),
            vswitch_id: format!("vsw-bp1{}", rng.hex(17)),
            ip: format!("172.16.{}.{}", rng.between(0, 254), rng.between(2, 254)),
            default_access: false,
            status: "RUNNING".into(),
            create_time: created + 86_400_000,
            ready_at: created + 86_460_000,
        }],
        namespaces: Vec::new(),
        repositories: Vec::new(),
        sync_rules: Vec::new(),
        sync_tasks: Vec::new(),
        chart_namespaces: Vec::new(),
        chart_repositories: Vec::new(),
        login: Login::default(),
        resource_group_id: format!("rg-acfm{}", rng.hex(11)),
        records: Default::default(),
    }
}

fn repository(
    rng: &mut Rng,
    namespace: &str,
    name: &str,
    summary: &str,
    public: bool,
    created: i64,
) -> Repository {
    let mut repo = Repository::new(
        rng.resource_id("crr"),
        namespace,
        name,
        if public { "PUBLIC" } else { "PRIVATE" },
        created,
    );
    repo.summary = summary.into();
    repo.detail = format!("# {name}\n\n{summary}.");
    repo
}

/// Build rules, finished builds, a trigger and a finished scan on `demo/web`.
fn add_web_extras(rng: &mut Rng, main: &mut Instance) {
    let Some(web) = main
        .repositories
        .iter_mut()
        .find(|r| r.namespace == "demo" && r.name == "web")
    else {
        return;
    };
    let created = DEMO_EPOCH_MS - 90 * 86_400_000;
    for (push_type, push_name, tag) in [
        ("GIT_BRANCH", "main", "latest"),
        ("GIT_TAG", "release-1.4", "1.4"),
    ] {
        web.build_rules.push(BuildRule {
            id: rng.resource_id("crbr"),
            dockerfile_location: "/".into(),
            dockerfile_name: "Dockerfile".into(),
            push_type: push_type.into(),
            push_name: push_name.into(),
            image_tag: tag.into(),
            create_time: created,
            modified_time: created,
        });
    }
    let rule = web.build_rules[0].id.clone();
    for (i, status) in ["SUCCESS", "SUCCESS", "CANCELED", "SUCCESS"]
        .into_iter()
        .enumerate()
    {
        let start = DEMO_EPOCH_MS - (10 - i as i64) * 86_400_000;
        web.build_records.push(BuildRecord {
            id: rng.uuid(),
            rule_id: rule.clone(),
            image_tag: "latest".into(),
            status: status.into(),
            start_time: start,
            end_time: Some(start + 180_000 + rng.between(0, 120_000)),
            building_at: start + 5_000,
            finish_at: start + 180_000,
        });
    }
    web.triggers.push(Trigger {
        id: rng.resource_id("crw"),
        name: "deploy-staging".into(),
        url: "https://hooks.example.com/deploy/staging".into(),
        trigger_type: "TAG_LIST".into(),
        trigger_tag: "latest".into(),
        repo_event: "BUILD_SUCCESS".into(),
    });
    if let Some(latest) = web.tag("latest").cloned() {
        web.scans.push(ScanTask {
            id: rng.resource_id("crst"),
            tag: latest.name,
            digest: latest.digest,
            status: "COMPLETE".into(),
            create_time: DEMO_EPOCH_MS - 86_400_000,
            finish_at: DEMO_EPOCH_MS - 86_340_000,
            vulnerabilities: Vec::new(),
        });
    }
}

/// Chart namespaces, repositories and releases.
fn add_charts(rng: &mut Rng, main: &mut Instance) {
    let created = DEMO_EPOCH_MS - 150 * 86_400_000;
    for (ns, repos) in [("charts", &["web", "api"][..]), ("infra", &["ingress"][..])] {
        main.chart_namespaces.push(Namespace::new(
            rng.resource_id("crcn"),
            ns,
            true,
            "PRIVATE",
            created,
        ));
        for name in repos {
            let releases = (0..6)
                .map(|i| ChartRelease {
                    chart: (*name).into(),
                    release: format!("0.{}.{}", i / 3 + 1, i % 3),
                    status: "NORMAL".into(),
                    size: rng.between(2_000, 40_000),
                    modified_time: created + i * 7 * 86_400_000,
                })
                .collect();
            main.chart_repositories.push(ChartRepository {
                id: rng.resource_id("crcr"),
                namespace: ns.into(),
                name: (*name).into(),
                status: "NORMAL".into(),
                repo_type: "PRIVATE".into(),
                summary: format!("Helm chart of {name}"),
                create_time: created,
                modified_time: created + 35 * 86_400_000,
                releases,
            });
        }
    }
}

/// A rule that copies `demo/web` to the mirror, and two finished tasks.
fn add_sync(rng: &mut Rng, main: &mut Instance, mirror: &mut Instance) {
    let created = DEMO_EPOCH_MS - 60 * 86_400_000;
    let rule = SyncRule {
        id: rng.resource_id("crsr"),
        name: "web-to-shanghai".into(),
        local_region_id: main.region_id.clone(),
        local_namespace: "demo".into(),
        local_repo: "web".into(),
        target_region_id: mirror.region_id.clone(),
        target_instance_id: mirror.id.clone(),
        target_namespace: "mirror".into(),
        target_repo: "web".into(),
        tag_filter: ".*".into(),
        scope: "REPO".into(),
        trigger: "PASSIVE".into(),
        create_time: created,
        modified_time: created,
        priority: 0,
        target_user_id: String::new(),
        link_id: String::new(),
        namespace_filter: String::new(),
        repo_filter: String::new(),
    };
    let web = main
        .repositories
        .iter()
        .find(|r| r.namespace == "demo" && r.name == "web")
        .expect("demo/web is in the table");
    let mut copied = mirror_repository(rng, created);
    let batch = rng.uuid();
    for (i, tag) in ["stable", "latest"].iter().enumerate() {
        let Some(tag) = web.tag(tag) else { continue };
        let at = created + (i as i64 + 1) * 86_400_000;
        let address = |instance: &Instance, namespace: &str| ImageAddress {
            region_id: instance.region_id.clone(),
            instance_id: instance.id.clone(),
            namespace: namespace.into(),
            repo: "web".into(),
            tag: tag.name.clone(),
        };
        main.sync_tasks.push(SyncTask {
            id: rng.resource_id("rst"),
            rule_id: rule.id.clone(),
            batch_id: batch.clone(),
            trigger: "PASSIVE".into(),
            status: "SUCCESS".into(),
            digest: tag.digest.clone(),
            from: address(main, "demo"),
            to: address(mirror, "mirror"),
            create_time: at,
            modified_time: at + 42_000,
            syncing_at: at + 2_000,
            finish_at: at + 42_000,
            priority: 0,
            target_user_id: String::new(),
        });
        copied.put_tag(&tag.name, &tag.digest, at + 42_000);
    }
    main.sync_rules.push(rule);
    mirror.repositories.push(copied);
}

fn mirror_repository(rng: &mut Rng, created: i64) -> Repository {
    let mut repo = repository(rng, "mirror", "web", "", false, created);
    repo.build_type = "AUTO".into();
    repo
}

fn seed_scaleway(state: &mut State, generated: &[Vec<GeneratedTag>]) {
    let organization = state.rng.uuid();
    let project = state.rng.uuid();
    let mut namespaces: Vec<ScwNamespace> = Vec::new();
    for (spec, tags) in DEMO_REPOSITORIES.iter().zip(generated) {
        let region = if spec.namespace == "ml" {
            "nl-ams"
        } else {
            SCALEWAY_REGION
        };
        let created = tags
            .first()
            .map_or(DEMO_EPOCH_MS, |t| t.created - 3_600_000);
        if !namespaces
            .iter()
            .any(|n| n.name == spec.namespace && n.region == region)
        {
            namespaces.push(ScwNamespace {
                id: state.rng.uuid(),
                name: spec.namespace.into(),
                description: format!("{} images", spec.namespace),
                region: region.into(),
                organization_id: organization.clone(),
                project_id: project.clone(),
                is_public: false,
                created_at: DEMO_EPOCH_MS - 320 * 86_400_000,
                updated_at: DEMO_EPOCH_MS - 320 * 86_400_000,
                images: Vec::new(),
            });
        }
        let image = ScwImage {
            id: state.rng.uuid(),
            name: spec.name.into(),
            visibility: if spec.public { "public" } else { "inherit" }.into(),
            created_at: created,
            updated_at: tags.iter().map(|t| t.updated).max().unwrap_or(created),
            tags: tags
                .iter()
                .map(|t| ScwTag {
                    id: state.rng.uuid(),
                    name: t.name.clone(),
                    digest: t.digest.clone(),
                    status: "ready".into(),
                    created_at: t.created,
                    updated_at: t.updated,
                })
                .collect(),
        };
        namespaces
            .iter_mut()
            .find(|n| n.name == spec.namespace && n.region == region)
            .expect("just added")
            .images
            .push(image);
    }
    state.scaleway.namespaces = namespaces;
}

fn seed_swr(state: &mut State, generated: &[Vec<GeneratedTag>]) {
    let swr = &mut state.swr;
    swr.domain_id = state.rng.hex(32);
    for (spec, tags) in DEMO_REPOSITORIES.iter().zip(generated) {
        if !swr.namespaces.iter().any(|n| n.name == spec.namespace) {
            let id = swr.new_id();
            swr.namespaces.push(SwrNamespace {
                id,
                name: spec.namespace.into(),
                repos: Vec::new(),
            });
        }
        let repo_id = swr.new_id();
        let tags = tags
            .iter()
            .map(|t| SwrTag {
                id: swr.new_id(),
                name: t.name.clone(),
                digest: t.digest.clone(),
                created: t.created,
                updated: t.updated,
            })
            .collect();
        swr.namespaces
            .iter_mut()
            .find(|n| n.name == spec.namespace)
            .expect("just added")
            .repos
            .push(SwrRepo {
                id: repo_id,
                name: spec.name.into(),
                tags,
                retentions: Vec::new(),
                retention_log: Vec::new(),
            });
    }
    // An image retention policy on demo/api: `latest`, `stable` and the
    // x.y.0 releases set aside, the 10 most recent others kept. It has not
    // run (it would when changed: state::swr_retention), so the dashboard
    // previews what it would delete.
    let id = swr.new_id();
    let selector = |kind: &str, pattern: &str| TagSelector {
        kind: kind.into(),
        pattern: pattern.into(),
    };
    swr.repo_mut("demo", "api")
        .expect("seeded above")
        .retentions
        .push(SwrRetention {
            id,
            rules: vec![SwrRetentionRule {
                template: "tag_rule".into(),
                count: 10,
                tag_selectors: vec![
                    selector("label", "latest"),
                    selector("label", "stable"),
                    selector("regexp", r"^\d+\.\d+\.0$"),
                ],
            }],
            last_run: None,
        });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn the_demo_is_deterministic() {
        let a = serde_json::to_string(&demo()).unwrap();
        let b = serde_json::to_string(&demo()).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn big_app_has_more_than_2000_unique_tags_some_sharing_a_digest() {
        let state = demo();
        let main = state.instance(DEMO_INSTANCE_ID).unwrap();
        let big = main.repository_named("demo", "big-app").unwrap();
        assert!(big.tags.len() >= 2_000, "{}", big.tags.len());
        let mut names = std::collections::HashSet::new();
        let mut by_digest: HashMap<&str, usize> = HashMap::new();
        for tag in &big.tags {
            assert!(names.insert(&tag.name), "duplicate tag {}", tag.name);
            assert!(state.images.contains_key(&tag.digest));
            *by_digest.entry(&tag.digest).or_default() += 1;
        }
        assert!(by_digest.values().any(|&n| n >= 2));
        assert!(by_digest.len() > 1_000);
    }

    #[test]
    fn every_provider_sees_the_same_tags() {
        let state = demo();
        let cr = state
            .instance(DEMO_INSTANCE_ID)
            .unwrap()
            .repository_named("demo", "web")
            .unwrap();
        let swr = state.swr.repo("demo", "web").unwrap();
        let scw = state
            .scaleway
            .namespaces
            .iter()
            .find(|n| n.name == "demo")
            .unwrap();
        let scw = scw.images.iter().find(|i| i.name == "web").unwrap();
        // The same names (each registry keeps its own order).
        let names = |v: Vec<&String>| {
            let mut names: Vec<String> = v.into_iter().cloned().collect();
            names.sort();
            names
        };
        let cr_names = names(cr.tags.iter().map(|t| &t.name).collect());
        assert_eq!(cr_names, names(swr.tags.iter().map(|t| &t.name).collect()));
        assert_eq!(cr_names, names(scw.tags.iter().map(|t| &t.name).collect()));
        assert_eq!(cr.tags.len(), 48);
    }
}
