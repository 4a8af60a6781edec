//! The one place the emulator reads the clock and the random source.
//!
//! Everything below takes the time as an argument; the state carries its
//! own fixed-seed generator ([`Rng`]) for the identifiers it hands out, so
//! the same requests on the same seed give the same ids. Request ids and
//! fault injection use [`Entropy`], seeded from the clock once.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// Milliseconds since the Unix epoch.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// The current time.
    fn now_ms(&self) -> i64;
}

/// The system clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64)
    }
}

/// A clock that tests move by hand.
#[derive(Debug, Default)]
pub struct ManualClock(AtomicU64);

impl ManualClock {
    /// A clock showing `ms`.
    pub fn at(ms: i64) -> Arc<Self> {
        Arc::new(ManualClock(AtomicU64::new(ms as u64)))
    }
    /// Moves the clock forward.
    pub fn advance(&self, ms: i64) {
        self.0.fetch_add(ms as u64, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst) as i64
    }
}

/// splitmix64: a small generator with a fixed seed, serialisable with the
/// state so ids stay deterministic across restarts.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// A number in `lo..=hi`.
    pub fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// An Alibaba-style resource id: `prefix-` and 16 characters of
    /// `[a-z0-9]` (`crr-xwvi3osiy4fforqq`).
    pub fn resource_id(&mut self, prefix: &str) -> String {
        const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
        let mut id = String::with_capacity(prefix.len() + 17);
        id.push_str(prefix);
        id.push('-');
        for _ in 0..16 {
            id.push(ALPHABET[self.below(ALPHABET.len() as u64) as usize] as char);
        }
        id
    }

    /// A random (version 4) UUID in lower case.
    pub fn uuid(&mut self) -> String {
        uuid(self.next_u64(), self.next_u64())
    }

    /// `n` lower-case hex characters.
    pub fn hex(&mut self, n: usize) -> String {
        let mut out = String::with_capacity(n + 16);
        while out.len() < n {
            out.push_str(&format!("{:016x}", self.next_u64()));
        }
        out.truncate(n);
        out
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn uuid(a: u64, b: u64) -> String {
    let a = (a & 0xFFFF_FFFF_FFFF_0FFF) | 0x4000; // version 4
    let b = (b & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000; // variant 1
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xFFFF,
        a & 0xFFFF,
        b >> 48,
        b & 0xFFFF_FFFF_FFFF
    )
}

/// Lock-free randomness for request ids and fault decisions: a counter
/// mixed through splitmix64, seeded from the clock at start.
#[derive(Debug)]
pub struct Entropy(AtomicU64);

impl Entropy {
    /// Seeded from the system clock.
    pub fn from_clock() -> Self {
        Entropy(AtomicU64::new(mix(
            SystemClock.now_ms() as u64 ^ 0x7A6D_ECC0
        )))
    }

    /// The next 64 random bits.
    pub fn next_u64(&self) -> u64 {
        mix(self
            .0
            .fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed)
            .wrapping_add(0x9E37_79B9_7F4A_7C15))
    }

    /// `true` with probability `rate` (0 to 1).
    pub fn chance(&self, rate: f64) -> bool {
        rate > 0.0 && (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= rate
    }

    /// A request id as the service writes them: an upper-case UUID.
    pub fn request_id(&self) -> String {
        uuid(self.next_u64(), self.next_u64()).to_ascii_uppercase()
    }
}

/// UTC `YYYY-MM-DDThh:mm:ss.ffffffZ` (RFC 3339 with microseconds, as
/// Scaleway writes times) from milliseconds.
pub fn rfc3339_micros(ms: i64) -> String {
    let base = tagdeck::timestamp::format_timestamp(ms.div_euclid(1000));
    format!("{}.{:03}000Z", &base[..base.len() - 1], ms.rem_euclid(1000))
}

/// UTC `YYYY-MM-DDThh:mm:ssZ` from milliseconds.
pub fn rfc3339_seconds(ms: i64) -> String {
    tagdeck::timestamp::format_timestamp(ms.div_euclid(1000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_look_like_the_services() {
        let mut rng = Rng(1);
        let id = rng.resource_id("crr");
        assert_eq!(id.len(), 20);
        assert!(id.starts_with("crr-"));
        let u = rng.uuid();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert_eq!(rng.hex(64).len(), 64);
    }

    #[test]
    fn the_same_seed_gives_the_same_ids() {
        assert_eq!(Rng(9).resource_id("cri"), Rng(9).resource_id("cri"));
    }

    #[test]
    fn times_format_as_rfc3339() {
        assert_eq!(
            rfc3339_micros(1_572_839_125_042),
            "2019-11-04T03:45:25.042000Z"
        );
        assert_eq!(rfc3339_seconds(1_572_839_125_042), "2019-11-04T03:45:25Z");
    }

    #[test]
    fn chance_respects_its_rate() {
        let e = Entropy(AtomicU64::new(3));
        assert!(!(0..1000).any(|_| e.chance(0.0)));
        assert!((0..1000).all(|_| e.chance(1.0)));
        let hits = (0..10_000).filter(|_| e.chance(0.25)).count();
        assert!((2_000..3_000).contains(&hits), "{hits}");
    }
}
