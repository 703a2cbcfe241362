import { describeError } from '../errors';

/**
 * Runs the purge of documents deleted longer ago than the restore window (lifecycle.ts `purgeDeleted`) once at
 * start and then every `intervalMs` (an hour by default). Several processes may all run it: each document is
 * claimed with SKIP LOCKED and purged once.
 */
export function startPurgeTimer(
  purge: () => Promise<{ purged: number }>,
  options: { intervalMs?: number; log?: (line: string) => void } = {},
) {
  const intervalMs = options.intervalMs ?? 3_600_000;
  const log = options.log ?? ((line: string) => console.error(line));
  let running: Promise<void> | undefined;
  const tick = () =>
    (running ??= purge()
      .then(({ purged }) => {
        if (purged) log(`[documents] ${purged} verwijderde document(en) na de bewaartermijn definitief verwijderd`);
      })
      .catch((err: unknown) => log(`[documents] purging deleted documents failed: ${describeError(err)}`))
      .finally(() => (running = undefined)));
  tick().catch(() => {}); // tick logs its own errors
  const timer = setInterval(() => {
    tick().catch(() => {});
  }, intervalMs);
  timer.unref();
  return {
    /** Runs now (tests; an operator's CLI) and resolves when this run is over. */
    runNow: async () => {
      await tick();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
