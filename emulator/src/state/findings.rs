//! What a security scan finds in an image: vulnerabilities (CVEs of the
//! packages its layers install), baseline checks and malicious files.
//!
//! The emulator has no scanner; its images have no real packages. What a
//! scan finds is a fixed catalogue of real, published CVEs of packages
//! that Debian-based images carry, of which each image "contains" a subset
//! chosen by its manifest digest: the same image always yields the same
//! findings, different images different ones, and tags that share a digest
//! share their findings, as with the real service.

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
    /// The layer digest (`sha256:…`) that added it.
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

/// `(cve, title, severity, package, version, fixed, format, scan type,
/// location, description)`.
type Known = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

/// Real advisories (NVD) of packages common in Debian-based images.
const KNOWN: &[Known] = &[
    ("CVE-2023-44487", "HTTP/2 rapid reset", "High", "libnghttp2-14", "1.52.0-1", "1.52.0-1+deb12u1", "dpkg", "cve", "/var/lib/dpkg/status", "The HTTP/2 protocol allows a denial of service (server resource consumption) because request cancellation can reset many streams quickly."),
    ("CVE-2024-6387", "OpenSSH signal handler race (regreSSHion)", "High", "openssh-client", "1:9.2p1-2", "1:9.2p1-2+deb12u3", "dpkg", "cve", "/var/lib/dpkg/status", "A signal handler race condition in sshd allows unauthenticated remote code execution as root on glibc-based Linux systems."),
    ("CVE-2023-4911", "glibc ld.so GLIBC_TUNABLES overflow", "High", "libc6", "2.36-9", "2.36-9+deb12u3", "dpkg", "cve", "/var/lib/dpkg/status", "A buffer overflow in the GNU C Library's dynamic loader while processing GLIBC_TUNABLES may allow a local attacker to execute code with elevated privileges."),
    ("CVE-2023-38545", "curl SOCKS5 heap overflow", "High", "libcurl4", "7.88.1-10", "7.88.1-10+deb12u4", "dpkg", "cve", "/var/lib/dpkg/status", "A heap based buffer overflow in the SOCKS5 proxy handshake of curl when the host name is longer than 255 bytes."),
    ("CVE-2023-5678", "OpenSSL excessive DH check time", "Medium", "libssl3", "3.0.11-1~deb12u1", "3.0.13-1~deb12u1", "dpkg", "cve", "/var/lib/dpkg/status", "Generating or checking excessively long X9.42 DH keys or parameters may be very slow, a possible denial of service."),
    ("CVE-2024-28182", "nghttp2 CONTINUATION frames", "Medium", "libnghttp2-14", "1.52.0-1", "1.52.0-1+deb12u2", "dpkg", "cve", "/var/lib/dpkg/status", "nghttp2 keeps reading an unbounded number of HTTP/2 CONTINUATION frames, which can exhaust resources."),
    ("CVE-2023-45853", "zlib MiniZip integer overflow", "Medium", "zlib1g", "1:1.2.13.dfsg-1", "", "dpkg", "cve", "/var/lib/dpkg/status", "MiniZip in zlib has an integer overflow and resultant heap-based buffer overflow in zipOpenNewFileInZip4_64 via a long file name."),
    ("CVE-2011-3374", "apt weak key validation", "Low", "apt", "2.6.1", "", "dpkg", "cve", "/var/lib/dpkg/status", "apt-key in apt does not correctly validate gpg keys with the master keyring, leading to a potential man-in-the-middle attack."),
    ("CVE-2022-0563", "util-linux chfn/chsh readline", "Low", "util-linux", "2.38.1-5+b1", "", "dpkg", "cve", "/var/lib/dpkg/status", "chfn and chsh, when compiled with libreadline, allow an unprivileged user to read root-owned files through INPUTRC."),
    ("CVE-2017-18018", "coreutils chown race", "Low", "coreutils", "9.1-1", "", "dpkg", "cve", "/var/lib/dpkg/status", "chown and chgrp with -R -L can be raced by a local user to change ownership of arbitrary files."),
    ("TEMP-0841856-B18BAF", "bash privilege escalation (unassigned)", "Unknown", "bash", "5.2.15-2+b2", "", "dpkg", "cve", "/var/lib/dpkg/status", "A Debian tracker entry without a CVE: bash may allow privilege escalation in a setuid context."),
    ("CVE-2021-44228", "Log4Shell", "High", "org.apache.logging.log4j:log4j-core", "2.14.1", "2.15.0", "maven", "sca", "/app/lib/log4j-core-2.14.1.jar", "JNDI features used in configuration, log messages and parameters do not protect against attacker-controlled LDAP endpoints, allowing remote code execution."),
    ("CVE-2024-37891", "urllib3 Proxy-Authorization on redirect", "Medium", "urllib3", "1.26.18", "1.26.19", "python", "sca", "/usr/local/lib/python3.11/site-packages/urllib3-1.26.18.dist-info", "urllib3 does not strip the Proxy-Authorization header on cross-origin redirects when a proxy is configured without urllib3's proxy support."),
];

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
        .map(|(i, k)| {
            let layer = match layers.len() {
                0 => digest.to_string(),
                n => layers[nibbles.get(i + 16).copied().unwrap_or(0) as usize % n].clone(),
            };
            Vulnerability {
                cve_name: k.0.into(),
                alias_name: k.1.into(),
                severity: k.2.into(),
                feature: k.3.into(),
                version: k.4.into(),
                version_fixed: k.5.into(),
                version_format: k.6.into(),
                scan_type: k.7.into(),
                location: k.8.into(),
                description: k.9.into(),
                added_by: format!("sha256:{layer}"),
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
