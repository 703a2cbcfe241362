import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client';
import { countUsers, findUserByEmail } from '../../server/users/users';
import { testDataRoot } from '../helpers/paths';
import { startTestServer, type TestServer } from '../helpers/server';

/** Runs `npm run cli -- …` as a person would, against the given environment. */
function cli(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = spawn('npx', ['tsx', 'server/cli/main.ts', ...args], {
      env: { ...process.env, ...env },
      cwd: process.cwd(),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const add = (email: string, password = 'twelve chars!', extra: string[] = []) => [
  'user',
  'add',
  '--email',
  email,
  '--name',
  'Eva Smit',
  '--password',
  password,
  ...extra,
];

describe('npm run cli -- user add (embedded database)', () => {
  const dataDir = mkdtempSync(path.join(testDataRoot, 'cli-'));
  const env = { DATA_DIR: dataDir, DATABASE_URL: '' };

  it('creates a user on a new database and prints its id; the e-mail is stored lower-cased', async () => {
    const res = await cli(add('Eva.Smit@Hengelo.nl', 'twelve chars!', ['--org', 'Gemeente Hengelo', '--admin']), env);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout.trim()).toMatch(/^[0-9a-f-]{36}$/);
    const db = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite') });
    const user = await findUserByEmail(db.db, 'eva.smit@hengelo.nl');
    await db.close();
    expect(user).toMatchObject({
      id: res.stdout.trim(),
      email: 'eva.smit@hengelo.nl',
      organisation: 'Gemeente Hengelo',
      isAdmin: true,
    });
  });

  it.each([
    ['a duplicate e-mail in another case', add('EVA.SMIT@hengelo.nl'), /already exists/],
    ['an invalid e-mail', add('eva-at-hengelo'), /invalid e-mail/],
    ['a password of 11 characters', add('other@hengelo.nl', 'elevenchars'), /at least 12 characters/],
    ['a missing name', ['user', 'add', '--email', 'x@hengelo.nl', '--password', 'twelve chars!'], /--name is required/],
    ['an unknown command', ['user', 'remove'], /usage/],
  ])('refuses %s with a one-line reason, non-zero, and adds nobody', async (_name, args, reason) => {
    const res = await cli(args, env);
    expect(res.code).not.toBe(0);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(reason);
    const db = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite') });
    expect(await countUsers(db.db)).toBe(1);
    await db.close();
  });
});

describe('npm run cli -- user deactivate', () => {
  const dataDir = mkdtempSync(path.join(testDataRoot, 'cli-deactivate-'));
  const env = { DATA_DIR: dataDir, DATABASE_URL: '' };

  it('deactivates an existing user and refuses an unknown e-mail', async () => {
    const created = await cli(add('weg@almelo.nl'), env);
    expect(created.code).toBe(0);
    const res = await cli(['user', 'deactivate', '--email', 'WEG@almelo.nl'], env);
    expect([res.code, res.stdout.trim()]).toEqual([0, created.stdout.trim()]);
    const unknown = await cli(['user', 'deactivate', '--email', 'niemand@almelo.nl'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no user with e-mail address niemand@almelo.nl/);
    const db = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite') });
    expect((await findUserByEmail(db.db, 'weg@almelo.nl'))?.deactivatedAt).toBeInstanceOf(Date);
    await db.close();
  });
});

describe('npm run cli while the server runs', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.dispose());

  it('on the embedded database it refuses with a clear message; with PostgreSQL it adds the user', async () => {
    const target = server.config.database;
    const env: Record<string, string> =
      target.kind === 'pglite'
        ? { DATA_DIR: server.config.dataDir, DATABASE_URL: '' }
        : { DATABASE_URL: target.url, AUTH_SECRET: 'x'.repeat(32) };
    const res = await cli(add('live@enschede.nl'), env);
    if (target.kind === 'pglite') {
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/in use by another Stukwerk process/);
      expect(await findUserByEmail(server.services.db, 'live@enschede.nl')).toBeUndefined();
    } else {
      expect(res.code).toBe(0);
      expect(await findUserByEmail(server.services.db, 'live@enschede.nl')).toMatchObject({ id: res.stdout.trim() });
    }
  });
});
