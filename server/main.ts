import { startServer } from './app-server';
import { EnvError, loadConfig } from './env';
import { describeError } from './errors';

/** `npm start`: one process serving pages, API and collaboration; SIGINT/SIGTERM flush every document first. */
/**
 * A promise that nobody handled is a bug, but one that must not end the process with unwritten updates in memory:
 * it is logged (briefly, never with document contents) and the server goes on.
 */
process.on('unhandledRejection', (reason) => console.error('[stukwerk] unhandled rejection:', describeError(reason)));

async function main() {
  const config = loadConfig(process.env, { dev: process.argv.includes('--dev') });
  const server = await startServer(config);
  console.log(
    `Stukwerk draait op ${server.url} (${config.database.kind === 'pglite' ? `PGlite in ${config.database.dataDir}` : 'PostgreSQL'})`,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[stukwerk] ${signal}: flushing documents and stopping`);
    const force = setTimeout(() => {
      console.error('[stukwerk] shutdown took longer than 15 s; exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    server.close().then(
      () => process.exit(0),
      (err) => {
        console.error('[stukwerk] shutdown failed', err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
  console.error(err instanceof EnvError ? err.message : err);
  process.exit(1);
});
