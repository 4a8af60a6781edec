//! The resources kept as records (see `records`): one entry each, with the
//! operations of the vendor's API reference that act on it, and what is
//! checked and computed beyond the stored fields.

use serde_json::Value as Json;

use super::records::{accept, nothing, Kind, Verb};
use super::Failure;
use crate::state::lifecycle;
use crate::state::records::Record;
use crate::state::Instance;

use Verb::{Create, Delete, Get, List, Update};

/// Every kind.
pub static KINDS: &[&Kind] = &[
    &LIFECYCLE_RULE,
    &SUBSCRIPTION_RULE,
    &SUBSCRIPTION_TASK,
    &BUILD_RULE,
    &BUILD_TASK,
    &CHAIN,
    &CHAIN_INSTANCE,
    &SCAN_RULE,
    &EVENT_RULE,
    &EVENT_RECORD,
    &ROUTING_RULE,
    &CUSTOM_DOMAIN,
    &SOURCE_CODE_REPO,
];

/// Defaults shared by most kinds.
const BASE: Kind = Kind {
    name: "",
    id: "RuleId",
    prefix: "",
    key: &[],
    lookup_by: &[],
    list: "Rules",
    wrap: None,
    not_found: "",
    exists: "",
    modified: "ModifiedTime",
    filters: &[],
    derive: nothing,
    check: accept,
    verbs: &[],
};

/// Lifecycle (retention) rules; how they run is `state::lifecycle`.
pub const LIFECYCLE_RULE: Kind = Kind {
    name: lifecycle::KIND,
    prefix: "cralr",
    not_found: "ARTIFACT_LIFECYCLE_RULE_NOT_EXIST",
    filters: &[("EnableDeleteTag", "EnableDeleteTag")],
    derive: |_, rule, _| {
        let mut out = vec![
            ("Scope", Json::String(lifecycle::scope(rule))),
            ("Policies", lifecycle::policies(rule)),
            ("Auto", Json::Bool(rule.flag("Auto"))),
            ("EnableDeleteTag", Json::Bool(rule.flag("EnableDeleteTag"))),
        ];
        if let Some(next) = lifecycle::next_time(rule) {
            out.push(("NextTime", next.into()));
        }
        out
    },
    check: check_lifecycle_rule,
    verbs: &[
        ("CreateArtifactLifecycleRule", Create),
        ("GetArtifactLifecycleRule", Get),
        ("ListArtifactLifecycleRule", List),
        ("UpdateArtifactLifecycleRule", Update),
        ("DeleteArtifactLifecycleRule", Delete),
    ],
    ..BASE
};

fn check_lifecycle_rule(instance: &Instance, rule: &Record) -> Result<(), Failure> {
    let scope = lifecycle::scope(rule);
    if !lifecycle::SCOPES.contains(&scope.as_str()) {
        return Err(Failure::invalid(
            "Scope",
            format!(
                "must be one of {}, got {scope:?}",
                lifecycle::SCOPES.join(", ")
            ),
        ));
    }
    let namespace = rule.text("NamespaceName");
    if scope != "INSTANCE" && instance.namespace(&namespace).is_none() {
        return Err(Failure::business(
            "NAMESPACE_NOT_EXIST",
            format!("The namespace {namespace:?} (NamespaceName) does not exist."),
        ));
    }
    let repo = rule.text("RepoName");
    if scope == "REPO" && instance.repository_named(&namespace, &repo).is_none() {
        return Err(super::repo_not_found(&format!(
            "{namespace}/{repo} (RepoName)"
        )));
    }
    if let Err(e) = lifecycle::tag_pattern(rule) {
        return Err(Failure::invalid(
            "TagRegexp",
            format!("not a regular expression: {e}"),
        ));
    }
    match rule.int("RetentionTagCount") {
        Some(n) if n < 0 => {
            return Err(Failure::invalid(
                "RetentionTagCount",
                "must not be negative",
            ))
        }
        None if !rule.text("RetentionTagCount").is_empty() => {
            return Err(Failure::invalid(
                "RetentionTagCount",
                "must be a whole number",
            ))
        }
        _ => {}
    }
    let schedule = rule.text("ScheduleTime");
    if (!schedule.is_empty() || rule.flag("Auto")) && lifecycle::period(rule).is_none() {
        let names: Vec<&str> = lifecycle::SCHEDULES.iter().map(|(n, _)| *n).collect();
        return Err(Failure::invalid(
            "ScheduleTime",
            format!(
                "must be one of {} (an automatic rule needs one), got {schedule:?}",
                names.join(", ")
            ),
        ));
    }
    Ok(())
}

/// Subscriptions to images of another registry.
pub const SUBSCRIPTION_RULE: Kind = Kind {
    name: "ArtifactSubscriptionRule",
    prefix: "crasr",
    not_found: "ARTIFACT_SUBSCRIPTION_RULE_NOT_EXIST",
    derive: |_, rule, _| {
        let domain = match rule.text("SourceProvider").as_str() {
            "DOCKER_HUB" => "docker.io",
            "GCR" => "gcr.io",
            "QUAY" => "quay.io",
            _ => "",
        };
        vec![("SourceDomain", Json::String(domain.into()))]
    },
    check: |instance, rule| {
        check_pattern(rule, "TagRegexp")?;
        check_namespace(instance, rule, "NamespaceName")
    },
    verbs: &[
        ("CreateArtifactSubscriptionRule", Create),
        ("GetArtifactSubscriptionRule", Get),
        ("ListArtifactSubscriptionRule", List),
        ("UpdateArtifactSubscriptionRule", Update),
        ("DeleteArtifactSubscriptionRule", Delete),
    ],
    ..BASE
};

/// Runs of subscription rules (created by `CreateArtifactSubscriptionTask`).
pub const SUBSCRIPTION_TASK: Kind = Kind {
    name: "ArtifactSubscriptionTask",
    id: "TaskId",
    list: "Tasks",
    not_found: "ARTIFACT_SUBSCRIPTION_TASK_NOT_EXIST",
    verbs: &[
        ("GetArtifactSubscriptionTask", Get),
        ("ListArtifactSubscriptionTask", List),
    ],
    ..BASE
};

/// Rules that build accelerated images of a repository's pushes.
pub const BUILD_RULE: Kind = Kind {
    name: "ArtifactBuildRule",
    id: "BuildRuleId",
    prefix: "crabr",
    lookup_by: &["ScopeType", "ScopeId", "ArtifactType"],
    not_found: "ARTIFACT_BUILD_RULE_NOT_EXIST",
    check: |instance, rule| {
        let scope = rule.text("ScopeId");
        match instance.repository(&scope) {
            Some(_) => Ok(()),
            None => Err(super::repo_not_found(&format!("{scope} (ScopeId)"))),
        }
    },
    verbs: &[
        ("CreateArtifactBuildRule", Create),
        ("GetArtifactBuildRule", Get),
    ],
    ..BASE
};

/// Accelerated-image builds (started by pushes; `state::artifacts`).
pub const BUILD_TASK: Kind = Kind {
    name: "ArtifactBuildTask",
    id: "BuildTaskId",
    not_found: "ARTIFACT_BUILD_TASK_NOT_EXIST",
    verbs: &[("GetArtifactBuildTask", Get)],
    ..BASE
};

/// Delivery chains.
pub const CHAIN: Kind = Kind {
    name: "Chain",
    id: "ChainId",
    prefix: "chi",
    list: "Chains",
    not_found: "CHAIN_NOT_EXIST",
    filters: &[
        ("RepoName", "RepoName"),
        ("RepoNamespaceName", "RepoNamespaceName"),
    ],
    derive: |instance, chain, _| {
        let (ns, repo) = (chain.text("RepoNamespaceName"), chain.text("RepoName"));
        match instance.repository_named(&ns, &repo) {
            Some(r) => vec![
                ("ScopeType", "REPOSITORY".into()),
                ("ScopeId", r.id.clone().into()),
            ],
            None => vec![
                ("ScopeType", "NAMESPACE".into()),
                (
                    "ScopeId",
                    instance
                        .namespace(&ns)
                        .map(|n| n.id.clone())
                        .unwrap_or_default()
                        .into(),
                ),
            ],
        }
    },
    check: |instance, chain| {
        let config = chain.fields.get("ChainConfig");
        if config.is_some_and(|c| !c.is_object()) {
            return Err(Failure::invalid("ChainConfig", "must be a JSON object"));
        }
        check_namespace(instance, chain, "RepoNamespaceName")
    },
    verbs: &[
        ("CreateChain", Create),
        ("GetChain", Get),
        ("ListChain", List),
        ("UpdateChain", Update),
        ("DeleteChain", Delete),
    ],
    ..BASE
};

/// Runs of delivery chains.
pub const CHAIN_INSTANCE: Kind = Kind {
    name: "ChainInstance",
    id: "ChainInstanceId",
    list: "ChainInstances",
    filters: &[
        ("RepoName", "RepoName"),
        ("RepoNamespaceName", "RepoNamespaceName"),
    ],
    verbs: &[("ListChainInstance", List)],
    ..BASE
};

/// Rules that scan pushed tags.
pub const SCAN_RULE: Kind = Kind {
    name: "ScanRule",
    id: "ScanRuleId",
    prefix: "crscnr",
    list: "ScanRules",
    wrap: Some("ScanRule"),
    not_found: "SCAN_RULE_NOT_EXIST",
    modified: "UpdateTime",
    filters: &[("ScanType", "ScanType")],
    derive: |_, rule, _| match rule.text("ScanType") {
        t if t.is_empty() => vec![("ScanType", "VUL".into())],
        _ => Vec::new(),
    },
    check: |_, rule| {
        check_pattern(rule, "RepoTagFilterPattern")?;
        let needed = match rule.text("ScanScope").as_str() {
            "NAMESPACE" => "Namespaces",
            "REPO" => "RepoNames",
            _ => return Ok(()),
        };
        match rule.fields.get(needed) {
            Some(Json::Array(items)) if !items.is_empty() => Ok(()),
            _ => Err(Failure::invalid(
                needed,
                format!(
                    "a JSON list of names is required when ScanScope is {}",
                    rule.text("ScanScope")
                ),
            )),
        }
    },
    verbs: &[
        ("CreateScanRule", Create),
        ("GetScanRule", Get),
        ("ListScanRule", List),
        ("UpdateScanRule", Update),
        ("DeleteScanRule", Delete),
    ],
    ..BASE
};

/// Event-centre notification rules.
pub const EVENT_RULE: Kind = Kind {
    name: "EventCenterRule",
    list: "RuleNames",
    not_found: "EVENT_CENTER_RULE_NOT_EXIST",
    check: |_, rule| check_pattern(rule, "RepoTagFilterPattern"),
    verbs: &[
        ("UpdateEventCenterRule", Update),
        ("DeleteEventCenterRule", Delete),
        ("ListEventCenterRuleName", List),
    ],
    ..BASE
};

/// Notifications the event centre sent.
pub const EVENT_RECORD: Kind = Kind {
    name: "EventCenterRecord",
    id: "RecordId",
    list: "Records",
    modified: "UpdateTime",
    filters: &[
        ("EventType", "EventType"),
        ("RepoName", "RepoName"),
        ("RepoNamespaceName", "Namespace"),
        ("RuleId", "RuleId"),
    ],
    verbs: &[("ListEventCenterRecord", List)],
    ..BASE
};

/// Which storage domain serves which instance domain.
pub const ROUTING_RULE: Kind = Kind {
    name: "StorageDomainRoutingRule",
    prefix: "crsdr",
    not_found: "STORAGE_DOMAIN_ROUTING_RULE_NOT_EXIST",
    modified: "ModifyTime",
    check: |_, rule| match rule.fields.get("Routes") {
        Some(Json::Array(routes))
            if !routes.is_empty()
                && routes.iter().all(|r| {
                    ["EndpointType", "InstanceDomain", "StorageDomain"]
                        .iter()
                        .all(|k| {
                            r.get(k)
                                .and_then(Json::as_str)
                                .is_some_and(|v| !v.is_empty())
                        })
                }) =>
        {
            Ok(())
        }
        _ => Err(Failure::invalid(
            "Routes",
            "must be a JSON list of {EndpointType, InstanceDomain, StorageDomain}",
        )),
    },
    verbs: &[
        ("CreateStorageDomainRoutingRule", Create),
        ("GetStorageDomainRoutingRule", Get),
        ("UpdateStorageDomainRoutingRule", Update),
        ("DeleteStorageDomainRoutingRule", Delete),
    ],
    ..BASE
};

/// The instance's own domain names, with their certificates.
pub const CUSTOM_DOMAIN: Kind = Kind {
    name: "InstanceCustomizedDomain",
    id: "",
    key: &["ModuleName", "Domain"],
    not_found: "DOMAIN_NOT_EXIST",
    exists: "DOMAIN_ALREADY_EXIST",
    derive: |instance, _, _| {
        vec![
            ("DomainType", "USER".into()),
            ("EndpointType", "internet".into()),
            ("RegionId", instance.region_id.clone().into()),
        ]
    },
    verbs: &[
        ("CreateInstanceCustomizedDomain", Create),
        ("GetInstanceCustomizedDomain", Get),
        ("UpdateInstanceCustomizedDomain", Update),
        ("DeleteInstanceCustomizedDomain", Delete),
    ],
    ..BASE
};

/// The source code repository a repository builds from.
pub const SOURCE_CODE_REPO: Kind = Kind {
    name: "RepoSourceCodeRepo",
    id: "",
    key: &["RepoId"],
    not_found: "REPO_SOURCE_CODE_REPO_NOT_EXIST",
    exists: "REPO_SOURCE_CODE_REPO_ALREADY_EXIST",
    derive: |_, source, _| {
        let domain = match source.text("CodeRepoType").as_str() {
            "GITHUB" => "https://github.com",
            "GITLAB" => "https://gitlab.com",
            "GITEE" => "https://gitee.com",
            "CODEUP" => "https://codeup.aliyun.com",
            _ => "https://code.aliyun.com",
        };
        let mut out = vec![("CodeRepoDomain", Json::String(domain.into()))];
        for flag in ["AutoBuild", "DisableCacheBuild", "OverseaBuild"] {
            out.push((flag, Json::String(source.flag(flag).to_string())));
        }
        out
    },
    check: |instance, source| {
        let id = source.text("RepoId");
        match instance.repository(&id) {
            Some(_) => Ok(()),
            None => Err(super::repo_not_found(&id)),
        }
    },
    verbs: &[
        ("CreateRepoSourceCodeRepo", Create),
        ("GetRepoSourceCodeRepo", Get),
        ("UpdateRepoSourceCodeRepo", Update),
    ],
    ..BASE
};

/// A field holding a regular expression must compile.
fn check_pattern(record: &Record, name: &str) -> Result<(), Failure> {
    match regex_lite::Regex::new(&record.text(name)) {
        Ok(_) => Ok(()),
        Err(e) => Err(Failure::invalid(
            name,
            format!("not a regular expression: {e}"),
        )),
    }
}

/// A namespace named by a field, when given, must exist.
fn check_namespace(instance: &Instance, record: &Record, name: &str) -> Result<(), Failure> {
    let namespace = record.text(name);
    if namespace.is_empty() || instance.namespace(&namespace).is_some() {
        Ok(())
    } else {
        Err(Failure::business(
            "NAMESPACE_NOT_EXIST",
            format!("The namespace {namespace:?} ({name}) does not exist."),
        ))
    }
}
