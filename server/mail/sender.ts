import type { Database } from '../../db/client';
import { describeError } from '../errors';
import { batchDueNotifications } from './batcher';
import type { MailConfig } from './config';
import type { MailLinks } from './links';
import { claimDue, markAttemptFailed, markSent, releaseClaims } from './outbox';
import { createTransport, TransportError, type MailTransport } from './transport';

/**
 * The sender in each server process: every `pollMs` it batches due notifications into the outbox, then claims due
 * outbox rows and hands them to the transport one by one. Nothing here runs in a request; a slow or absent SMTP
 * server only keeps rows queued. Several processes may run one each (rows are claimed with SKIP LOCKED).
 */
export interface MailSender {
  start(): void;
  /** Stops polling and waits for the run in progress (a message being sent is finished, not cut off). */
  stop(): Promise<void>;
  /** One run now (tests, and a nudge after an invitation so it does not wait for the next poll). */
  runOnce(): Promise<void>;
  /** A run soon, without waiting for it (timers and events): failures are logged, never thrown. */
  nudge(): void;
  readonly transport: MailTransport['kind'];
}

export function createMailSender(deps: {
  db: Database;
  config: MailConfig;
  links: MailLinks;
  log?: (line: string) => void;
}): MailSender {
  const { db, config, links } = deps;
  const log = deps.log ?? ((line: string) => console.log(line));
  const transport = createTransport(config, log);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = true;
  let lastFailureLog = 0;

  /** `false`: the SMTP server could not be reached or timed out; the rest of the claim should wait. */
  async function deliver(row: Awaited<ReturnType<typeof claimDue>>[number]): Promise<boolean> {
    try {
      await transport.send({
        id: row.id,
        messageId: row.messageId,
        from: config.from,
        to: row.recipient,
        subject: row.subject,
        text: row.textBody ?? '',
        html: row.htmlBody ?? '',
      });
    } catch (err) {
      const permanent = err instanceof TransportError && err.permanent;
      const message = err instanceof TransportError ? err.message : describeError(err);
      const outcome = await markAttemptFailed(db, row, { message, permanent }, config);
      if (outcome === 'failed')
        log(`[mail] opgegeven na ${row.attempts} pogingen: ${row.messageId} aan ${row.recipient}: ${message}`);
      else if (Date.now() - lastFailureLog > 60_000) {
        // An outage fails every row: one line a minute, not one per row.
        lastFailureLog = Date.now();
        log(`[mail] verzenden mislukt, blijft in de wachtrij (poging ${row.attempts}): ${message}`);
      }
      return !(err instanceof TransportError && err.unreachable);
    }
    await markSent(db, row);
    return true;
  }

  async function run() {
    await batchDueNotifications(db, config, links);
    for (;;) {
      const rows = await claimDue(db, config);
      for (let i = 0; i < rows.length; i++) {
        if (await deliver(rows[i]!)) continue;
        await releaseClaims(db, rows.slice(i + 1), new Date(Date.now() + config.retryBaseMs));
        return;
      }
      if (rows.length < config.claimLimit || stopped) break;
    }
  }

  /** One run at a time; a request for a run while one is going makes exactly one more afterwards. */
  function runOnce(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = run()
      .catch((err) => log(`[mail] verzendronde mislukt: ${describeError(err)}`))
      .finally(() => {
        running = undefined;
        if (again && !stopped) {
          again = false;
          nudge();
        } else schedule();
      });
    return running;
  }

  /** A run now, from a timer or an event: runOnce logs its own failures and never rejects. */
  function nudge(): void {
    runOnce().catch(() => {});
  }

  function schedule() {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(nudge, config.pollMs);
    timer.unref();
  }

  return {
    transport: transport.kind,
    nudge,
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      while (running) await running;
      transport.close();
    },
    runOnce,
  };
}
