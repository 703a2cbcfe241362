import { AppError } from '../errors';

/**
 * Per-person limits on writes that cost the server (and other people) something: a token bucket per (person,
 * action), kept in this process's memory. A bucket holds at most `burst` tokens and regains `perWindow` of them
 * evenly over `windowMs`; each request takes one. An empty bucket answers 429 `rate_limited` with `Retry-After`
 * (whole seconds until the next token).
 *
 * One instance per server (made in createServices), so tests get their own limits and nothing leaks between them.
 * With several processes every process keeps its own buckets: a person could get up to N times the limit.
 */
export type RateLimitedAction = 'comment' | 'invitation' | 'import' | 'export';

export interface RateLimit {
  /** Requests allowed at once, after a quiet period. */
  burst: number;
  /** Requests regained per window (the sustained rate). */
  perWindow: number;
  windowMs: number;
}

export type RateLimits = Record<RateLimitedAction, RateLimit>;

export const defaultRateLimits: RateLimits = {
  // A quick exchange in a thread is fine; a script posting hundreds is not. The 31st comment within a minute waits.
  comment: { burst: 30, perWindow: 30, windowMs: 60_000 },
  // Each invitation may send an e-mail to an outside address.
  invitation: { burst: 20, perWindow: 20, windowMs: 60 * 60_000 },
  // Import and export are CPU-heavy (DOCX parsing, PDF rendering).
  import: { burst: 10, perWindow: 10, windowMs: 10 * 60_000 },
  export: { burst: 30, perWindow: 30, windowMs: 10 * 60_000 },
};

/** Above this many buckets, full ones (indistinguishable from a fresh bucket) are dropped to bound memory. */
const sweepAbove = 10_000;

interface Bucket {
  tokens: number;
  at: number;
}

export function rateLimited(action: RateLimitedAction, retryAfterSeconds: number) {
  return new AppError('rate_limited', `Too many ${action} requests; try again in ${retryAfterSeconds} s.`, {
    details: { action, retryAfterSeconds },
    headers: { 'retry-after': String(retryAfterSeconds) },
  });
}

export function createRateLimiter(overrides: Partial<RateLimits> = {}, now: () => number = Date.now) {
  const limits: RateLimits = { ...defaultRateLimits, ...overrides };
  const buckets = new Map<string, Bucket>();

  const refilled = (bucket: Bucket, limit: RateLimit, t: number) =>
    Math.min(limit.burst, bucket.tokens + ((t - bucket.at) * limit.perWindow) / limit.windowMs);

  function sweep(t: number) {
    for (const [key, bucket] of buckets) {
      const limit = limits[key.slice(key.indexOf('\u0000') + 1) as RateLimitedAction];
      if (refilled(bucket, limit, t) >= limit.burst) buckets.delete(key);
    }
  }

  return {
    limits,
    /** Takes one token for `userId` doing `action`, or throws 429 `rate_limited` (nothing taken then). */
    take(userId: string, action: RateLimitedAction): void {
      const limit = limits[action];
      const t = now();
      const key = `${userId.toLowerCase()}\u0000${action}`;
      const bucket = buckets.get(key) ?? { tokens: limit.burst, at: t };
      const tokens = refilled(bucket, limit, t);
      if (tokens < 1) {
        const msUntilToken = ((1 - tokens) * limit.windowMs) / limit.perWindow;
        throw rateLimited(action, Math.max(1, Math.ceil(msUntilToken / 1_000)));
      }
      buckets.set(key, { tokens: tokens - 1, at: t });
      if (buckets.size > sweepAbove) sweep(t);
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
