import { describe, expect, it } from 'vitest';
import { reminderTimes } from './reminders';

const at = (iso: string) => new Date(iso);
const opened = at('2026-11-01T09:00:00Z');
const plan = (dueAt: string, createdAt = opened) =>
  reminderTimes({ createdAt, dueAt: at(dueAt) }).map((r) => [r.kind, r.at.toISOString()]);

describe('round reminder times (08:00 Europe/Amsterdam, weekends skipped)', () => {
  it('due on a Friday: the Wednesday before and the Friday morning', () => {
    // Friday 4 December 2026, 17:00 in Amsterdam (CET, UTC+1).
    expect(plan('2026-12-04T16:00:00Z')).toEqual([
      ['reminder_before', '2026-12-02T07:00:00.000Z'],
      ['reminder_due_day', '2026-12-04T07:00:00.000Z'],
    ]);
  });

  it('due on a Monday or a Tuesday: the weekend does not count as working days', () => {
    expect(plan('2026-12-07T16:00:00Z')[0]).toEqual(['reminder_before', '2026-12-03T07:00:00.000Z']); // Thursday
    expect(plan('2026-12-08T16:00:00Z')[0]).toEqual(['reminder_before', '2026-12-04T07:00:00.000Z']); // Friday
  });

  it('due on a Sunday: Thursday (Friday is one working day before, Thursday two)', () => {
    expect(plan('2026-12-06T16:00:00Z')[0]).toEqual(['reminder_before', '2026-12-03T07:00:00.000Z']);
  });

  it('summer time: 08:00 is 06:00 UTC', () => {
    expect(plan('2027-06-04T15:00:00Z', at('2027-05-01T00:00:00Z'))).toEqual([
      ['reminder_before', '2027-06-02T06:00:00.000Z'],
      ['reminder_due_day', '2027-06-04T06:00:00.000Z'],
    ]);
  });

  it('due before 08:00: the day reminder at midnight; nothing before the round was opened', () => {
    expect(plan('2026-12-04T06:00:00Z')[1]).toEqual(['reminder_due_day', '2026-12-03T23:00:00.000Z']);
    // Opened on Thursday afternoon, due Friday: only the reminder on the day.
    expect(plan('2026-12-04T16:00:00Z', at('2026-12-03T14:00:00Z'))).toEqual([
      ['reminder_due_day', '2026-12-04T07:00:00.000Z'],
    ]);
  });
});
