import { describeError } from '../errors';
import type { Rounds } from './rounds';

/**
 * Closes rounds at their due date and sends their reminders. Survives restarts because the due dates are in the
 * database: on start every overdue round is closed, then one timer waits for the earliest due date or reminder (at
 * most `maxWaitMs`, so a round opened by another process is noticed too). `closeOverdue` and `sendDueReminders`
 * lock with SKIP LOCKED and the reminders are recorded per person, so with several processes each happens once.
 * `now` is the clock (tests move it forward instead of waiting days).
 */
export const roundDeadlineDefaults = { maxWaitMs: 60_000, retryMs: 5_000 };

export function startRoundDeadlines(
  rounds: Pick<Rounds, 'closeOverdue' | 'sendDueReminders' | 'nextDue'>,
  options: Partial<typeof roundDeadlineDefaults> & { log?: (line: string) => void; now?: () => Date } = {},
) {
  const { maxWaitMs, retryMs } = { ...roundDeadlineDefaults, ...options };
  const log = options.log ?? ((line: string) => console.error(line));
  const now = options.now ?? (() => new Date());
  let timer: NodeJS.Timeout | undefined;
  let wakeAt = Number.POSITIVE_INFINITY;
  let running: Promise<void> | undefined;
  let stopped = false;

  const arm = (at: number) => {
    if (stopped) return;
    if (timer && at >= wakeAt) return;
    if (timer) clearTimeout(timer);
    wakeAt = at;
    timer = setTimeout(
      () => {
        timer = undefined;
        wakeAt = Number.POSITIVE_INFINITY;
        tick().catch(() => {}); // tick handles and logs its own errors
      },
      Math.max(0, at - now().getTime()),
    );
  };

  async function tick(): Promise<void> {
    if (running) return running;
    running = (async () => {
      try {
        await rounds.closeOverdue(now());
        await rounds.sendDueReminders(now());
        const next = await rounds.nextDue(now());
        arm(Math.min(next ? next.getTime() : Number.POSITIVE_INFINITY, now().getTime() + maxWaitMs));
      } catch (err) {
        log(`[rounds] closing overdue rounds failed; retrying: ${describeError(err)}`);
        arm(now().getTime() + retryMs);
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  return {
    /** Closes what is overdue now (the start of the process), then keeps the timer going. */
    start: () => tick(),
    /** One run now, awaited (tests, after moving the clock). */
    tick,
    /** A round was opened with this due date: wake no later than that. */
    schedule: (dueAt: Date) => arm(Math.min(dueAt.getTime(), now().getTime() + maxWaitMs)),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
