//! What a security scan finds in an image: vulnerabilities (CVEs of the
//! packages its layers install), baseline checks and malicious files.
//!
//! The emulator has no scanner; its images have no real packages. What a
//! scan finds is a fixed catalogue of real, published CVEs of packages
//! that Debian-based images carry, of which each image "contains" a subset
//! chosen by its manifest digest: the same image always yields the same
//! findings, different images different ones, and tags that share a digest
//! share their findings, as with the real service.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

/// One vulnerability found in an image, with the fields
/// `ListRepoTagScanResult` answers.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Vulnerability {
    /// `CVE-2023-44487`.
    pub cve_name: String,
    /// A short title.
    pub alias_name: String,
    /// `High`, `Medium`, `Low` or `Unknown`.
    pub severity: String,
    /// The package (`nghttp2`).
    pub feature: String,
    /// The installed version.
    pub version: String,
    /// The first version with the fix (empty: none yet).
    pub version_fixed: String,
    /// `dpkg`, `maven`, `python`.
    pub version_format: String,
    /// `cve` (system packages) or `sca` (application dependencies).
    pub scan_type: String,
    /// Where the package is recorded.
    pub location: String,
    /// One paragraph.
    pub description: String,
    /// The layer digest (`sha256:…`) that added it (absent from the
    /// catalogue of advisories, advisories.json).
    #[serde(default)]
    pub added_by: String,
}

impl Vulnerability {
    /// The public advisory.
    pub fn link(&self) -> String {
        format!("https://nvd.nist.gov/vuln/detail/{}", self.cve_name)
    }

    /// The command that installs the fixed version (empty without one).
    pub fn fix_command(&self) -> String {
        match (self.version_fixed.is_empty(), self.version_format.as_str()) {
            (true, _) => String::new(),
            (false, "dpkg") => format!(
                "apt-get update && apt-get install -y --only-upgrade {}={}",
                self.feature, self.version_fixed
            ),
            (false, "python") => format!("pip install {}=={}", self.feature, self.version_fixed),
            (false, _) => format!(
                "upgrade {} to {} in the build file",
                self.feature, self.version_fixed
            ),
        }
    }
}

/// Real advisories (NVD) of packages common in Debian-based images, as
/// vulnerabilities without the layer that adds them.
static KNOWN: LazyLock<Vec<Vulnerability>> = LazyLock::new(|| {
    serde_json::from_str(include_str!("advisories.json")).expect("advisories.json is valid")
});

/// The vulnerabilities in the image with manifest `digest` (64 hex
/// characters), whose layers are `layers` (bottom first, digests without
/// `sha256:`): advisory `i` is present when the digest's `i`-th character
/// is not a multiple of 3, added by a layer chosen the same way.
pub fn vulnerabilities(digest: &str, layers: &[String]) -> Vec<Vulnerability> {
    let nibbles: Vec<u32> = digest.chars().filter_map(|c| c.to_digit(16)).collect();
    KNOWN
        .iter()
        .enumerate()
        .filter(|(i, _)| nibbles.get(*i).is_some_and(|n| n % 3 != 0))
        .map(|(i, known)| {
            let layer = match layers.len() {
                0 => digest.to_string(),
                n => layers[nibbles.get(i + 16).copied().unwrap_or(0) as usize % n].clone(),
            };
            Vulnerability {
                added_by: format!("sha256:{layer}"),
                ..known.clone()
            }
        })
        .collect()
}

/// One baseline (configuration) check and how many of its items fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Baseline {
    /// The check.
    pub check: &'static BaselineCheck,
    /// Failing items by risk: high, medium, low.
    pub failing: [i64; 3],
}

/// `(class, name key, name, level, description, advice, prompt, items)`.
pub type BaselineCheck = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
);

const BASELINES: &[BaselineCheck] = &[
    (
        "Container security",
        "container_root_user",
        "The image runs as root",
        "high",
        "The image's configuration sets no USER, so its processes run as root.",
        "Add a USER instruction with an unprivileged user.",
        "USER is not set",
        1,
    ),
    (
        "Identity",
        "password_policy",
        "Password policy",
        "medium",
        "Accounts in /etc/shadow have no password ageing.",
        "Set PASS_MAX_DAYS and PASS_MIN_DAYS in /etc/login.defs.",
        "Password ageing is off",
        3,
    ),
    (
        "Services",
        "ssh_hardening",
        "SSH server hardening",
        "low",
        "sshd allows password logins and root logins.",
        "Set PasswordAuthentication no and PermitRootLogin no.",
        "sshd_config is permissive",
        4,
    ),
];

/// The baseline checks with failing items in the image `digest`.
pub fn baselines(digest: &str) -> Vec<Baseline> {
    let nibbles: Vec<i64> = digest
        .chars()
        .rev()
        .filter_map(|c| c.to_digit(16).map(i64::from))
        .collect();
    BASELINES
        .iter()
        .enumerate()
        .filter_map(|(i, check)| {
            let n = *nibbles.get(i)?;
            let failing = n % (check.7 + 1);
            (failing > 0).then_some(Baseline {
                check,
                failing: match check.3 {
                    "high" => [failing, 0, 0],
                    "medium" => [0, failing, 0],
                    _ => [0, 0, failing],
                },
            })
        })
        .collect()
}

/// `(path, name, md5, level)` of the malicious file an image holds when
/// its digest's last character is `0` to `7` (half of them): the EICAR
/// anti-virus test file, whose MD5 is public.
pub fn malicious_files(
    digest: &str,
) -> Vec<(&'static str, &'static str, &'static str, &'static str)> {
    if digest.ends_with(['0', '1', '2', '3', '4', '5', '6', '7']) {
        vec![(
            "/tmp/eicar.com",
            "EICAR-Test-File",
            "44d88612fea8a8f36de82e1278abb02f",
            "high",
        )]
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_image_has_the_same_findings_and_others_differ() {
        let a = "1".repeat(64);
        let b = "3".repeat(64);
        let layers = vec!["ab".repeat(32)];
        assert_eq!(vulnerabilities(&a, &layers), vulnerabilities(&a, &layers));
        assert_eq!(vulnerabilities(&a, &layers).len(), KNOWN.len());
        assert!(vulnerabilities(&b, &layers).is_empty());
        let v = &vulnerabilities(&a, &layers)[0];
        assert_eq!(v.added_by, format!("sha256:{}", layers[0]));
        assert!(v.fix_command().contains("--only-upgrade libnghttp2-14="));
    }

    #[test]
    fn baselines_and_malicious_files_follow_the_digest() {
        assert!(baselines(&"0".repeat(64)).is_empty());
        assert_eq!(baselines(&"7".repeat(64)).len(), BASELINES.len());
        assert_eq!(malicious_files(&"0".repeat(64)).len(), 1);
        assert!(malicious_files(&"9".repeat(64)).is_empty());
    }
}
