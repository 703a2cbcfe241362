import { describe, expect, it } from 'vitest';
import { lastDigestAt, nextDigestAt } from '../../server/mail/schedule';

const zone = 'Europe/Amsterdam';
const utc = (s: string) => new Date(s).toISOString();

describe('the daily digest clock (08:00 Europe/Amsterdam)', () => {
  it('is 07:00 UTC in winter and 06:00 UTC in summer', () => {
    expect(utc(nextDigestAt(new Date('2026-01-15T05:00:00Z'), 8, zone).toISOString())).toBe('2026-01-15T07:00:00.000Z');
    expect(utc(nextDigestAt(new Date('2026-07-15T05:00:00Z'), 8, zone).toISOString())).toBe('2026-07-15T06:00:00.000Z');
  });

  it('an event at 08:00 itself goes into the next morning’s digest; one a second before, into this one', () => {
    expect(nextDigestAt(new Date('2026-01-15T07:00:00Z'), 8, zone).toISOString()).toBe('2026-01-16T07:00:00.000Z');
    expect(nextDigestAt(new Date('2026-01-15T06:59:59Z'), 8, zone).toISOString()).toBe('2026-01-15T07:00:00.000Z');
  });

  it('follows the DST changes (last Sunday of March and of October)', () => {
    // Saturday evening before summer time: the next 08:00 is Sunday 29 March 2026, already CEST.
    expect(nextDigestAt(new Date('2026-03-28T20:00:00Z'), 8, zone).toISOString()).toBe('2026-03-29T06:00:00.000Z');
    // Saturday evening before winter time: Sunday 25 October 2026, CET again.
    expect(nextDigestAt(new Date('2026-10-24T20:00:00Z'), 8, zone).toISOString()).toBe('2026-10-25T07:00:00.000Z');
  });

  it('late in the evening (after midnight UTC is still the same day there) rolls to the next local day', () => {
    expect(nextDigestAt(new Date('2026-01-15T23:30:00Z'), 8, zone).toISOString()).toBe('2026-01-16T07:00:00.000Z');
  });

  it('the last digest time is at or before now', () => {
    expect(lastDigestAt(new Date('2026-01-15T07:00:00Z'), 8, zone).toISOString()).toBe('2026-01-15T07:00:00.000Z');
    expect(lastDigestAt(new Date('2026-01-15T06:59:00Z'), 8, zone).toISOString()).toBe('2026-01-14T07:00:00.000Z');
    expect(lastDigestAt(new Date('2026-07-01T12:00:00Z'), 8, zone).toISOString()).toBe('2026-07-01T06:00:00.000Z');
  });
});
