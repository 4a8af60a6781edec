//! The vendor SDKs' Python venv, for the tests that run an official SDK
//! unchanged (`tests/signing_v3_python.rs`,
//! `emulator/tests/v3_python_sdk.rs`).

use std::path::{Path, PathBuf};
use std::process::Command;

/// The venv of `scripts/python-env.sh` in the repository at `root`. It is
/// made once by `scripts/setup.sh`, never from a test: without it the test
/// fails (a skipped cross-check proves nothing).
pub fn venv(root: &Path) -> PathBuf {
    let setup = Command::new("bash")
        .arg(root.join("scripts/python-env.sh"))
        .args(["--print-path", "--no-install"])
        .output()
        .expect("bash runs scripts/python-env.sh");
    assert!(
        setup.status.success(),
        "scripts/python-env.sh failed: {}",
        String::from_utf8_lossy(&setup.stderr)
    );
    PathBuf::from(String::from_utf8(setup.stdout).unwrap().trim())
}
