import { spawn, type ChildProcess } from 'node:child_process';
import type { ServerConfig } from '../../server/env';
import type { MailConfig } from '../../server/mail/config';

/** Starts tests/helpers/child-server.ts under tsx and resolves with its URL once it listens. */
export function startChildServer(
  config: ServerConfig,
  mail: Partial<MailConfig>,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'tests/helpers/child-server.ts', JSON.stringify({ config, mail })],
    {
      env: { ...process.env, NODE_ENV: 'production' },
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /READY (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]!, output: () => out });
    });
    child.stderr!.on('data', (d: Buffer) => (out += d));
    child.once('exit', (code, signal) =>
      reject(new Error(`child server exited (${code ?? signal}): ${out.slice(-2000)}`)),
    );
  });
}

/** kill -9, and wait until the process is gone (the OS has closed its sockets and files). */
export async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}
