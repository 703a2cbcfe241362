/**
 * The daily digest's clock: 08:00 in Europe/Amsterdam, whatever the server's time zone and across the DST
 * changes (the offset is looked up for the instant itself, not assumed).
 */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant at which the local wall clock in `timeZone` shows `hour`:00 on the local date of `day` (+ `plusDays`). */
export function localHourOn(instant: number, plusDays: number, hour: number, timeZone: string): number {
  const local = new Date(instant + zoneOffsetMs(instant, timeZone));
  const wall = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + plusDays, hour);
  // Two passes: the offset at the target instant can differ from the one at `instant` (a DST change in between).
  let guess = wall - zoneOffsetMs(wall, timeZone);
  guess = wall - zoneOffsetMs(guess, timeZone);
  return guess;
}

/** The most recent digest time at or before `now`. */
export function lastDigestAt(now: Date, hour: number, timeZone: string): Date {
  const today = localHourOn(now.getTime(), 0, hour, timeZone);
  return new Date(today <= now.getTime() ? today : localHourOn(now.getTime(), -1, hour, timeZone));
}

/** The first digest time strictly after `after`: an event at 07:59 goes in that morning's digest, one at 08:00 in the next. */
export function nextDigestAt(after: Date, hour: number, timeZone: string): Date {
  const today = localHourOn(after.getTime(), 0, hour, timeZone);
  return new Date(today > after.getTime() ? today : localHourOn(after.getTime(), 1, hour, timeZone));
}
