//! When to send a request again, and how long to wait first.
//!
//! Retried: network errors, timeouts, HTTP 5xx, `Throttling*` and
//! `ServiceUnavailable` (the core's `is_retryable`). A write (an operation
//! other than `Get*`, `List*`, a REST request other than GET) is retried
//! only when it was throttled, which means refused before anything was
//! applied, unless the caller opts in with `retryWrites`: a write that
//! timed out or met a 5xx may have been applied. Each retry
//! waits a random time in `[0, min(maxDelay, baseDelay * 2^n))` ("full
//! jitter"), or exactly what the service asked for in `x-acs-retry-after` or
//! `Retry-After`.

use super::errors::Failure;

/// The retry settings of a client.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// Whether operations that change state are retried after any
    /// retryable failure (throttled ones always are).
    pub retry_writes: bool,
    /// The backoff base, in ms.
    pub base_delay_ms: f64,
    /// The longest wait; a longer `x-acs-retry-after` ends the retries.
    pub max_delay_ms: f64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            retry_writes: false,
            base_delay_ms: 200.0,
            max_delay_ms: 20_000.0,
        }
    }
}

impl RetryPolicy {
    /// How long to wait before retry number `retries_done + 1` of a call
    /// that is `read_only` (a catalogue operation that only reads, a REST
    /// GET), or `None` when `failure` must be returned as it is.
    /// `unit_random` is uniform in `[0, 1)`.
    pub fn delay_ms_for(
        &self,
        read_only: bool,
        failure: &Failure,
        retries_done: u32,
        unit_random: f64,
    ) -> Option<f64> {
        let allowed = read_only || self.retry_writes || failure.throttled();
        if !failure.retryable || !allowed || retries_done >= self.max_retries {
            return None;
        }
        match failure.retry_after_ms {
            Some(asked) if asked > self.max_delay_ms => None,
            Some(asked) => Some(asked),
            None => {
                let exponential = self.base_delay_ms * 2f64.powi(retries_done.min(30) as i32);
                Some(unit_random * exponential.min(self.max_delay_ms))
            }
        }
    }
}
