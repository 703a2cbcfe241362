import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  messageId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Date.now() when the server accepted the DATA. */
  receivedAt: number;
  parsed: ParsedMail;
}

/**
 * A real SMTP server (the `smtp-server` package) on loopback for the tests: every accepted message is parsed with
 * `mailparser`. `stop()` closes the port (senders get ECONNREFUSED), `start()` listens on the same port again.
 */
export async function startSmtpServer() {
  const messages: ReceivedMail[] = [];
  /** While set, messages are read but never answered (a server that hangs after DATA); `hung` counts them. */
  const state = { hang: false, hung: 0 };
  let server: SMTPServer | undefined;
  let port = 0;

  const listen = async () => {
    const s = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      closeTimeout: 200,
      onData(stream, _session, callback) {
        if (state.hang) {
          state.hung++;
          stream.resume(); // read it, never answer: the sender waits for a reply that does not come
          return;
        }
        simpleParser(stream).then(
          (parsed) => {
            messages.push({
              messageId: parsed.messageId ?? '',
              to: Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(', ') : (parsed.to?.text ?? ''),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              receivedAt: Date.now(),
              parsed,
            });
            callback();
          },
          (err: Error) => callback(err),
        );
      },
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
    });
    s.on('error', () => {}); // a client that hangs up mid-session is not the test's failure
    port = (s.server.address() as AddressInfo).port;
    server = s;
  };
  await listen();

  return {
    messages,
    state,
    get port() {
      return port;
    },
    get url() {
      return `smtp://127.0.0.1:${port}`;
    },
    /** Messages to this address (the SMTP envelope's header `To`). */
    to: (address: string) => messages.filter((m) => m.to.toLowerCase().includes(address.toLowerCase())),
    async stop() {
      const s = server;
      server = undefined;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    start: listen,
  };
}
export type TestSmtpServer = Awaited<ReturnType<typeof startSmtpServer>>;
