/**
 * The load generator: many stock `y-websocket` providers in one process (so writers and receivers share one clock),
 * separate from the server under test. Latency is measured per edit: the writer notes its Yjs clock after the edit
 * and the time before it; a receiver has the edit once its state vector reaches that clock, and the difference of
 * the two `performance.now()` readings is the edit-to-remote latency (client apply time included, as a person sees it).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { serve } from './lib/child';
import { summarize } from './lib/stats';
import { contentFragmentName } from '../common/schema/fragment';

interface Client {
  index: number;
  group: Group;
  ydoc: Y.Doc;
  provider: WebsocketProvider;
  /** Writer id → index of the next of its edits this client has not seen yet. */
  seen: Map<number, number>;
  text?: Y.XmlText;
  edits: number;
  reconnects: number;
  dead?: boolean;
}

interface Group {
  doc: string;
  clients: Client[];
  /** Writer (Yjs client id) → its edits: clock after the edit, and the time before it. */
  edits: Map<number, { clocks: number[]; times: number[] }>;
  /** Light clients of this document that measure what they receive (see `createLight`). */
  measuring: number;
}

// Every stock provider adds a process 'exit' listener in Node.
process.setMaxListeners(0);
const clients: Client[] = [];
/** The generator's own event-loop delay: when it is high, the clients (not the server) are the bottleneck. */
const eld = monitorEventLoopDelay({ resolution: 5 });
eld.enable();
const live = () => clients.filter((c) => !c.dead);
const groups = new Map<string, Group>();
const recording = { on: false, latencies: [] as number[], expected: 0, delivered: 0 };

function resetRecording(on: boolean) {
  recording.on = on;
  recording.latencies = [];
  recording.expected = 0;
  recording.delivered = 0;
  for (const g of groups.values()) g.edits.clear();
  for (const c of clients) c.seen.clear();
  for (const l of lights) l.seen.clear();
}

function cookieSocket(cookie: string | undefined) {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, cookie ? { headers: { cookie } } : {});
    }
  };
}

function createClient(
  url: string,
  doc: string,
  cookie: string | undefined,
  maxBackoffTime: number,
  preload?: Uint8Array,
): Client {
  const ydoc = new Y.Doc();
  if (preload) Y.applyUpdate(ydoc, preload);
  const provider = new WebsocketProvider(url, doc, ydoc, {
    WebSocketPolyfill: cookieSocket(cookie) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime,
  });
  let group = groups.get(doc);
  if (!group) groups.set(doc, (group = { doc, clients: [], edits: new Map(), measuring: 0 }));
  const client: Client = { index: clients.length, group, ydoc, provider, seen: new Map(), edits: 0, reconnects: 0 };
  provider.on('status', ({ status }: { status: string }) => {
    if (status === 'disconnected') client.reconnects++;
  });
  ydoc.on('update', (update: Uint8Array, origin: unknown) => {
    if (!recording.on || origin !== provider) return;
    const now = performance.now();
    const meta = Y.parseUpdateMeta(update);
    for (const writer of meta.to.keys()) {
      const w = client.group.edits.get(writer);
      if (!w) continue;
      const state = Y.getState(ydoc.store, writer);
      let i = client.seen.get(writer) ?? 0;
      while (i < w.clocks.length && w.clocks[i]! <= state) {
        recording.latencies.push(now - w.times[i]!);
        recording.delivered++;
        i++;
      }
      client.seen.set(writer, i);
    }
  });
  group.clients.push(client);
  clients.push(client);
  return client;
}

/** One small edit, as typing makes it: a paragraph of its own first, then two characters at its end. */
function edit(c: Client, awareness: boolean) {
  const started = performance.now();
  const fragment = c.ydoc.getXmlFragment(contentFragmentName);
  if (!c.text || c.text.doc === null) {
    const p = new Y.XmlElement('paragraph');
    c.text = new Y.XmlText(`Schrijver ${c.index}: `);
    p.insert(0, [c.text]);
    fragment.push([p]);
  } else {
    c.text.insert(c.text.length, c.edits % 5 === 4 ? ' ' : 'ab'.slice(0, 1 + (c.edits % 2)));
  }
  c.edits++;
  if (recording.on) {
    const id = c.ydoc.clientID;
    let w = c.group.edits.get(id);
    if (!w) c.group.edits.set(id, (w = { clocks: [], times: [] }));
    w.clocks.push(Y.getState(c.ydoc.store, id));
    w.times.push(started);
    recording.expected += c.group.clients.length - 1 + c.group.measuring;
  }
  if (awareness) {
    const pos = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(c.text!, c.text!.length));
    c.provider.awareness.setLocalStateField('cursor', { anchor: pos, head: pos });
  }
}

const vocabulary = (
  'de het een van en in op voor met gemeente regio veiligheid bestuur voorstel besluit burgemeester coalitieakkoord ' +
  'brandweer crisisbeheersing risico inwoners samenwerking Twente gezamenlijk beleid financiering begroting ' +
  'uitvoering ontwikkeling wettelijke taken zorg ambulance meldkamer oefening paraatheid klimaat water energie ' +
  'verkiezingen raadsleden wethouders algemeen dagelijks vergadering kaders ambities opgaven netwerk partners'
).split(' ');

/**
 * A light client: a raw WebSocket that types like a person (its own Y.Doc makes real updates, its caret is a real
 * awareness state) but does not decode what it receives. The server cannot tell it from a stock provider and sends
 * it everything; it lets one load-generator process drive hundreds of typists on two cores, while the latency is
 * measured at the stock providers beside them.
 * A *measuring* light client also records edit-to-remote latency, at the moment the server's frame arrives (it reads
 * the update's writer clocks with `Y.parseUpdateMeta`, never applies it): the server's share of the latency without
 * the cost of a hundred providers applying every update in one process, which is what a busy generator adds.
 */
interface LightClient {
  index: number;
  group: Group;
  ws: WebSocket;
  ydoc: Y.Doc;
  text?: Y.XmlText;
  edits: number;
  awarenessClock: number;
  open: boolean;
  measure: boolean;
  /** Writer id → index of its next edit not yet received (measuring clients only). */
  seen: Map<number, number>;
}
const lights: LightClient[] = [];

function varUint(out: number[], n: number) {
  while (n > 0x7f) {
    out.push(0x80 | (n & 0x7f));
    n = Math.floor(n / 128);
  }
  out.push(n);
}
function frame(type: number, step: number | undefined, payload: Uint8Array): Uint8Array {
  const head: number[] = [];
  varUint(head, type);
  if (step !== undefined) varUint(head, step);
  varUint(head, payload.byteLength);
  const out = new Uint8Array(head.length + payload.byteLength);
  out.set(head);
  out.set(payload, head.length);
  return out;
}

/** A measuring light client's view of a frame: a sync message (type 0) carrying an update (sync message 2, y-protocols messageYjsUpdate) is matched to the writers' edits. */
function receiveLight(l: LightClient, data: Uint8Array) {
  if (!recording.on || data[0] !== 0 || data[1] !== 2) return;
  const now = performance.now();
  let offset = 2;
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    const b = data[offset++]!;
    length += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
  }
  const meta = Y.parseUpdateMeta(data.subarray(offset, offset + length));
  for (const [writer, clock] of meta.to) {
    const w = l.group.edits.get(writer);
    if (!w) continue;
    let i = l.seen.get(writer) ?? 0;
    while (i < w.clocks.length && w.clocks[i]! <= clock) {
      recording.latencies.push(now - w.times[i]!);
      recording.delivered++;
      i++;
    }
    l.seen.set(writer, i);
  }
}

function createLight(url: string, doc: string, cookie: string | undefined, measure = false): LightClient {
  let group = groups.get(doc);
  if (!group) groups.set(doc, (group = { doc, clients: [], edits: new Map(), measuring: 0 }));
  const ws = new WebSocket(`${url}/${doc}`, cookie ? { headers: { cookie } } : {});
  const ydoc = new Y.Doc();
  const light: LightClient = {
    index: lights.length,
    group,
    ws,
    ydoc,
    edits: 0,
    awarenessClock: 0,
    open: false,
    measure,
    seen: new Map(),
  };
  if (measure) {
    group.measuring++;
    ws.on('message', (data: Buffer) => receiveLight(light, data));
  }
  ws.on('open', () => (light.open = true));
  ws.on('close', () => (light.open = false));
  ws.on('error', () => {});
  ydoc.on('update', (u: Uint8Array) => light.open && ws.send(frame(0, 2, u)));
  lights.push(light);
  return light;
}

function editLight(l: LightClient, awareness: boolean) {
  const started = performance.now();
  if (!l.text) {
    const p = new Y.XmlElement('paragraph');
    l.text = new Y.XmlText(`Typist ${l.index}: `);
    p.insert(0, [l.text]);
    l.ydoc.getXmlFragment(contentFragmentName).push([p]);
  } else l.text.insert(l.text.length, l.edits % 5 === 4 ? ' ' : 'ab'.slice(0, 1 + (l.edits % 2)));
  l.edits++;
  if (recording.on) {
    const id = l.ydoc.clientID;
    let w = l.group.edits.get(id);
    if (!w) l.group.edits.set(id, (w = { clocks: [], times: [] }));
    w.clocks.push(Y.getState(l.ydoc.store, id));
    w.times.push(started);
    // Every measuring receiver counts, connected or not: one that lost its connection and missed the edit is a loss.
    recording.expected += l.group.clients.length + l.group.measuring - (l.measure ? 1 : 0);
  }
  if (awareness && l.open) {
    const pos = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(l.text!, l.text!.length));
    const state = new TextEncoder().encode(
      JSON.stringify({ user: { name: `Typist ${l.index}`, color: '#1a7f37' }, cursor: { anchor: pos, head: pos } }),
    );
    const body: number[] = [];
    varUint(body, 1);
    varUint(body, l.ydoc.clientID);
    varUint(body, ++l.awarenessClock);
    varUint(body, state.byteLength);
    const update = new Uint8Array(body.length + state.byteLength);
    update.set(body);
    update.set(state, body.length);
    l.ws.send(frame(1, undefined, update));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntil(cond: () => boolean, timeoutMs: number, stepMs = 5): Promise<boolean> {
  const end = performance.now() + timeoutMs;
  while (performance.now() < end) {
    if (cond()) return true;
    await sleep(stepMs);
  }
  return cond();
}

function result(extra: Record<string, unknown> = {}) {
  const s = summarize(recording.latencies);
  return {
    ...s,
    expected: recording.expected,
    delivered: recording.delivered,
    fraction: recording.expected ? recording.delivered / recording.expected : NaN,
    ...extra,
  };
}

serve(
  {
    /** Connects clients (bounded concurrency) and waits until every one has synced. */
    connect: async (a: {
      url: string;
      clients: { doc: string; cookie?: string }[];
      concurrency?: number;
      maxBackoffTime?: number;
      timeoutMs?: number;
      preload?: Uint8Array;
      name?: boolean;
    }) => {
      const started = performance.now();
      const made: Client[] = [];
      const step = a.concurrency ?? 50;
      for (let i = 0; i < a.clients.length; i += step) {
        const batch = a.clients
          .slice(i, i + step)
          .map((c) => createClient(a.url, c.doc, c.cookie, a.maxBackoffTime ?? 2500, a.preload));
        made.push(...batch);
        for (const c of batch)
          c.provider.awareness.setLocalStateField('user', { name: `Schrijver ${c.index}`, color: '#1f6feb' });
        await waitUntil(() => batch.every((c) => c.provider.synced), a.timeoutMs ?? 60_000);
      }
      const ok = await waitUntil(() => made.every((c) => c.provider.synced), a.timeoutMs ?? 60_000);
      return {
        ms: performance.now() - started,
        synced: made.filter((c) => c.provider.synced).length,
        total: made.length,
        ok,
        first: made[0]?.index ?? 0,
      };
    },
    /** Connects light clients (see LightClient) and waits until all are open. */
    connectLight: async (a: {
      url: string;
      clients: { doc: string; cookie?: string }[];
      timeoutMs?: number;
      measure?: boolean;
    }) => {
      const started = performance.now();
      const made = a.clients.map((c) => createLight(a.url, c.doc, c.cookie, a.measure));
      const ok = await waitUntil(() => made.every((l) => l.open), a.timeoutMs ?? 60_000);
      return { ok, ms: performance.now() - started, open: made.filter((l) => l.open).length };
    },
    /** One writer, the rest of its document receive: `edits` edits `intervalMs` apart. */
    burst: async (a: { writer: number; edits: number; intervalMs: number; graceMs: number }) => {
      const w = clients[a.writer]!;
      resetRecording(true);
      for (let i = 0; i < a.edits; i++) {
        edit(w, false);
        await sleep(a.intervalMs);
      }
      await waitUntil(() => recording.delivered >= recording.expected, a.graceMs, 2);
      const out = result();
      resetRecording(false);
      return out;
    },
    /** Everyone (or the listed clients) types `rate` edits a second, each with a caret move, for `durationMs`. */
    typing: async (a: {
      rate: number;
      durationMs: number;
      graceMs: number;
      awareness: boolean;
      writers?: number[];
    }) => {
      const writers: (Client | LightClient)[] = a.writers
        ? a.writers.map((i) => clients[i]!)
        : [...live(), ...lights.filter((l) => l.open)];
      const period = 1000 / a.rate;
      const next = writers.map(() => performance.now() + Math.random() * period);
      resetRecording(true);
      eld.reset();
      const started = performance.now();
      const end = started + a.durationMs;
      let lateTicks = 0;
      while (performance.now() < end) {
        const now = performance.now();
        for (let i = 0; i < writers.length; i++) {
          if (next[i]! <= now) {
            const w = writers[i]!;
            if ('provider' in w) edit(w, a.awareness);
            else editLight(w, a.awareness);
            next[i]! += period;
            if (next[i]! < now - period) ((next[i] = now + period), lateTicks++); // the generator itself fell behind
          }
        }
        await sleep(2);
      }
      const sentEdits = writers.reduce((n, c) => n + c.edits, 0);
      await waitUntil(() => recording.delivered >= recording.expected, a.graceMs, 5);
      const out = result({
        sentEdits,
        reconnects: clients.reduce((n, c) => n + c.reconnects, 0),
        generatorLate: lateTicks,
        clientLoopP99: eld.percentile(99) / 1e6,
        seconds: (performance.now() - started) / 1000,
      });
      resetRecording(false);
      return out;
    },
    /** Applies `update` through client `index`'s document (it reaches the server as one update message). */
    push: async (a: { index: number; updates: Uint8Array[]; pauseEveryMs?: number; timeoutMs?: number }) => {
      const c = clients[a.index]!;
      const started = performance.now();
      for (let i = 0; i < a.updates.length; i++) {
        Y.applyUpdate(c.ydoc, a.updates[i]!, 'bench');
        // Yield to the socket now and then, so the updates leave as separate messages rather than one burst.
        if (a.pauseEveryMs && i % a.pauseEveryMs === a.pauseEveryMs - 1) await sleep(1);
        const ws = c.provider.ws as unknown as { bufferedAmount?: number } | null;
        if (ws?.bufferedAmount && ws.bufferedAmount > 4 * 1024 * 1024)
          await waitUntil(() => (ws.bufferedAmount ?? 0) < 1024 * 1024, a.timeoutMs ?? 60_000, 2);
      }
      return { ms: performance.now() - started };
    },
    stateOf: (index: number) => Y.encodeStateAsUpdate(clients[index]!.ydoc),
    /**
     * Writes a long voorstel into client `index`'s document by many small edits, as a team would over weeks:
     * every paragraph in two steps (start it, then finish it), a heading every 30 paragraphs. Returns every update
     * it sent (to rebuild the same document as an uncompacted log).
     */
    build: async (a: { index: number; paragraphs: number; wordsPerParagraph: number; yieldEvery: number }) => {
      const c = clients[a.index]!;
      const updates: Uint8Array[] = [];
      const record = (u: Uint8Array, origin: unknown) => origin !== c.provider && updates.push(u);
      c.ydoc.on('update', record);
      const started = performance.now();
      const fragment = c.ydoc.getXmlFragment(contentFragmentName);
      let seed = 7;
      const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
      const sentence = (n: number) =>
        Array.from({ length: n }, () => vocabulary[Math.floor(rnd() * vocabulary.length)]).join(' ');
      let words = 0;
      for (let i = 0; i < a.paragraphs; i++) {
        if (i % 30 === 0) {
          const h = new Y.XmlElement('heading');
          h.setAttribute('level', 2 as unknown as string);
          h.insert(0, [new Y.XmlText(`${Math.floor(i / 30) + 1}. ${sentence(4)}`)]);
          fragment.push([h]);
        }
        const half = Math.floor(a.wordsPerParagraph / 2);
        const p = new Y.XmlElement('paragraph');
        const t = new Y.XmlText(sentence(half) + ' ');
        p.insert(0, [t]);
        fragment.push([p]);
        t.insert(t.length, sentence(a.wordsPerParagraph - half) + '.');
        words += a.wordsPerParagraph;
        if (i % a.yieldEvery === a.yieldEvery - 1) {
          const ws = c.provider.ws as unknown as { bufferedAmount?: number } | null;
          await waitUntil(() => (ws?.bufferedAmount ?? 0) < 256 * 1024, 30_000, 1);
          await sleep(1);
        }
      }
      c.ydoc.off('update', record);
      return { ms: performance.now() - started, updates, words, bytes: Y.encodeStateAsUpdate(c.ydoc).byteLength };
    },
    /**
     * A generated editing trace of the size of the public LaTeX-paper trace (182,315 insertions and 77,463
     * deletions of single characters in one text): mostly typing at a cursor, with jumps and backspace runs.
     * `batch` operations make one update (one transaction), as an editor groups keystrokes between frames.
     * Returns the updates and the time it took to make them locally (the CRDT floor).
     */
    trace: (a: { inserts: number; deletes: number; batch: number }) => {
      const doc = new Y.Doc();
      const updates: Uint8Array[] = [];
      doc.on('update', (u: Uint8Array) => updates.push(u));
      const p = new Y.XmlElement('paragraph');
      const text = new Y.XmlText();
      p.insert(0, [text]);
      doc.getXmlFragment(contentFragmentName).push([p]);
      let seed = 42;
      const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
      const letters = 'eeeeeeetttttaaaaooooiiiinnnnsssshhhrrrdllcumwfgypbvk   ..,\n';
      let inserts = a.inserts;
      let deletes = a.deletes;
      let cursor = 0;
      let length = 0;
      const started = performance.now();
      while (inserts + deletes > 0) {
        doc.transact(() => {
          for (let k = 0; k < a.batch && inserts + deletes > 0; k++) {
            if (rnd() < 0.02) cursor = Math.floor(rnd() * (length + 1)); // jump elsewhere
            const wantDelete = deletes > 0 && length > 0 && (inserts === 0 || rnd() < deletes / (inserts + deletes));
            if (wantDelete && cursor > 0) {
              text.delete(cursor - 1, 1);
              cursor--;
              length--;
              deletes--;
            } else if (inserts > 0) {
              text.insert(cursor, letters[Math.floor(rnd() * letters.length)]!);
              cursor++;
              length++;
              inserts--;
            } else cursor = length; // only deletions left and the cursor at 0
          }
        });
      }
      const floorMs = performance.now() - started;
      // The remote side of the floor: applying every update to an empty document.
      const replay = new Y.Doc();
      const t0 = performance.now();
      for (const u of updates) Y.applyUpdate(replay, u);
      const applyMs = performance.now() - t0;
      const state = Y.encodeStateAsUpdate(replay);
      const loadStarted = performance.now();
      Y.applyUpdate(new Y.Doc(), state);
      const loadMs = performance.now() - loadStarted;
      return {
        updates,
        floorMs,
        applyMs,
        loadMs,
        stateBytes: state.byteLength,
        length: text.length,
        clientId: doc.clientID,
        clock: Y.getState(doc.store, doc.clientID),
      };
    },
    /** Waits until every listed client's document holds `stateVector`'s content (bounded). */
    waitConverged: async (a: { indexes: number[]; target: number; clientId: number; timeoutMs: number }) => {
      const started = performance.now();
      const ok = await waitUntil(
        () => a.indexes.every((i) => Y.getState(clients[i]!.ydoc.store, a.clientId) >= a.target),
        a.timeoutMs,
        5,
      );
      return { ok, ms: performance.now() - started };
    },
    clock: (index: number) => ({
      clientId: clients[index]!.ydoc.clientID,
      clock: Y.getState(clients[index]!.ydoc.store, clients[index]!.ydoc.clientID),
    }),
    /** Time from now until every client is connected and synced again (after a server restart). */
    waitAllSynced: async (a: { timeoutMs: number; since?: number }) => {
      const all = live();
      const ok = await waitUntil(() => all.every((c) => c.provider.synced && c.provider.wsconnected), a.timeoutMs, 5);
      return { ok, at: performance.now(), synced: all.filter((c) => c.provider.synced).length, total: all.length };
    },
    waitAllDisconnected: async (a: { timeoutMs: number }) => {
      const ok = await waitUntil(() => live().every((c) => !c.provider.wsconnected), a.timeoutMs, 2);
      return { ok, at: performance.now() };
    },
    now: () => performance.now(),
    reconnects: () => clients.reduce((n, c) => n + c.reconnects, 0),
    /** One cold open, measured twice: raw (time until the server's sync step 2 arrives) and with a stock provider. */
    open: async (a: { url: string; doc: string; cookie?: string; timeoutMs: number }) => {
      const started = performance.now();
      const c = createClient(a.url, a.doc, a.cookie, 2500);
      const ok = await waitUntil(() => c.provider.synced, a.timeoutMs, 1);
      const ms = performance.now() - started;
      const bytes = Y.encodeStateAsUpdate(c.ydoc).byteLength;
      return { ok, ms, bytes, index: c.index };
    },
    destroy: async (a: { indexes?: number[] } = {}) => {
      const victims = a.indexes ? a.indexes.map((i) => clients[i]!) : live();
      for (const c of victims) {
        if (c.dead) continue;
        c.dead = true;
        c.provider.destroy();
        c.ydoc.destroy();
        const g = c.group;
        g.clients = g.clients.filter((x) => x !== c);
        if (!g.clients.length) groups.delete(g.doc);
      }
      if (!a.indexes) {
        for (const l of lights) (l.ws.terminate(), l.ydoc.destroy());
        lights.length = 0;
        for (const g of groups.values()) g.measuring = 0;
      }
      await sleep(50);
      return { remaining: live().length };
    },
    /** A cold open on the wire: time from the upgrade request until the server's sync step 2 (the whole document) arrives. */
    openRaw: (a: { url: string; doc: string; cookie?: string; timeoutMs: number }) => openRaw(a),
    memory: () => process.memoryUsage(),
  },
  () => {
    for (const c of clients) c.provider.destroy();
  },
);

function openRaw(a: {
  url: string;
  doc: string;
  cookie?: string;
  timeoutMs: number;
}): Promise<{ ok: boolean; ms: number; bytes: number }> {
  const started = performance.now();
  const ws = new WebSocket(`${a.url}/${a.doc}`, a.cookie ? { headers: { cookie: a.cookie } } : {});
  ws.binaryType = 'nodebuffer';
  return new Promise((resolve) => {
    const done = (ok: boolean, bytes = 0) => {
      clearTimeout(timer);
      ws.terminate();
      resolve({ ok, ms: performance.now() - started, bytes });
    };
    const timer = setTimeout(() => done(false), a.timeoutMs);
    ws.on('error', () => done(false));
    // Sync step 1 with an empty state vector: "send me everything".
    ws.on('open', () => ws.send(Uint8Array.of(0, 0, 1, 0)));
    ws.on('message', (data: Buffer) => {
      if (data[0] === 0 && data[1] === 1) done(true, data.byteLength);
    });
  });
}
