import { describe, expect, it } from 'vitest';
import { isAppError } from '../../server/errors';
import { createRateLimiter, defaultRateLimits } from '../../server/http/rate-limit';

function refusal(fn: () => void) {
  try {
    fn();
  } catch (err) {
    if (isAppError(err)) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('per-person rate limits (token bucket)', () => {
  it('allows a burst, refuses the next request with the seconds until a token returns, and refills over time', () => {
    let t = 0;
    const limiter = createRateLimiter({}, () => t);
    for (let i = 0; i < defaultRateLimits.comment.burst; i++) limiter.take('a', 'comment');
    const err = refusal(() => limiter.take('a', 'comment'));
    expect([err.status, err.code]).toEqual([429, 'rate_limited']);
    expect(err.headers).toEqual({ 'retry-after': '2' }); // 30 per minute: one every 2 s
    expect(err.toJSON('nl').error.message).toMatch(/^Te veel reacties in korte tijd; probeer het over 2 s/);
    expect(err.toJSON('en').error.message).toMatch(/^Too many comments in a short time; try again in 2 s/);
    t += 1_999;
    expect(() => limiter.take('a', 'comment')).toThrow();
    t += 1;
    limiter.take('a', 'comment');
    expect(() => limiter.take('a', 'comment')).toThrow();
  });

  it('keeps a bucket per person and per action', () => {
    const limiter = createRateLimiter({ comment: { burst: 1, perWindow: 1, windowMs: 60_000 } }, () => 0);
    limiter.take('a', 'comment');
    expect(() => limiter.take('a', 'comment')).toThrow();
    limiter.take('b', 'comment');
    limiter.take('a', 'export');
    // Ids are compared in one canonical form: a capitalised id is the same person.
    expect(() => limiter.take('A', 'comment')).toThrow();
  });

  it('rounds Retry-After up to whole seconds, at least one', () => {
    let t = 0;
    const limiter = createRateLimiter({ import: { burst: 1, perWindow: 10, windowMs: 10 * 60_000 } }, () => t);
    limiter.take('a', 'import');
    expect(refusal(() => limiter.take('a', 'import')).headers).toEqual({ 'retry-after': '60' });
    t = 59_500;
    expect(refusal(() => limiter.take('a', 'import')).headers).toEqual({ 'retry-after': '1' });
  });
});
