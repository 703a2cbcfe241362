import { localHourOn, zoneOffsetMs } from '../mail/schedule';

/**
 * When a round's reminders go out: one two working days before the due date (Saturdays and Sundays are skipped:
 * due on a Monday, reminded on the Thursday before) and one on the due day itself, each at `hour`:00 in the
 * region's time zone. A round due before that hour is reminded at midnight of its day. A reminder whose moment
 * lies before the round was opened, or not before its due date, is not sent at all (a round opened the day before
 * it is due gets no "two days before" mail right after the request).
 */
export type RoundReminderKind = 'reminder_before' | 'reminder_due_day';

export interface ReminderClock {
  hour: number;
  timeZone: string;
  /** Working days before the due day for the first reminder. */
  workingDaysBefore: number;
}

export const defaultReminderClock: ReminderClock = { hour: 8, timeZone: 'Europe/Amsterdam', workingDaysBefore: 2 };

const weekdayOf = (instant: number, timeZone: string) =>
  new Date(instant + zoneOffsetMs(instant, timeZone)).getUTCDay();

export function reminderTimes(
  round: { createdAt: Date; dueAt: Date },
  clock: ReminderClock = defaultReminderClock,
): { kind: RoundReminderKind; at: Date }[] {
  const due = round.dueAt.getTime();
  let back = 0;
  for (let counted = 0; counted < clock.workingDaysBefore;) {
    back++;
    // Noon of that local day: its weekday, away from any DST edge at night.
    const day = weekdayOf(localHourOn(due, -back, 12, clock.timeZone), clock.timeZone);
    if (day !== 0 && day !== 6) counted++;
  }
  const before = localHourOn(due, -back, clock.hour, clock.timeZone);
  let onTheDay = localHourOn(due, 0, clock.hour, clock.timeZone);
  if (onTheDay >= due) onTheDay = localHourOn(due, 0, 0, clock.timeZone);
  const planned = [
    { kind: 'reminder_before' as const, at: before },
    { kind: 'reminder_due_day' as const, at: onTheDay },
  ];
  return planned
    .filter((p) => p.at > round.createdAt.getTime() && p.at < due)
    .map((p) => ({ kind: p.kind, at: new Date(p.at) }));
}
