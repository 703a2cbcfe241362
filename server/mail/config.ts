import path from 'node:path';

/**
 * Outgoing e-mail: where it goes (SMTP, or .eml files when there is no SMTP server) and the sender's timing. The
 * defaults are the product's; tests shorten the windows through `startServer(config, { mail })`.
 */
export interface MailConfig {
  /** `smtp://user:pass@host:587` or `smtps://…`; unset: every mail is written to `outDir` as an .eml file. */
  smtpUrl?: string;
  from: string;
  outDir: string;
  /** "immediate" mails collect a person's events on one document for this long (ten comments in a row: one mail). */
  batchWindowMs: number;
  /** How often the sender looks for due notifications and queued mail. */
  pollMs: number;
  /** Backoff after a failed attempt: base · 2^(attempts−1), at most `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** A mail still undelivered this long after it was queued is marked failed. */
  giveUpAfterMs: number;
  /** A claimed row is another sender's again after this long (its process died mid-send). Longer than any SMTP timeout. */
  sendLeaseMs: number;
  /** At most this many messages per claim. */
  claimLimit: number;
  digestHour: number;
  digestTimeZone: string;
  smtpTimeoutMs: number;
}

export const defaultMailConfig = {
  batchWindowMs: 2 * 60_000,
  pollMs: 1_000,
  retryBaseMs: 30_000,
  retryMaxMs: 60 * 60_000,
  giveUpAfterMs: 24 * 60 * 60_000,
  sendLeaseMs: 5 * 60_000,
  claimLimit: 20,
  digestHour: 8,
  digestTimeZone: 'Europe/Amsterdam',
  smtpTimeoutMs: 30_000,
} satisfies Partial<MailConfig>;

export function mailConfig(
  settings: { dataDir: string; smtpUrl?: string; from?: string; publicHost: string },
  overrides: Partial<MailConfig> = {},
): MailConfig {
  return {
    ...defaultMailConfig,
    smtpUrl: settings.smtpUrl,
    from: settings.from ?? `Stukwerk <no-reply@${settings.publicHost}>`,
    outDir: path.join(settings.dataDir, 'mail'),
    ...overrides,
  };
}
