import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { MailConfig } from './config';

/** One message as the sender hands it to a transport. */
export interface OutgoingMail {
  id: string;
  messageId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * `permanent`: the SMTP server refused with a 5xx reply; retrying will not help. `unreachable`: no SMTP reply at
 * all (connection refused, DNS, timeout), so the next message would fail the same way.
 */
export class TransportError extends Error {
  override name = 'TransportError';
  readonly unreachable: boolean;
  constructor(
    message: string,
    readonly permanent: boolean,
    options?: { cause?: unknown; unreachable?: boolean },
  ) {
    super(message, options);
    this.unreachable = options?.unreachable ?? false;
  }
}

export interface MailTransport {
  /** Resolves only once the message is accepted (SMTP 250 after DATA) or written to disk. */
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
  readonly kind: 'smtp' | 'file';
}

const message = (mail: OutgoingMail) => ({
  from: mail.from,
  to: mail.to,
  subject: mail.subject,
  text: mail.text,
  html: mail.html,
  messageId: mail.messageId,
  // Auto-replies (vacation notices) must not answer a notification (RFC 3834).
  headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
});

/** A short, secret-free line for `last_error`: the SMTP reply or the socket error, never the URL with its password. */
export function describeSendError(err: unknown): string {
  const e = err as { code?: string; responseCode?: number; response?: string; message?: string };
  const text = e.response ?? e.message ?? String(err);
  return [e.code, e.responseCode, text.replace(/\/\/[^@\s/]*@/g, '//***@')]
    .filter(Boolean)
    .join(' ')
    .replace(/\s+/g, ' ')
    .slice(0, 300);
}

export function createTransport(config: MailConfig, log: (line: string) => void): MailTransport {
  if (config.smtpUrl) {
    const smtp = nodemailer.createTransport({
      url: config.smtpUrl,
      connectionTimeout: config.smtpTimeoutMs,
      greetingTimeout: config.smtpTimeoutMs,
      socketTimeout: config.smtpTimeoutMs,
    } as Parameters<typeof nodemailer.createTransport>[0]);
    return {
      kind: 'smtp',
      async send(mail) {
        try {
          const info = await smtp.sendMail(message(mail));
          if (info.rejected?.length) throw new TransportError(`recipient rejected: ${describeSendError(info)}`, true);
        } catch (err) {
          if (err instanceof TransportError) throw err;
          const code = (err as { responseCode?: number }).responseCode;
          throw new TransportError(describeSendError(err), typeof code === 'number' && code >= 500, {
            cause: err,
            unreachable: typeof code !== 'number',
          });
        }
      },
      close: () => smtp.close(),
    };
  }
  // No SMTP server (the embedded default and the demo): the raw message goes to an .eml file, named by the outbox
  // row so a resend after a crash overwrites rather than duplicates; written under a temporary name, then renamed.
  const files = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    kind: 'file',
    async send(mail) {
      const info = await files.sendMail(message(mail));
      mkdirSync(config.outDir, { recursive: true });
      const file = path.join(config.outDir, `${mail.id}.eml`);
      writeFileSync(`${file}.tmp`, info.message as Buffer);
      renameSync(`${file}.tmp`, file);
      log(`[mail] aan ${mail.to}: ${JSON.stringify(mail.subject)} → ${file}`);
    },
    close: () => files.close(),
  };
}
