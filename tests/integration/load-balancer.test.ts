import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../db/client';
import { loadDocument } from '../../server/collab/persistence';
import { testRedisUrl } from '../../server/env';
import { createUser } from '../../server/users/users';
import { connectProvider, fragmentText } from '../helpers/collab';
import { freshDatabase } from '../helpers/database';
import { apiClient, signIn } from '../helpers/http';
import { testDataRoot } from '../helpers/paths';
import { testPassword } from '../helpers/server';
import { contentFragmentName } from '../../common/schema/fragment';
import { freePort, startServerProcess } from '../helpers/processes';

/**
 * Debian's nginx with deploy/nginx.conf in front of two Stukwerk processes (child processes, so one can be
 * killed with SIGKILL) on one PostgreSQL database and one Redis server.
 */
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** deploy/nginx.conf as shipped, with this test's ports, wrapped to run standalone from a prefix directory. */
function nginxConfig(prefix: string, listen: number, upstreams: number[]): string {
  let site = readFileSync(path.join(process.cwd(), 'deploy/nginx.conf'), 'utf8');
  site = site.replace(/listen 80;/, `listen 127.0.0.1:${listen};`);
  site = site.replace(
    /(\s*server 127\.0\.0\.1:\d+ [^\n]*\n)+/,
    '\n' + upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;\n`).join(''),
  );
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((t) => `${t}_temp_path ${prefix}/${t};`)
    .join('\n  ');
  return `pid ${prefix}/nginx.pid;\nerror_log ${prefix}/error.log warn;\nevents {}\nhttp {\n  access_log off;\n  ${temp}\n${site}\n}\n`;
}

describe('nginx in front of two processes', () => {
  it('clients of a process killed with SIGKILL reconnect through nginx to the other, and nothing typed is lost', async () => {
    const database = await freshDatabase({ postgres: true });
    cleanup.push(() => database.drop());
    if (database.target.kind !== 'postgres') throw new Error('needs PostgreSQL');
    const [p1, p2, lb] = [await freePort(), await freePort(), await freePort()];
    const env = {
      DATABASE_URL: database.target.url,
      REDIS_URL: testRedisUrl(),
      AUTH_SECRET: 'z'.repeat(40),
      HOST: '127.0.0.1',
      SEED_DEMO: '0',
      PUBLIC_URL: `http://127.0.0.1:${lb}`,
    };
    console.info('[load balancer] starting');
    const first = await startServerProcess({ ...env, PORT: String(p1) });
    console.info('[load balancer] first up');
    cleanup.push(() => first.child.kill('SIGKILL'));
    const second = await startServerProcess({ ...env, PORT: String(p2) });
    console.info('[load balancer] two processes up');
    cleanup.push(() => second.child.kill('SIGKILL'));

    const prefix = mkdtempSync(path.join(testDataRoot, 'nginx-'));
    writeFileSync(path.join(prefix, 'nginx.conf'), nginxConfig(prefix, lb, [p1, p2]));
    const nginx = spawn('/usr/sbin/nginx', ['-p', prefix, '-c', path.join(prefix, 'nginx.conf'), '-g', 'daemon off;'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    cleanup.push(() => nginx.kill('SIGKILL'));
    const url = `http://127.0.0.1:${lb}`;
    await vi.waitFor(async () => expect((await fetch(`${url}/api/health`)).status).toBe(200), {
      timeout: 10_000,
      interval: 100,
    });

    const { db, close } = await openDatabase(database.target);
    cleanup.push(() => close());
    const email = `anne.${Date.now()}@example.nl`;
    await createUser(db, { email, name: 'Anne', password: testPassword });
    const cookie = await signIn(url, email);
    const { body: doc } = await apiClient(url, cookie).post('/api/documents', {
      title: 'Achter nginx',
      template: 'blank',
    });

    const clients = Array.from({ length: 4 }, () => connectProvider(url, doc.id, cookie));
    cleanup.push(() => clients.forEach((c) => c.destroy()));
    await vi.waitFor(() => expect(clients.every((c) => c.provider.synced)).toBe(true), { timeout: 15_000 });
    // Round robin spread the clients: both processes hold the document.
    const held = async (port: number) =>
      (await (await fetch(`http://127.0.0.1:${port}/api/health`)).json()).loadedDocuments;
    expect([await held(p1), await held(p2)]).toEqual([1, 1]);

    console.info('[load balancer] four clients synced through nginx');
    const sent: string[] = [];
    const round = async (label: string, count: number) => {
      for (let i = 0; i < count; i++) {
        clients.forEach((c, k) => {
          c.addParagraph(`${label}-${k}-${i}`);
          sent.push(`${label}-${k}-${i}`);
        });
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    await round('voor', 30);
    const firstGone = new Promise((r) => first.child.once('exit', r));
    first.child.kill('SIGKILL');
    await round('tijdens', 30);
    await firstGone;
    await round('na', 10);

    const missing = (text: string) => sent.filter((l) => !text.includes(`${l}\n`));
    await vi.waitFor(
      () => {
        for (const c of clients) expect(missing(c.text())).toEqual([]);
      },
      { timeout: 20_000 },
    );
    // The survivor writes out on SIGTERM; then storage alone must hold everything.
    const secondGone = new Promise((r) => second.child.once('exit', r));
    second.child.kill('SIGTERM');
    await secondGone;
    const stored = await loadDocument(db, doc.id);
    const lost = missing(fragmentText(stored!.ydoc.getXmlFragment(contentFragmentName)));
    console.info(
      `[kill -9 behind nginx] sent ${sent.length} paragraphs from 4 clients, stored ${sent.length - lost.length}, lost ${lost.length}`,
    );
    expect({ sent: sent.length, lost }).toEqual({ sent: 280, lost: [] });
  }, 240_000); // two server processes start (a Next.js app each) on shared CPUs
});
