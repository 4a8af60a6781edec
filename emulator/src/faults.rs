//! Fault injection for tests of clients' retries: `--throttle-rate`,
//! `--fail-rate` (probabilities from 0 to 1) and `--latency-ms`. Each API
//! answers a fault in its own words (see the callers).

use std::time::Duration;

use crate::clock::Entropy;

/// What to inject.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Faults {
    /// Share of requests answered as throttled.
    pub throttle_rate: f64,
    /// Share of requests answered as "service unavailable" (503).
    pub fail_rate: f64,
    /// Delay added before every API answer.
    pub latency: Duration,
}

/// A fault picked for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Too many requests: retry after [`RETRY_AFTER_MS`].
    Throttled,
    /// A temporary failure of the server.
    Unavailable,
}

/// What throttled answers tell the client to wait (`x-acs-retry-after`,
/// milliseconds, as the vendor's SDKs read it).
pub const RETRY_AFTER_MS: u64 = 200;

impl Faults {
    /// The fault for the next request, if any.
    pub fn pick(&self, entropy: &Entropy) -> Option<Fault> {
        if entropy.chance(self.throttle_rate) {
            Some(Fault::Throttled)
        } else if entropy.chance(self.fail_rate) {
            Some(Fault::Unavailable)
        } else {
            None
        }
    }

    /// Waits the configured latency.
    pub async fn delay(&self) {
        if !self.latency.is_zero() {
            tokio::time::sleep(self.latency).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_of_zero_and_one() {
        let e = Entropy::from_clock();
        let none = Faults::default();
        assert!((0..1000).all(|_| none.pick(&e).is_none()));
        let all = Faults {
            throttle_rate: 1.0,
            ..Faults::default()
        };
        assert!((0..100).all(|_| all.pick(&e) == Some(Fault::Throttled)));
        let fail = Faults {
            fail_rate: 1.0,
            ..Faults::default()
        };
        assert!((0..100).all(|_| fail.pick(&e) == Some(Fault::Unavailable)));
    }
}
