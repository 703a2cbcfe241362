import { describeError } from '../errors';
import type { Rounds } from './rounds';

/**
 * Closes rounds at their due date. Survives restarts because the due dates are in the database: on start every
 * overdue round is closed, then one timer waits for the earliest due date (at most `maxWaitMs`, so a round opened
 * by another process is noticed too). `closeOverdue` locks with SKIP LOCKED, so several processes close each once.
 */
export const roundDeadlineDefaults = { maxWaitMs: 60_000, retryMs: 5_000 };

export function startRoundDeadlines(
  rounds: Pick<Rounds, 'closeOverdue' | 'nextDue'>,
  options: Partial<typeof roundDeadlineDefaults> & { log?: (line: string) => void } = {},
) {
  const { maxWaitMs, retryMs } = { ...roundDeadlineDefaults, ...options };
  const log = options.log ?? ((line: string) => console.error(line));
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
      Math.max(0, at - Date.now()),
    );
  };

  async function tick(): Promise<void> {
    if (running) return running;
    running = (async () => {
      try {
        await rounds.closeOverdue();
        const next = await rounds.nextDue();
        arm(Math.min(next ? next.getTime() : Number.POSITIVE_INFINITY, Date.now() + maxWaitMs));
      } catch (err) {
        log(`[rounds] closing overdue rounds failed; retrying: ${describeError(err)}`);
        arm(Date.now() + retryMs);
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  return {
    /** Closes what is overdue now (the start of the process), then keeps the timer going. */
    start: () => tick(),
    /** A round was opened with this due date: wake no later than that. */
    schedule: (dueAt: Date) => arm(Math.min(dueAt.getTime(), Date.now() + maxWaitMs)),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
