import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/**
 * A benchmark child process (a server under test or a load generator) driven by request/response messages over
 * the IPC channel: `{ id, cmd, args }` → `{ id, result }` or `{ id, error }`. Children exit when the channel
 * closes, so a crashed or interrupted runner leaves nothing behind.
 */
export interface Child {
  readonly pid: number;
  readonly name: string;
  call<T = unknown>(cmd: string, args?: unknown, timeoutMs?: number): Promise<T>;
  /** Asks the child to stop (it cleans up), then kills it by pid if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** Kills the child at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  readonly exited: Promise<number | null>;
}

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const running = new Set<Child>();

export function spawnChild(name: string, script: string, env: Record<string, string> = {}): Promise<Child> {
  const proc: ChildProcess = fork(path.join(benchDir, script), [], {
    execArgv: [
      '--import',
      'tsx',
      '--expose-gc',
      '--max-old-space-size=6144',
      // BENCH_CPU_PROF=dir: a V8 CPU profile of every server under test, written there when it stops.
      ...(script === 'server-child.ts' && process.env.BENCH_CPU_PROF
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
        : []),
    ],
    env: { ...process.env, ...env, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  let seq = 0;
  const waiting = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  let ready!: () => void;
  let failed!: (e: Error) => void;
  const readyPromise = new Promise<void>((res, rej) => ((ready = res), (failed = rej)));
  proc.on('message', (msg: { id?: number; ready?: boolean; result?: unknown; error?: string }) => {
    if (msg.ready) return ready();
    const w = msg.id !== undefined ? waiting.get(msg.id) : undefined;
    if (!w) return;
    waiting.delete(msg.id!);
    clearTimeout(w.timer);
    if (msg.error !== undefined) w.reject(new Error(`${name}: ${msg.error}`));
    else w.resolve(msg.result);
  });
  void exited.then((code) => {
    running.delete(child);
    failed(new Error(`${name} exited (${code}) before it was ready`));
    for (const w of waiting.values()) {
      clearTimeout(w.timer);
      w.reject(new Error(`${name} exited (${code})`));
    }
    waiting.clear();
  });
  const child: Child = {
    pid: proc.pid!,
    name,
    exited,
    call<T>(cmd: string, args?: unknown, timeoutMs = 120_000) {
      return new Promise<T>((resolve, reject) => {
        if (!proc.connected) return reject(new Error(`${name} is not running`));
        const id = ++seq;
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`${name}: ${cmd} timed out after ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
        proc.send({ id, cmd, args });
      });
    },
    async stop(graceMs = 20_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      try {
        await child.call('shutdown', undefined, graceMs);
      } catch {
        // fall through to the kill below
      }
      const timer = setTimeout(() => proc.kill('SIGKILL'), 3_000);
      if (proc.connected) proc.disconnect();
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
  running.add(child);
  return readyPromise.then(() => child);
}

/** Stops every child still running (on errors and at the end of a run). */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...running].map((c) => c.stop(10_000).catch(() => c.kill())));
}

/** Child side: answers commands with `handlers`; `shutdown` runs `onShutdown` and exits. */
export function serve(
  handlers: Record<string, (args: any) => unknown>,
  onShutdown: () => Promise<void> | void = () => {},
): void {
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    try {
      await onShutdown();
    } finally {
      process.exit(0);
    }
  };
  process.on(
    'message',
    (msg: { id: number; cmd: string; args: unknown }) =>
      void (async () => {
        if (msg.cmd === 'shutdown') {
          process.send?.({ id: msg.id, result: true });
          return void shutdown();
        }
        const handler = handlers[msg.cmd];
        try {
          if (!handler) throw new Error(`unknown command ${msg.cmd}`);
          const result = await handler(msg.args);
          process.send?.({ id: msg.id, result });
        } catch (err) {
          process.send?.({ id: msg.id, error: (err as Error).stack ?? String(err) });
        }
      })(),
  );
  // The runner is gone (crashed or killed): clean up and exit rather than linger.
  process.on('disconnect', () => void shutdown());
  process.send?.({ ready: true });
}
