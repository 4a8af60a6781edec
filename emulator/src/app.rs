//! What every request handler shares: the configuration, the state behind
//! its lock, the verifier, the random source and the persister.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::auth::Verifier;
use crate::clock::Entropy;
use crate::config::Config;
use crate::persist::Persister;
use crate::state::State;

/// The running emulator.
#[derive(Debug)]
pub struct App {
    /// How it was started.
    pub config: Config,
    /// Checks signatures and nonces of the RPC API.
    pub verifier: Verifier,
    /// Request ids and fault decisions.
    pub entropy: Entropy,
    /// Writes the state to `--state FILE`, when given.
    pub persister: Option<Persister>,
    state: RwLock<State>,
    /// When [`State::advance`] next has work ([`State::next_due`]).
    next_due: AtomicI64,
}

impl App {
    /// An emulator over `state`.
    pub fn new(config: Config, state: State) -> Self {
        let verifier = Verifier::new(config.credentials.clone(), config.check_nonces);
        let persister = config.state_file.clone().map(Persister::new);
        App {
            next_due: AtomicI64::new(state.next_due()),
            state: RwLock::new(state),
            config,
            verifier,
            entropy: Entropy::from_clock(),
            persister,
        }
    }

    /// Now, in milliseconds.
    pub fn now(&self) -> i64 {
        self.config.clock.now_ms()
    }

    /// The state, for reading. A panic in another request does not make it
    /// unreadable: every change is complete before its lock is released.
    pub fn read(&self) -> RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(|e| e.into_inner())
    }

    fn lock_write(&self) -> RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `change` on the state. When it reports a change, the change is
    /// saved (with `--state`) before this returns, and timed work it started
    /// is scheduled.
    pub async fn write<R>(
        &self,
        change: impl FnOnce(&mut State) -> (R, bool),
    ) -> Result<R, String> {
        let (result, generation) = {
            let mut state = self.lock_write();
            let (result, changed) = change(&mut state);
            let generation = if changed {
                self.next_due.store(state.next_due(), Ordering::SeqCst);
                self.persister.as_ref().map(Persister::mark_changed)
            } else {
                None
            };
            (result, generation)
        };
        if let (Some(persister), Some(generation)) = (&self.persister, generation) {
            persister.wait(generation).await?;
        }
        Ok(result)
    }

    /// Applies timed work that is due, so that what follows sees "now".
    pub async fn settle(&self) -> Result<(), String> {
        let now = self.now();
        if now < self.next_due.load(Ordering::SeqCst) {
            return Ok(());
        }
        self.write(|state| ((), state.advance(now))).await
    }

    /// The state file's contents and the newest change they include.
    pub fn snapshot(&self) -> (u64, Vec<u8>) {
        let state = self.read();
        let generation = self.persister.as_ref().map_or(0, Persister::changed);
        let bytes = serde_json::to_vec(&*state).expect("the state serialises");
        (generation, bytes)
    }
}
