import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import * as decoding from 'lib0/decoding';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningServer } from '../../server/app-server';
import { loadDocument } from '../../server/collab/persistence';
import { jsonFromYDoc } from '../../server/content/prosemirror';
import { createUser } from '../../server/users/users';
import { documentHash } from '../../server/versions/canonical';
import { startCluster } from '../helpers/cluster';
import { anchorFor } from '../helpers/comments';
import { connectProvider, fragmentText } from '../helpers/collab';
import { apiClient, signIn } from '../helpers/http';
import { testPassword } from '../helpers/server';
import { contentFragmentName } from '../../common/schema/fragment';
import { freePort } from '../helpers/processes';
import { startSmtpServer } from '../helpers/smtp';
import { and, eq } from 'drizzle-orm';
import { documentVersions } from '../../db/schema';

/**
 * Two Stukwerk processes on one PostgreSQL database and one Redis server; stock y-websocket clients on each.
 * (In-process servers: each has its own collaboration server, registry, log and Redis connections, as a process does.)
 */
type Who = 'editorA' | 'editorB' | 'commenter' | 'chair';
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

let cluster: Awaited<ReturnType<typeof startCluster>>;
let A: RunningServer;
let B: RunningServer;
const emails = {} as Record<Who, string>;
const ids = {} as Record<Who, string>;
const cookies = {} as Record<Who, string>;

async function people(server: RunningServer) {
  const names: Record<Who, string> = { editorA: 'Anne', editorB: 'Bram', commenter: 'Daan', chair: 'Carla' };
  for (const who of Object.keys(names) as Who[]) {
    const email = `${names[who].toLowerCase()}.${Math.random().toString(36).slice(2, 8)}@example.nl`;
    // The first editor is an administrator: only an administrator grants the chair role.
    const user = await createUser(server.services.db, {
      email,
      name: names[who],
      password: testPassword,
      isAdmin: who === 'editorA',
    });
    emails[who] = email;
    ids[who] = user.id;
    cookies[who] = await signIn(server.url, email); // one AUTH_SECRET: the session is valid on every process
  }
}

beforeAll(async () => {
  cluster = await startCluster(2, { collab: { versionIdleMs: 60_000 } });
  [A, B] = cluster.servers as [RunningServer, RunningServer];
  await people(A);
}, 60_000);
afterAll(() => cluster?.dispose());

const api = (who: Who, server = A) => apiClient(server.url, cookies[who]);

async function newDocument(server = A): Promise<string> {
  const { body } = await api('editorA', server).post('/api/documents', {
    title: 'Samen over processen',
    template: 'voorstel',
  });
  for (const [who, role] of [
    ['editorB', 'editor'],
    ['commenter', 'commenter'],
    ['chair', 'chair'],
  ] as const) {
    expect(
      (await api('editorA', server).post(`/api/documents/${body.id}/members`, { email: emails[who], role })).status,
    ).toBe(201);
  }
  return body.id;
}

function open(who: Who, id: string, server: { url: string }) {
  const client = connectProvider(server.url, id, cookies[who], { stukwerk: true });
  const sessions: { readOnly: boolean; status: string; role: string; signedOff?: { sha256: string } }[] = [];
  const comments: { type: string }[] = [];
  client.provider.messageHandlers[100] = (_e, decoder) => sessions.push(JSON.parse(decoding.readVarString(decoder)));
  client.provider.messageHandlers[101] = (_e, decoder) => comments.push(JSON.parse(decoding.readVarString(decoder)));
  cleanup.push(() => client.destroy());
  return Object.assign(client, { sessions, comments });
}
const synced = (c: ReturnType<typeof open>) =>
  vi.waitFor(() => expect(c.provider.synced).toBe(true), { timeout: 15_000 });

/** The paragraphs of the stored document (snapshot + log), after both processes committed what they accepted. */
async function storedText(id: string): Promise<string> {
  await Promise.all([A.collab.flush(), B.collab.flush()]);
  const stored = await loadDocument(A.services.db, id);
  const text = fragmentText(stored!.ydoc.getXmlFragment(contentFragmentName));
  stored!.ydoc.destroy();
  return text;
}

const missing = (text: string, labels: string[]) => labels.filter((l) => !text.includes(`${l}\n`));

describe('two processes behind one load balancer', () => {
  it('stock clients on A and on B converge, and everything either accepted is stored once', async () => {
    const id = await newDocument();
    const a = open('editorA', id, A);
    const b = open('editorB', id, B);
    await Promise.all([synced(a), synced(b)]);
    const sent: string[] = [];
    for (let i = 0; i < 50; i++) {
      a.addParagraph(`A-${i}`);
      b.addParagraph(`B-${i}`);
      sent.push(`A-${i}`, `B-${i}`);
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    await vi.waitFor(
      () => {
        expect(missing(a.text(), sent)).toEqual([]);
        expect(b.text()).toBe(a.text());
      },
      { timeout: 10_000 },
    );
    const stored = await storedText(id);
    expect({ sent: sent.length, lost: missing(stored, sent) }).toEqual({ sent: 100, lost: [] });
    expect(stored.match(/A-7\n/g)).toHaveLength(1);
    expect(stored.match(/Aan het algemeen bestuur/g)).toHaveLength(1);
    // Neither process logged the other's updates again: B relayed A's updates to its connection, A logged them.
    expect(A.collab.cluster!.stats.caughtUpRows + B.collab.cluster!.stats.caughtUpRows).toBeGreaterThanOrEqual(0);
  });

  it('awareness (who is here, carets) crosses from A to B', async () => {
    const id = await newDocument();
    const a = open('editorA', id, A);
    const b = open('editorB', id, B);
    await Promise.all([synced(a), synced(b)]);
    a.provider.awareness.setLocalStateField('cursor', { anchor: 1, head: 3 });
    await vi.waitFor(
      () =>
        expect(b.provider.awareness.getStates().get(a.ydoc.clientID)).toMatchObject({ cursor: { anchor: 1, head: 3 } }),
      { timeout: 5_000 },
    );
    a.provider.awareness.setLocalStateField('cursor', { anchor: 2, head: 2 });
    await vi.waitFor(
      () =>
        expect(b.provider.awareness.getStates().get(a.ydoc.clientID)).toMatchObject({ cursor: { anchor: 2, head: 2 } }),
      { timeout: 5_000 },
    );
  });

  it('a comment posted through A reaches a client connected to B live', async () => {
    const id = await newDocument();
    const mayor = open('commenter', id, A);
    const b = open('editorB', id, B);
    await Promise.all([synced(mayor), synced(b)]);
    const res = await api('commenter').post(`/api/documents/${id}/comments`, {
      anchor: anchorFor(mayor.fragment, 'Besluit'),
      body: 'Graag toelichten.',
    });
    expect(res.status).toBe(201);
    await vi.waitFor(() => expect(b.comments.map((c) => c.type)).toContain('thread.created'), { timeout: 5_000 });
    expect(b.comments).toHaveLength(1); // once, not echoed back by A
  });

  it('a role change made through A takes effect at once on a connection to B', async () => {
    const id = await newDocument();
    const b = open('editorB', id, B);
    const a = open('editorA', id, A);
    await Promise.all([synced(a), synced(b)]);
    expect(
      (await api('editorA').patch(`/api/documents/${id}/members/${ids.editorB}`, { role: 'commenter' })).status,
    ).toBe(200);
    await vi.waitFor(() => expect(b.sessions.at(-1)).toMatchObject({ role: 'commenter', readOnly: true }), {
      timeout: 5_000,
    });
    b.addParagraph('mag niet meer');
    a.addParagraph('wel toegestaan');
    await vi.waitFor(() => expect(b.text()).toContain('wel toegestaan'), { timeout: 5_000 });
    expect(B.collab.loadedDocument(id)!.refusedUpdates).toBeGreaterThan(0);
    expect(await storedText(id)).not.toContain('mag niet meer');
  });
});

describe('sign-off through A while people type on A and on B', () => {
  it('stores nothing typed after the lock response; the signed hash is the hash of the stored and of every live copy', async () => {
    const id = await newDocument();
    await api('editorA').post(`/api/documents/${id}/status`, { status: 'review' });
    const a = open('editorA', id, A);
    const b = open('editorB', id, B);
    await Promise.all([synced(a), synced(b)]);
    let typing = true;
    let n = 0;
    const typist = (async () => {
      while (typing && n < 3_000) {
        a.addParagraph(`A ${n}`);
        b.addParagraph(`B ${n}`);
        n++;
        await new Promise((r) => setTimeout(r, 3));
      }
    })();
    await vi.waitFor(() => expect(n).toBeGreaterThan(40), { timeout: 10_000 });
    expect((await api('editorA').post(`/api/documents/${id}/status`, { status: 'ready' })).status).toBe(200);
    const res = await api('chair').post(`/api/documents/${id}/sign-off`);
    const typedAtResponse = n;
    expect(res.status).toBe(200);
    await vi.waitFor(() => expect(n).toBeGreaterThan(typedAtResponse + 30), { timeout: 10_000 }); // they keep typing after the response
    typing = false;
    await typist;
    await vi.waitFor(
      () => {
        // The sign-off notice (later frames of theirs are answered with refusal notices).
        for (const c of [a, b]) {
          expect(c.sessions.find((m) => m.status === 'signed_off' && m.signedOff)).toMatchObject({
            readOnly: true,
            signedOff: { sha256: res.body.sha256 },
          });
          expect(c.sessions.at(-1)).toMatchObject({ readOnly: true, status: 'signed_off' });
        }
      },
      { timeout: 5_000 },
    );
    await new Promise((r) => setTimeout(r, 300)); // late frames have arrived and been refused (on both processes)

    const after = [...Array(n - typedAtResponse).keys()].flatMap((k) => [
      `A ${typedAtResponse + k}`,
      `B ${typedAtResponse + k}`,
    ]);
    const stored = await storedText(id);
    expect(after.filter((l) => stored.includes(`${l}\n`))).toEqual([]);
    const storedDoc = await loadDocument(A.services.db, id);
    expect(documentHash(jsonFromYDoc(storedDoc!.ydoc))).toBe(res.body.sha256);
    expect(documentHash(jsonFromYDoc(A.collab.loadedDocument(id)!.ydoc))).toBe(res.body.sha256);
    expect(documentHash(jsonFromYDoc(B.collab.loadedDocument(id)!.ydoc))).toBe(res.body.sha256);
    expect(A.collab.loadedDocument(id)!.refusedUpdates + B.collab.loadedDocument(id)!.refusedUpdates).toBeGreaterThan(
      0,
    );
    const storedBefore = [...Array(typedAtResponse).keys()]
      .flatMap((k) => [`A ${k}`, `B ${k}`])
      .filter((l) => stored.includes(`${l}\n`)).length;
    console.info(
      `[cluster sign-off] typed ${2 * n} paragraphs, ${2 * typedAtResponse} before the response; stored ${storedBefore}, after the response stored 0`,
    );
  });
});

/** Types a paragraph on each client every few ms until stopped; `count()` is how many rounds went out so far. */
function typeOnBoth(a: ReturnType<typeof open>, b: ReturnType<typeof open>) {
  let typing = true;
  let n = 0;
  const done = (async () => {
    while (typing && n < 3_000) {
      a.addParagraph(`A ${n}`);
      b.addParagraph(`B ${n}`);
      n++;
      await new Promise((r) => setTimeout(r, 3));
    }
  })();
  return {
    count: () => n,
    stop: async () => {
      typing = false;
      await done;
    },
  };
}

describe('locking the text (ready) through A while people type on A and on B', () => {
  it('stores nothing typed after the lock response, and every live copy is the stored text', async () => {
    const id = await newDocument();
    await api('editorA').post(`/api/documents/${id}/status`, { status: 'review' });
    const a = open('editorA', id, A);
    const b = open('editorB', id, B);
    await Promise.all([synced(a), synced(b)]);
    const typist = typeOnBoth(a, b);
    await vi.waitFor(() => expect(typist.count()).toBeGreaterThan(40), { timeout: 10_000 });
    const res = await api('editorA').post(`/api/documents/${id}/status`, { status: 'ready' });
    const typedAtResponse = typist.count();
    expect(res.status).toBe(200);
    await vi.waitFor(() => expect(typist.count()).toBeGreaterThan(typedAtResponse + 30), { timeout: 10_000 });
    await typist.stop();
    const n = typist.count();
    await vi.waitFor(
      () => {
        for (const c of [a, b]) expect(c.sessions.at(-1)).toMatchObject({ readOnly: true, status: 'ready' });
      },
      { timeout: 5_000 },
    );
    await new Promise((r) => setTimeout(r, 300)); // late frames have arrived and been refused (on both processes)

    const after = [...Array(n - typedAtResponse).keys()].flatMap((k) => [
      `A ${typedAtResponse + k}`,
      `B ${typedAtResponse + k}`,
    ]);
    const stored = await storedText(id);
    expect(after.filter((l) => stored.includes(`${l}\n`))).toEqual([]);
    const live = (server: RunningServer) =>
      fragmentText(server.collab.loadedDocument(id)!.ydoc.getXmlFragment(contentFragmentName));
    expect(live(A)).toBe(stored);
    expect(live(B)).toBe(stored);
    const refused = A.collab.loadedDocument(id)!.refusedUpdates + B.collab.loadedDocument(id)!.refusedUpdates;
    expect(refused).toBeGreaterThan(0);
    const storedBefore = [...Array(typedAtResponse).keys()]
      .flatMap((k) => [`A ${k}`, `B ${k}`])
      .filter((l) => stored.includes(`${l}\n`)).length;
    console.info(
      `[cluster ready] typed ${2 * n} paragraphs, ${2 * typedAtResponse} before the lock response; stored ${storedBefore}, after the response stored 0 (${refused} updates refused)`,
    );
    // Back to draft through B: both processes take text again, and it is stored.
    expect((await api('editorA', B).post(`/api/documents/${id}/status`, { status: 'draft' })).status).toBe(200);
    await vi.waitFor(
      () => {
        for (const c of [a, b]) expect(c.sessions.at(-1)).toMatchObject({ readOnly: false, status: 'draft' });
      },
      { timeout: 5_000 },
    );
    a.addParagraph('weer open A');
    b.addParagraph('weer open B');
    await vi.waitFor(() => expect(missing(b.text(), ['weer open A', 'weer open B'])).toEqual([]), { timeout: 10_000 });
    expect(missing(await storedText(id), ['weer open A', 'weer open B'])).toEqual([]);
  });
});

describe('work that must happen once, with two processes', () => {
  it('an automatic version and each notification mail happen once, not once per process', async () => {
    const smtp = await startSmtpServer();
    cleanup.push(() => smtp.stop());
    const own = await startCluster(2, {
      collab: { versionIdleMs: 300, versionMaxIntervalMs: 60_000 },
      mail: { smtpUrl: smtp.url, batchWindowMs: 200, pollMs: 50 },
    });
    cleanup.push(() => own.dispose());
    const [P, Q] = own.servers as [RunningServer, RunningServer];
    const prev = { A, B };
    [A, B] = [P, Q];
    cleanup.push(() => ([A, B] = [prev.A, prev.B]));
    await people(P);
    const id = await newDocument(P);
    const a = open('editorA', id, P);
    const b = open('editorB', id, Q);
    await Promise.all([synced(a), synced(b)]);
    // Both processes accept text, so both arm an automatic version for the same pause.
    for (let i = 0; i < 10; i++) {
      a.addParagraph(`A ${i}`);
      b.addParagraph(`B ${i}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const autoVersions = async () =>
      (
        await P.services.db
          .select({ id: documentVersions.id })
          .from(documentVersions)
          .where(and(eq(documentVersions.documentId, id), eq(documentVersions.kind, 'auto')))
      ).length;
    await vi.waitFor(async () => expect(await autoVersions()).toBeGreaterThan(0), { timeout: 10_000 });
    // Everyone leaves: both processes write the document out (taking a version if one is still due) and unload it.
    a.destroy();
    b.destroy();
    await vi.waitFor(
      () => expect([P.collab.loadedDocument(id), Q.collab.loadedDocument(id)]).toEqual([undefined, undefined]),
      { timeout: 15_000 },
    );
    const versions = await autoVersions();

    // One event for two people; both processes run a mail sender on the same outbox.
    expect((await api('editorA', Q).post(`/api/documents/${id}/status`, { status: 'review' })).status).toBe(200);
    const reviewMails = (email: string) => smtp.to(email).filter((m) => m.text.includes('ter bespreking'));
    await vi.waitFor(() => expect(reviewMails(emails.commenter).length * reviewMails(emails.chair).length).toBe(1), {
      timeout: 15_000,
    });
    await new Promise((r) => setTimeout(r, 1_000)); // several polls of both senders later
    const mails = { commenter: reviewMails(emails.commenter).length, chair: reviewMails(emails.chair).length };
    console.info(
      `[cluster once] automatic versions ${versions} (two processes armed one each); review mails: commenter ${mails.commenter}, chair ${mails.chair}; all mails ${smtp.messages.length}`,
    );
    expect({ versions, ...mails }).toEqual({ versions: 1, commenter: 1, chair: 1 });
    // No mail went out twice: every Message-ID is unique.
    expect(new Set(smtp.messages.map((m) => m.messageId)).size).toBe(smtp.messages.length);
  });
});

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    '/usr/bin/redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  await vi.waitFor(
    () =>
      new Promise<void>((resolve, reject) => {
        const s = net.connect(port, '127.0.0.1', () => (s.end(), resolve()));
        s.on('error', reject);
      }),
    { timeout: 5_000, interval: 50 },
  );
  return child;
}

describe('a Redis restart while people type on both processes', () => {
  it('converges afterwards and loses nothing', async () => {
    const port = await freePort();
    let redis = await startRedis(port);
    cleanup.push(() => redis.kill('SIGKILL'));
    const own = await startCluster(2, { redisUrl: `redis://127.0.0.1:${port}` });
    cleanup.push(() => own.dispose());
    const [P, Q] = own.servers as [RunningServer, RunningServer];
    const prev = { A, B };
    [A, B] = [P, Q];
    cleanup.push(() => ([A, B] = [prev.A, prev.B]));
    await people(P);
    const id = await newDocument(P);
    const a = open('editorA', id, P);
    const b = open('editorB', id, Q);
    await Promise.all([synced(a), synced(b)]);
    const sent: string[] = [];
    const type = async (label: string, count: number) => {
      for (let i = 0; i < count; i++) {
        a.addParagraph(`A ${label} ${i}`);
        b.addParagraph(`B ${label} ${i}`);
        sent.push(`A ${label} ${i}`, `B ${label} ${i}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    await type('voor', 20);
    redis.kill('SIGKILL');
    await new Promise((r) => redis.once('exit', r));
    await type('zonder-redis', 20);
    // Without Redis the log still carries A's updates to B and back (catch-up), only later.
    await vi.waitFor(() => expect(missing(b.text(), sent)).toEqual([]), { timeout: 10_000 });
    redis = await startRedis(port);
    await type('na', 20);
    await vi.waitFor(
      () => {
        expect(missing(a.text(), sent)).toEqual([]);
        expect(b.text()).toBe(a.text());
      },
      { timeout: 15_000 },
    );
    await Promise.all([P.collab.flush(), Q.collab.flush()]);
    const stored = await loadDocument(P.services.db, id);
    const text = fragmentText(stored!.ydoc.getXmlFragment(contentFragmentName));
    const lost = missing(text, sent);
    console.info(
      `[redis restart] sent ${sent.length} paragraphs from 2 clients on 2 processes, stored ${sent.length - lost.length}, lost ${lost.length}`,
    );
    expect({ sent: sent.length, lost }).toEqual({ sent: 120, lost: [] });
  });
});
