import { randomBytes } from 'node:crypto';
import { diffLines } from 'diff';
import * as prng from 'lib0/prng';
import { encode } from 'next-auth/jwt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { openDatabase, type Database, type DatabaseTarget } from '../../db/client';
import { createAuthOptions } from '../../server/auth/options';
import { loadDocument } from '../../server/collab/persistence';
import { createDocument } from '../../server/documents/documents';
import { addMember } from '../../server/documents/members';
import { createUser, type PublicUser } from '../../server/users/users';
import { fragmentText, wsBase } from '../helpers/collab';
import {
  integrated,
  lacks,
  spawnCollabProcess,
  type CollabProcess,
  type CollabProcessSpec,
} from '../helpers/collab-process';
import { freshDatabase } from '../helpers/database';
import { startTcpProxy } from '../helpers/tcp-proxy';
import { freePort } from '../helpers/processes';

/**
 * Convergence under chaos: eight stock y-websocket clients edit one document at random while the test disconnects
 * them, cuts their network (each client reaches the server through its own TCP proxy), and stops the server, both
 * gracefully (SIGTERM, while the edits go on) and as a crash (SIGKILL), starting it again on the same database and
 * port. Every choice comes from a seeded PRNG: the same choices on every run (the timing, and so the interleaving,
 * varies). What must hold:
 * - at the end every client, the server and storage hold the same document, and storage holds every client's edits;
 * - nothing the server accepted is lost: audits at random moments (the live state, a flush, then storage must hold
 *   it); before a crash, storage must survive it; before a graceful stop, all the server integrated must be stored,
 *   and the stopping process itself checks that nothing was left unwritten (tests/helpers/collab-process.ts).
 *
 * To replay a failure, set SEED_OVERRIDE to the seed in its message.
 */
const SEED_OVERRIDE: number | undefined = undefined;
const SEEDS = SEED_OVERRIDE === undefined ? [20_260_611, 4_242] : [SEED_OVERRIDE];
const OPERATIONS = 1_200;
const CLIENTS = 8;
const RESTARTS: Restart[] = ['graceful', 'graceful', 'graceful', 'kill', 'kill', 'kill'];
/** Small limits, so compaction and unloading (with their races) happen many times per run. */
const COLLAB: CollabProcessSpec['collab'] = { compactAfterUpdates: 25, unloadDelayMs: 100, unloadRetryMs: 300 };
const PASSWORD = 'correct horse battery staple';
const ALPHABET = 'abcdefghijklmnopqrstuvwxyzë ';

type Restart = 'graceful' | 'kill';

interface ChaosClient {
  index: number;
  ydoc: Y.Doc;
  fragment: Y.XmlFragment;
  provider: WebsocketProvider;
  proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  /** `provider.disconnect()` was called (and not yet `connect()`). */
  offline: boolean;
  /** Its proxy is cut: it keeps trying to reconnect, and fails. */
  partitioned: boolean;
}

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe('convergence under chaos', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: ${CLIENTS} clients and storage end identical through ${OPERATIONS} random edits, disconnects, partitions, restarts and kill -9, and no client's edit is lost`, async () => {
      await runChaos(seed);
    }, 300_000);
  }
});

async function runChaos(seed: number) {
  const started = performance.now();
  console.log(
    `[convergence] seed ${seed} (replay: set SEED_OVERRIDE = ${seed} in tests/integration/convergence.test.ts)`,
  );
  const rng = prng.create(seed);
  const database = await freshDatabase();
  cleanup.push(() => database.drop());
  const authSecret = randomBytes(32).toString('hex');
  const spec: CollabProcessSpec = { port: await freePort(), database: database.target, authSecret, collab: COLLAB };
  // A server process waits, its modules loaded, so that a (re)start costs only opening the database; the first one
  // loads while the test seeds the database (PGlite: one process at a time, so the seeding must close it first).
  let standby = spawnCollabProcess(spec);
  standby.catch(() => {}); // awaited below
  cleanup.push(() =>
    standby.then(
      (s) => s.discard(),
      () => {},
    ),
  );
  const { documentId, cookies } = await seedDocument(database.target, authSecret);
  let server = await (await standby).start();
  cleanup.push(() => server.kill());
  standby = spawnCollabProcess(spec);
  standby.catch(() => {}); // awaited at the next restart
  const stderr: string[] = [];
  const trace: string[] = [];
  let lastRestart = 'none yet';
  const serverErrors = () =>
    [...new Set([...stderr, ...server.stderr.map((l) => `[pid ${server.pid}] ${l}`)])].filter((l) =>
      /\[collab error\]|\[collab-process\]/.test(l),
    );
  const header = () =>
    `seed ${seed} (replay: SEED_OVERRIDE = ${seed}); last restart: ${lastRestart}; recent chaos: ${trace.slice(-8).join(', ') || 'none'}` +
    `; server errors: ${serverErrors().slice(-5).join(' | ') || 'none'}`;

  const clientIds = new Set<number>();
  while (clientIds.size < CLIENTS) clientIds.add(prng.uint32(rng, 1, 2 ** 31));
  const clients: ChaosClient[] = [];
  for (const [index, clientID] of [...clientIds].entries()) {
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: spec.port });
    cleanup.push(() => proxy.close());
    const client = startClient(index, clientID, proxy, documentId, cookies[index]!);
    cleanup.push(() => client.provider.destroy());
    clients.push(client);
  }

  // Restarts: one in each sixth of the run, at a random operation, in a random order of kinds.
  const kinds = [...RESTARTS];
  const restartAt = new Map<number, Restart>();
  const segment = Math.floor(OPERATIONS / RESTARTS.length);
  for (let s = 0; s < RESTARTS.length; s++) {
    const kind = kinds.splice(prng.int32(rng, 0, kinds.length - 1), 1)[0]!;
    restartAt.set(s * segment + prng.int32(rng, 20, segment - 60), kind);
  }

  const counts: Record<string, number> = {};
  /** What must survive each restart: the live state before SIGTERM, or what storage held before SIGKILL. */
  const violations: string[] = [];
  const violation = (message: string) => {
    console.log(`[convergence] seed ${seed}: ${message}`);
    violations.push(message);
  };
  const checkpoints: { label: string; state: Uint8Array }[] = [];
  /** Audits run beside the edits; one cut short by a restart checks nothing. */
  const audits: Promise<void>[] = [];
  const auditCounts = { checked: 0, notLoaded: 0, serverGone: 0 };
  const runAudit = (target: CollabProcess, i: number) =>
    target.audit(documentId).then(
      ({ checked, gap }) => {
        auditCounts[checked ? 'checked' : 'notLoaded']++;
        if (gap) violation(`audit at operation ${i}: storage lacks ${gap} that the server had accepted and flushed`);
      },
      async (err: Error) => {
        // Cut short by a restart or a kill; anything else is a failure of its own.
        if ((await Promise.race([target.exited.then(() => true), sleep(10_000).then(() => false)])) === false) {
          violation(`audit at operation ${i} failed: ${err.message}`);
        }
        auditCounts.serverGone++;
      },
    );
  let starting: Promise<CollabProcess> | undefined;
  cleanup.push(() =>
    starting?.then(
      (s) => s.kill(),
      () => {},
    ),
  );
  let resumeAt = -1;
  const timing = { setup: performance.now() - started, waitingForServer: 0, operations: 0, waits: 0 };
  const timed = async <T>(key: keyof typeof timing, f: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await f();
    } finally {
      timing[key] += performance.now() - t;
    }
  };

  for (let i = 0; i < OPERATIONS; i++) {
    const restart = restartAt.get(i);
    if (restart) {
      if (starting) server = await timed('waitingForServer', () => starting!);
      const old = server;
      const label = `${restart === 'graceful' ? 'graceful restart' : 'kill -9'} at operation ${i}`;
      // What must survive: for a crash, what storage holds (and the audit checks it holds all that was accepted);
      // for a graceful stop, everything the server has integrated.
      let before: Uint8Array | null;
      if (restart === 'kill') {
        await runAudit(old, i);
        before = await old.stored(documentId);
      } else before = (await old.live(documentId)) ?? (await old.stored(documentId));
      if (before) checkpoints.push({ label, state: before });
      // Edits go on while the server shuts down, as people keep typing through a deployment.
      const exited = restart === 'graceful' ? old.stop() : old.kill();
      lastRestart = label;
      trace.push(label);
      counts[restart] = (counts[restart] ?? 0) + 1;
      starting = exited.then(async (code) => {
        stderr.push(...old.stderr.map((l) => `[pid ${old.pid}] ${l}`));
        if (restart === 'graceful' && code !== 0)
          violation(
            `${label}: the server exited with ${code}, not 0 (${old.stderr.filter((l) => l.includes('[collab-process]')).join('; ')})`,
          );
        const next = await (await standby).start();
        standby = spawnCollabProcess(spec);
        standby.catch(() => {});
        // The new process must hold at once, from storage alone, what the old one had to keep.
        const stored = await next.stored(documentId);
        const gap = before && lacks(stored ? integrated(stored) : Y.emptySnapshot, integrated(before));
        if (gap)
          violation(
            `${label}: storage after the restart lacks ${gap} that ${restart === 'graceful' ? 'the server held before SIGTERM' : 'storage held before SIGKILL'}`,
          );
        return next;
      });
      starting.catch(() => {}); // awaited below; this only keeps a failed start from counting as unhandled meanwhile
      resumeAt = i + prng.int32(rng, 0, 40); // edits go on while the server is away
    }

    const op = drawOperation(rng);
    const client = clients[op.client]!;
    counts[op.kind] = (counts[op.kind] ?? 0) + 1;
    if (op.kind === 'audit') audits.push(runAudit(server, i));
    else await timed('operations', () => apply(op, client, clients, trace, i));
    if (i === resumeAt && starting) {
      server = await timed('waitingForServer', () => starting!).catch((err: Error) => {
        throw new Error(`${header()}: the server did not come back: ${err.message}`);
      });
      starting = undefined;
    }
    if (op.waitMs) await timed('waits', () => sleep(op.waitMs));
  }
  if (starting) {
    server = await starting.catch((err: Error) => {
      throw new Error(`${header()}: the server did not come back: ${err.message}`);
    });
  }

  await Promise.all(audits);

  // Heal everything, then wait until every client and the server hold the same document.
  for (const c of clients) {
    if (c.partitioned) c.proxy.restore();
    if (c.offline) c.provider.connect();
    c.partitioned = c.offline = false;
  }
  const editMs = performance.now() - started;
  await vi.waitFor(
    async () => {
      const problems = await divergence(clients, await server.live(documentId));
      if (problems.length) throw new Error(`${header()}: not converged:\n${problems.join('\n')}`);
    },
    { timeout: 90_000, interval: 250 },
  );
  const converged = performance.now() - started;

  await runAudit(server, OPERATIONS);
  const code = await server.stop();

  const errors = serverErrors();
  console.log(
    `[convergence] seed ${seed}: ${OPERATIONS} operations (${Object.entries(counts)
      .map(([k, n]) => `${k} ${n}`)
      .join(
        ', ',
      )}); ${fragmentText(clients[0]!.fragment).length} characters in ${clients[0]!.fragment.length} paragraphs; ` +
      `edits ${(editMs / 1000).toFixed(1)} s, converged after ${((converged - editMs) / 1000).toFixed(1)} s more; ` +
      `audits that storage holds all the server accepted: ${auditCounts.checked} (${auditCounts.notLoaded} found the document unloaded, ${auditCounts.serverGone} cut short by a restart); ` +
      `(${Object.entries(timing)
        .map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`)
        .join(', ')}); ` +
      `${errors.length} error lines from the server${errors.length ? `:\n  ${errors.slice(0, 20).join('\n  ')}` : ''}`,
  );

  expect(
    code,
    `${header()}: the final graceful stop exited with ${code}: ${server.stderr.filter((l) => l.includes('[collab-process]')).join('; ')}`,
  ).toBe(0);

  // Storage, read directly (PGlite: only now that the server process has exited).
  const handle = await openDatabase(database.target);
  const stored = await loadDocument(handle.db, documentId).finally(() => handle.close());
  expect(stored, `${header()}: the document is missing from storage`).toBeDefined();
  const storedDoc = stored!.ydoc;
  const storedSnapshot = Y.snapshot(storedDoc);
  const reference = clients[0]!;
  expect(
    storedDoc.store.pendingStructs ?? storedDoc.store.pendingDs,
    `${header()}: storage holds updates with missing dependencies`,
  ).toBeNull();
  for (const c of clients) {
    const update = Y.encodeStateAsUpdate(c.ydoc);
    expect(
      Y.snapshotContainsUpdate(storedSnapshot, update),
      `${header()}: storage lacks ${lacks(storedSnapshot, Y.snapshot(c.ydoc)) || 'pending updates'} of client ${c.index}`,
    ).toBe(true);
  }
  expect(
    storedDoc.getXmlFragment('default').toString(),
    `${header()}: storage differs from the clients:\n${textDiff(reference.fragment, storedDoc.getXmlFragment('default'))}`,
  ).toBe(reference.fragment.toString());
  expect(
    Y.equalSnapshots(storedSnapshot, Y.snapshot(reference.ydoc)),
    `${header()}: storage's state (structs and deletions) differs from the clients'`,
  ).toBe(true);
  for (const { label, state } of checkpoints) {
    expect(
      lacks(storedSnapshot, integrated(state)),
      `${header()}: final storage lacks what had to survive the ${label}`,
    ).toBe('');
  }
  expect(violations, `${header()}: durability across restarts`).toEqual([]);
}

// ---------------------------------------------------------------------------------------------------------------
// Operations

type Operation = {
  kind:
    | 'insertText'
    | 'addParagraph'
    | 'deleteText'
    | 'deleteParagraph'
    | 'toggleConnection'
    | 'togglePartition'
    | 'pause'
    | 'everyoneLeaves'
    | 'audit';
  client: number;
  /** Fractions that pick positions in whatever the client's document holds at that moment. */
  a: number;
  b: number;
  c: number;
  d: number;
  text: string;
  waitMs: number;
};

const weights: [Operation['kind'], number][] = [
  ['insertText', 45],
  ['addParagraph', 12],
  ['deleteText', 20],
  ['deleteParagraph', 3],
  ['toggleConnection', 7],
  ['togglePartition', 7],
  ['pause', 3],
  ['everyoneLeaves', 1],
  ['audit', 4],
];
const totalWeight = weights.reduce((n, [, w]) => n + w, 0);

/** Always the same number of draws, whatever the documents hold: the sequence of choices depends on the seed alone. */
function drawOperation(rng: prng.PRNG): Operation {
  let roll = prng.real53(rng) * totalWeight;
  const kind = weights.find(([, w]) => (roll -= w) < 0)?.[0] ?? 'insertText';
  const client = prng.int32(rng, 0, CLIENTS - 1);
  const [a, b, c, d] = [prng.real53(rng), prng.real53(rng), prng.real53(rng), prng.real53(rng)];
  const length = prng.int32(rng, 1, 6);
  let text = '';
  for (let i = 0; i < length; i++) text += ALPHABET[prng.int32(rng, 0, ALPHABET.length - 1)];
  const waitMs = prng.bool(rng) ? 0 : prng.int32(rng, 1, 3); // half the time the next edit follows in the same turn
  return { kind, client, a, b, c, d, text, waitMs };
}

const pick = <T>(items: T[], fraction: number): T | undefined => items[Math.floor(fraction * items.length)];

async function apply(op: Operation, client: ChaosClient, clients: ChaosClient[], trace: string[], i: number) {
  const paragraphs = client.fragment.toArray().filter((n): n is Y.XmlElement => n instanceof Y.XmlElement);
  const paragraph = pick(paragraphs, op.a);
  const texts = paragraph?.toArray().filter((n): n is Y.XmlText => n instanceof Y.XmlText) ?? [];
  const text = pick(texts, op.b);
  switch (op.kind) {
    case 'insertText':
      if (!paragraph) return addParagraph(client.fragment, 0, op.text);
      if (!text) return paragraph.insert(0, [new Y.XmlText(op.text)]);
      return text.insert(Math.floor(op.c * (text.length + 1)), op.text);
    case 'addParagraph':
      return addParagraph(client.fragment, Math.floor(op.c * (client.fragment.length + 1)), op.text);
    case 'deleteText': {
      if (!text || text.length === 0) return;
      const start = Math.floor(op.c * text.length);
      return text.delete(start, 1 + Math.floor(op.d * Math.min(8, text.length - start)));
    }
    case 'deleteParagraph':
      if (client.fragment.length > 3) client.fragment.delete(Math.floor(op.c * client.fragment.length), 1);
      return;
    case 'toggleConnection':
      client.offline = !client.offline;
      trace.push(`${i}: client ${client.index} ${client.offline ? 'disconnects' : 'connects'}`);
      return client.offline ? client.provider.disconnect() : client.provider.connect();
    case 'togglePartition':
      client.partitioned = !client.partitioned;
      trace.push(`${i}: client ${client.index} ${client.partitioned ? 'cut off' : 'reachable'}`);
      return client.partitioned ? client.proxy.cut() : client.proxy.restore();
    case 'pause':
      // Long enough for group commits and compactions to run between edits.
      return sleep(10 + Math.floor(op.c * 90));
    case 'audit':
      return; // run by the loop, against the server process
    case 'everyoneLeaves': {
      // Everybody leaves; the server unloads the document after 100 ms (flush, compact, release). They come back
      // before, during or after that.
      trace.push(`${i}: everyone leaves`);
      const online = clients.filter((c) => !c.offline);
      online.forEach((c) => c.provider.disconnect());
      await sleep(Math.floor(op.c * 400));
      online.forEach((c) => c.provider.connect());
      return;
    }
  }
}

function addParagraph(fragment: Y.XmlFragment, index: number, text: string) {
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  fragment.insert(index, [p]);
}

// ---------------------------------------------------------------------------------------------------------------
// Comparing

/** Everything that keeps the clients and the server's live copy from being one document; empty when converged. */
async function divergence(clients: ChaosClient[], live: Uint8Array | null): Promise<string[]> {
  const problems: string[] = [];
  const reference = clients[0]!;
  const referenceSnapshot = Y.snapshot(reference.ydoc);
  const compare = (name: string, doc: Y.Doc) => {
    if (doc.store.pendingStructs || doc.store.pendingDs)
      problems.push(`${name} holds updates it cannot apply yet (missing dependencies)`);
    if (!Y.equalSnapshots(Y.snapshot(doc), referenceSnapshot)) {
      problems.push(
        `${name}'s state differs from client 0's: ${stateVectorDiff(Y.encodeStateVector(doc), Y.encodeStateVector(reference.ydoc)) || 'same structs, other deletions'}`,
      );
    }
    const fragment = doc.getXmlFragment('default');
    if (fragment.toString() !== reference.fragment.toString())
      problems.push(`${name}'s text differs from client 0's:\n${textDiff(reference.fragment, fragment)}`);
  };
  for (const c of clients) {
    if (!c.provider.synced) problems.push(`client ${c.index} is not synced (connected: ${c.provider.wsconnected})`);
    if (c === reference && (c.ydoc.store.pendingStructs || c.ydoc.store.pendingDs))
      problems.push('client 0 holds updates it cannot apply yet (missing dependencies)');
    if (c !== reference) compare(`client ${c.index}`, c.ydoc);
  }
  if (!live) problems.push('the server has not loaded the document');
  else {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, live);
    compare('the server', doc);
    doc.destroy();
  }
  return problems;
}

function stateVectorDiff(a: Uint8Array, b: Uint8Array): string {
  const va = Y.decodeStateVector(a);
  const vb = Y.decodeStateVector(b);
  return [...new Set([...va.keys(), ...vb.keys()])]
    .filter((k) => va.get(k) !== vb.get(k))
    .map((k) => `${k}: ${va.get(k) ?? 0} vs ${vb.get(k) ?? 0}`)
    .join(', ');
}

function textDiff(expected: Y.XmlFragment, actual: Y.XmlFragment): string {
  return diffLines(fragmentText(expected), fragmentText(actual))
    .filter((part) => part.added || part.removed)
    .slice(0, 20)
    .map((part) => `${part.added ? '+' : '-'} ${JSON.stringify(part.value)}`)
    .join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Set-up

/** Eight editors of one blank document, with session cookies minted as next-auth does at sign-in. */
async function seedDocument(
  target: DatabaseTarget,
  secret: string,
): Promise<{ documentId: string; cookies: string[] }> {
  const handle = await openDatabase(target);
  try {
    const run = randomBytes(3).toString('hex');
    // Side by side: the password hashing (scrypt) dominates, and runs on libuv's thread pool.
    const users = await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) =>
        createUser(handle.db, { email: `chaos.${run}.${i}@example.nl`, name: `Schrijver ${i}`, password: PASSWORD }),
      ),
    );
    const doc = await createDocument(handle.db, users[0]!.id, { title: 'Chaos', template: 'blank' });
    for (const user of users.slice(1))
      await addMember(handle.db, users[0]!.id, doc.id, { email: user.email, role: 'editor' });
    const cookies = await Promise.all(users.map((u) => sessionCookie(handle.db, secret, u)));
    return { documentId: doc.id, cookies };
  } finally {
    await handle.close();
  }
}

/**
 * next-auth's credentials sign-in: the default token, passed through our `jwt` callback (so any claim it adds is
 * there), encoded with the configured session lifetime.
 */
async function sessionCookie(db: Database, secret: string, user: PublicUser): Promise<string> {
  const options = createAuthOptions(db, secret);
  type JwtParams = Parameters<NonNullable<NonNullable<typeof options.callbacks>['jwt']>>[0];
  const params = {
    token: { name: user.name, email: user.email, picture: undefined, sub: user.id },
    user: { id: user.id, name: user.name, email: user.email },
    account: { provider: 'credentials', type: 'credentials', providerAccountId: user.id },
    trigger: 'signIn',
    isNewUser: false,
  } as JwtParams;
  const token = (await options.callbacks?.jwt?.(params)) ?? params.token;
  const jwt = await (options.jwt?.encode ?? encode)({
    token,
    secret,
    maxAge: options.session?.maxAge ?? 30 * 24 * 60 * 60,
  });
  return `next-auth.session-token=${jwt}`;
}

function startClient(
  index: number,
  clientID: number,
  proxy: ChaosClient['proxy'],
  documentId: string,
  cookie: string,
): ChaosClient {
  const ydoc = new Y.Doc();
  ydoc.clientID = clientID; // seeded, so a replay resolves concurrent inserts in the same order
  class CookieWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie } });
    }
  }
  const provider = new WebsocketProvider(wsBase(`http://127.0.0.1:${proxy.port}`), documentId, ydoc, {
    WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 250,
  });
  return { index, ydoc, fragment: ydoc.getXmlFragment('default'), provider, proxy, offline: false, partitioned: false };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
