//! `--state FILE`: the state on disk, written atomically, with group commit.
//!
//! A change bumps a generation number while the state is locked for
//! writing; one background task writes the newest state (to a temporary
//! file in the same directory, synced, then renamed over the old one, and
//! the directory synced) and publishes the generation it wrote. A request
//! that changed the state is answered only once its generation is on disk,
//! so a restart, even after `kill -9`, loses nothing that was acknowledged.
//! Many changes arriving together share one write.

use std::fs::{self, File};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::{watch, Notify};

use crate::state::{State, STATE_FORMAT};

/// How long an acknowledged change may wait for the disk before the request
/// is answered with an error.
const SAVE_TIMEOUT: Duration = Duration::from_secs(10);

/// Reads a state file; `Ok(None)` when there is none yet.
pub fn load(path: &Path) -> io::Result<Option<State>> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(io::Error::new(
                e.kind(),
                format!("cannot read the state file {}: {e}", path.display()),
            ))
        }
    };
    let state: State = serde_json::from_slice(&bytes).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "{} is not a tagdeck-emulator state file: {e}",
                path.display()
            ),
        )
    })?;
    if state.format != STATE_FORMAT {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "{} has state format {}, this emulator reads {STATE_FORMAT}",
                path.display(),
                state.format
            ),
        ));
    }
    let mut state = state;
    // The order lists rely on, in case the file was edited by hand.
    for repo in state
        .instances
        .iter_mut()
        .flat_map(|i| i.repositories.iter_mut())
    {
        repo.sort_tags();
    }
    Ok(Some(state))
}

/// Writes `bytes` to `path` so that a reader sees the old file or the new
/// one, never a mix: temporary file, sync, rename, sync the directory.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(io::ErrorKind::InvalidInput, "the state path names no file")
    })?;
    let temp = dir.join(format!(
        ".{}.tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    {
        let mut file = File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
    }
    fs::rename(&temp, path)?;
    // The rename is durable once the directory entry is.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// The writer's bookkeeping.
#[derive(Debug)]
pub struct Persister {
    path: PathBuf,
    changed: AtomicU64,
    wake: Notify,
    saved: watch::Sender<u64>,
}

impl Persister {
    /// Writes to `path`.
    pub fn new(path: PathBuf) -> Self {
        Persister {
            path,
            changed: AtomicU64::new(0),
            wake: Notify::new(),
            saved: watch::channel(0).0,
        }
    }

    /// Where it writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Records a change; call while holding the state's write lock.
    /// Returns the generation to [`Persister::wait`] for.
    pub fn mark_changed(&self) -> u64 {
        let generation = self.changed.fetch_add(1, Ordering::SeqCst) + 1;
        self.wake.notify_one();
        generation
    }

    /// Waits until `generation` is on disk.
    pub async fn wait(&self, generation: u64) -> Result<(), String> {
        let mut saved = self.saved.subscribe();
        let on_disk = matches!(
            tokio::time::timeout(SAVE_TIMEOUT, saved.wait_for(|g| *g >= generation)).await,
            Ok(Ok(_))
        );
        match on_disk {
            true => Ok(()),
            false => Err(format!(
                "the change could not be saved to {} within {}s",
                self.path.display(),
                SAVE_TIMEOUT.as_secs()
            )),
        }
    }

    /// The writer loop: `snapshot` serialises the state (taking its read
    /// lock) and returns it with the newest generation it contains.
    pub async fn run(&self, snapshot: impl Fn() -> (u64, Vec<u8>)) {
        loop {
            self.wake.notified().await;
            let (generation, bytes) = snapshot();
            if generation <= *self.saved.borrow() {
                continue;
            }
            let path = self.path.clone();
            let result = tokio::task::spawn_blocking(move || write_atomically(&path, &bytes)).await;
            match result {
                Ok(Ok(())) => {
                    self.saved.send_replace(generation);
                }
                Ok(Err(e)) => {
                    eprintln!(
                        "tagdeck-emulator: saving {} failed: {e}; retrying",
                        self.path.display()
                    );
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    self.wake.notify_one();
                }
                Err(e) => eprintln!("tagdeck-emulator: the writer task failed: {e}"),
            }
        }
    }

    /// The generation of the last change (read under the state's lock by
    /// `snapshot`).
    pub fn changed(&self) -> u64 {
        self.changed.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_writes_replace_the_whole_file() {
        let dir = std::env::temp_dir().join(format!("tagdeck-persist-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("state.json");
        write_atomically(&path, b"first").unwrap();
        write_atomically(&path, b"second").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second");
        // No temporary file is left behind.
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_missing_file_is_no_state_and_a_bad_one_an_error() {
        let dir = std::env::temp_dir().join(format!("tagdeck-load-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        assert!(load(&dir.join("none.json")).unwrap().is_none());
        fs::write(dir.join("bad.json"), b"{").unwrap();
        let e = load(&dir.join("bad.json")).unwrap_err();
        assert!(e.to_string().contains("not a tagdeck-emulator state file"));
        fs::remove_dir_all(&dir).unwrap();
    }
}
