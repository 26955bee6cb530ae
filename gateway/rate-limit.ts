/**
 * Per-client token buckets: `perMinute` requests per minute with bursts up to the same number.
 * In memory, per gateway process: with N replicas behind a balancer the effective limit is up to N
 * times higher (documented; a shared store is the next step when that matters).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly ratePerMs: number;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.ratePerMs = perMinute / 60_000;
  }

  /** Takes one token for `key`; returns 0 when allowed, else the seconds to wait. */
  take(key: string): number {
    const t = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.perMinute, at: t };
    b.tokens = Math.min(this.perMinute, b.tokens + (t - b.at) * this.ratePerMs);
    b.at = t;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      this.buckets.set(key, b);
      if (this.buckets.size > 100_000) this.sweep(t);
      return 0;
    }
    this.buckets.set(key, b);
    return Math.max(1, Math.ceil((1 - b.tokens) / this.ratePerMs / 1000));
  }

  /** Forgets clients whose buckets have refilled, so memory follows the active clients only. */
  private sweep(t: number): void {
    for (const [k, b] of this.buckets) if (b.tokens + (t - b.at) * this.ratePerMs >= this.perMinute) this.buckets.delete(k);
  }
}
