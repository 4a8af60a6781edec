//! What a finished scan of a tag found (`state::findings`): the summary by
//! severity, the vulnerability list, baseline checks and malicious files.
//! The scan is the one `ScanTaskId` names, or the newest finished scan of
//! the tag (`RepoId` and `Tag`) or of the image (`Digest`).

use super::{page, Answer, Call, Failure, Route};
use crate::obj;
use crate::state::findings::{self, Vulnerability};
use crate::state::{ScanTask, State};

pub(super) const ROUTES: &[Route] = &[
    Route::read("GetRepoTagScanSummary", summary),
    Route::read("ListRepoTagScanResult", vulnerabilities),
    Route::read("ListScanBaselineByTask", baselines),
    Route::read("ListScanMaliciousFileByTask", malicious_files),
];

/// The severities in the order the summary counts them.
const SEVERITIES: &[&str] = &["High", "Medium", "Low", "Unknown"];

/// The scan the call names, finished.
fn scan<'s>(state: &'s State, call: &Call<'_>) -> Result<&'s ScanTask, Failure> {
    let instance = call.instance(state)?;
    let (task, tag) = (call.given("ScanTaskId"), call.given("Tag"));
    let digest = call
        .given("Digest")
        .map(|d| d.trim_start_matches("sha256:"));
    let repo_id = call.given("RepoId");
    if task.is_none() && digest.is_none() && tag.is_none() {
        return Err(Failure::missing("Tag"));
    }
    let repos: Vec<_> = match repo_id {
        Some(_) => vec![call.repository(instance)?],
        None => instance.repositories.iter().collect(),
    };
    if let (Some(tag), [repo]) = (tag, repos.as_slice()) {
        repo.tag(tag)
            .ok_or_else(|| super::tag::tag_not_found(repo, tag))?;
    }
    let mut matching = repos.iter().flat_map(|r| r.scans.iter().rev()).filter(|s| {
        task.is_none_or(|t| s.id == t)
            && tag.is_none_or(|t| s.tag == t)
            && digest.is_none_or(|d| s.digest == d)
    });
    let mut unfinished = None;
    for scan in &mut matching {
        if scan.status == "COMPLETE" {
            return Ok(scan);
        }
        unfinished = Some(scan);
    }
    Err(match unfinished {
        Some(scan) => Failure::business(
            "SCAN_TASK_NOT_COMPLETE",
            format!(
                "The scan {} of {} is still {}.",
                scan.id, scan.tag, scan.status
            ),
        ),
        None => Failure::business(
            "SCAN_TASK_NOT_EXIST",
            "No finished scan matches ScanTaskId, Digest, RepoId and Tag as given.",
        ),
    })
}

fn summary(state: &State, call: &Call<'_>) -> Answer {
    let scan = scan(state, call)?;
    let count = |severity: &str| {
        scan.vulnerabilities
            .iter()
            .filter(|v| v.severity == severity)
            .count()
    };
    Ok(obj! {
        "HighSeverity" => count(SEVERITIES[0]),
        "MediumSeverity" => count(SEVERITIES[1]),
        "LowSeverity" => count(SEVERITIES[2]),
        "UnknownSeverity" => count(SEVERITIES[3]),
        "TotalSeverity" => scan.vulnerabilities.len(),
    })
}

/// Filtered by `Severity`, `ScanType` (`cve` system packages, `sca`
/// application dependencies), `VulQueryKey` (in the CVE id, title or
/// package) and `FilterValue=FixCmd` (only those with a fix).
fn vulnerabilities(state: &State, call: &Call<'_>) -> Answer {
    let scan = scan(state, call)?;
    let severity = call.given("Severity");
    let scan_type = call.given("ScanType");
    let query = call.given("VulQueryKey").map(str::to_ascii_lowercase);
    let fixable_only = call.given("FilterValue") == Some("FixCmd");
    let matching: Vec<&Vulnerability> = scan
        .vulnerabilities
        .iter()
        .filter(|v| {
            severity.is_none_or(|s| v.severity.eq_ignore_ascii_case(s))
                && scan_type.is_none_or(|t| v.scan_type.eq_ignore_ascii_case(t))
                && query.as_ref().is_none_or(|q| {
                    [&v.cve_name, &v.alias_name, &v.feature]
                        .iter()
                        .any(|f| f.to_ascii_lowercase().contains(q))
                })
                && (!fixable_only || !v.version_fixed.is_empty())
        })
        .collect();
    Ok(page(call, &matching, "Vulnerabilities", |v| {
        obj! {
            "AddedBy" => &v.added_by,
            "AliasName" => &v.alias_name,
            "CveLink" => v.link(),
            "CveLocation" => &v.location,
            "CveName" => &v.cve_name,
            "Description" => &v.description,
            "Feature" => &v.feature,
            "FixCmd" => v.fix_command(),
            "ScanType" => &v.scan_type,
            "Severity" => &v.severity,
            "Version" => &v.version,
            "VersionFixed" => &v.version_fixed,
            "VersionFormat" => &v.version_format,
        }
    }))
}

/// When the image was first scanned (any repository of the instance).
fn first_scan(state: &State, call: &Call<'_>, digest: &str) -> i64 {
    call.instance(state)
        .ok()
        .and_then(|i| {
            i.repositories
                .iter()
                .flat_map(|r| &r.scans)
                .filter(|s| s.digest == digest)
                .map(|s| s.create_time)
                .min()
        })
        .unwrap_or_default()
}

/// Filtered by `Level` (`high`, `medium`, `low`).
fn baselines(state: &State, call: &Call<'_>) -> Answer {
    let scan = scan(state, call)?;
    let level = call.given("Level");
    let found: Vec<findings::Baseline> = findings::baselines(&scan.digest)
        .into_iter()
        .filter(|b| level.is_none_or(|l| b.check.3.eq_ignore_ascii_case(l)))
        .collect();
    let first = first_scan(state, call, &scan.digest);
    Ok(page(call, &found, "ScanBaselines", |b| {
        let c = b.check;
        obj! {
            "BaselineClassAlias" => c.0,
            "BaselineNameKey" => c.1,
            "BaselineNameAlias" => c.2,
            "BaselineNameLevel" => c.3,
            "BaselineDetailDescription" => c.4,
            "BaselineDetailAdvice" => c.5,
            "BaselineDetailPrompt" => c.6,
            "BaselineItemCount" => c.7,
            "HighRiskItemCount" => b.failing[0],
            "MiddleRiskItemCount" => b.failing[1],
            "LowRiskItemCount" => b.failing[2],
            "CreateTime" => scan.create_time,
            "FirstScanTime" => first,
            "UpdateTime" => scan.finish_at,
            "ScanTaskId" => &scan.id,
        }
    }))
}

/// Filtered by `Level`.
fn malicious_files(state: &State, call: &Call<'_>) -> Answer {
    let scan = scan(state, call)?;
    let level = call.given("Level");
    let found: Vec<_> = findings::malicious_files(&scan.digest)
        .into_iter()
        .filter(|f| level.is_none_or(|l| f.3.eq_ignore_ascii_case(l)))
        .collect();
    let first = first_scan(state, call, &scan.digest);
    Ok(page(call, &found, "ScanMaliciousFiles", |f| {
        obj! {
            "FilePath" => f.0,
            "MaliciousName" => f.1,
            "MaliciousMd5" => f.2,
            "Level" => f.3,
            "CreateTime" => scan.create_time,
            "FirstScanTime" => first,
            "UpdateTime" => scan.finish_at,
            "ScanTaskId" => &scan.id,
        }
    }))
}
