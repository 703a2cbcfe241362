import { startServer } from '../../server/app-server';
import type { ServerConfig } from '../../server/env';
import { describeError } from '../../server/errors';
import type { MailConfig } from '../../server/mail/config';

/**
 * A Stukwerk server in a child process, for tests that kill it (kill -9): `tsx tests/helpers/child-server.ts '<json>'`
 * with `{config, mail}`. The test owns the database and the SMTP server; this prints `READY <url>` once it listens.
 */
process.on('unhandledRejection', (reason) => console.error('[child] unhandled rejection:', describeError(reason)));

const input = JSON.parse(process.argv[2] ?? '{}') as { config: ServerConfig; mail?: Partial<MailConfig> };
const server = await startServer(input.config, { log: (line) => console.log(line), mail: input.mail });
console.log(`READY ${server.url}`);
process.on('SIGTERM', () => {
  server.close().then(
    () => process.exit(0),
    (err) => {
      console.error('[child] close failed', err);
      process.exit(1);
    },
  );
});
