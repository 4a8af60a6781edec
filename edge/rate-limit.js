// A token bucket per caller: `burst` calls at once, refilled at `perSecond`.
//
// State lives in the isolate (Workers) or the process (Node adapter), so in a
// deployment with many isolates each one limits on its own; a global limit
// needs a shared store (a Durable Object, or the platform's rate limiter).

/** Buckets kept before idle (full) ones are dropped, so memory stays bounded. */
const MAX_TRACKED_CALLERS = 10_000;

export class TokenBucketLimiter {
  /**
   * @param {{ burst: number, perSecond: number }} limits
   * @param {() => number} now milliseconds; injectable so tests need not sleep
   */
  constructor({ burst, perSecond }, now = () => Date.now()) {
    this.burst = burst;
    this.perSecond = perSecond;
    this.now = now;
    /** @type {Map<string, { tokens: number, at: number }>} */
    this.buckets = new Map();
  }

  /**
   * Takes one token from `caller`'s bucket.
   * @returns {{ allowed: true } | { allowed: false, retryAfterMs: number }}
   */
  take(caller) {
    const now = this.now();
    const bucket = this.buckets.get(caller) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    if (!this.buckets.has(caller)) {
      if (this.buckets.size >= MAX_TRACKED_CALLERS) this.dropFullBuckets(now);
      this.buckets.set(caller, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    // The time until one whole token is back.
    return { allowed: false, retryAfterMs: ((1 - bucket.tokens) / this.perSecond) * 1000 };
  }

  /** A bucket that has refilled completely is the same as no bucket. */
  dropFullBuckets(now) {
    for (const [caller, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond >= this.burst) {
        this.buckets.delete(caller);
      }
    }
    // Everybody is active: forget the oldest rather than grow without bound.
    while (this.buckets.size >= MAX_TRACKED_CALLERS) {
      this.buckets.delete(this.buckets.keys().next().value);
    }
  }
}
