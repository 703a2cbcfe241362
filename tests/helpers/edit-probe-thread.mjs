// An edit probe in a thread of its own (see edit-probe.ts): a writer and a reader, stock y-websocket providers on
// one document; the writer appends a paragraph "probe-N" every `intervalMs`, the reader notes when each arrives.
// Its event loop is not the server's, so when the server's loop stalls, the probe's clock keeps running and the
// stall shows in the round trip. Plain JavaScript: every runner (tsx, vitest) can start it.
//
// workerData: {serverUrl, documentId, cookie, intervalMs}
// Messages out: {ready: true} once both are synced; {sent, latencies} after a 'stop' message in.
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

const { serverUrl, documentId, cookie, intervalMs } = workerData;

class CookieWebSocket extends WebSocket {
  constructor(url, protocols) {
    super(url, protocols, { headers: { cookie } });
  }
}

function client() {
  const ydoc = new Y.Doc();
  const provider = new WebsocketProvider(serverUrl, documentId, ydoc, {
    WebSocketPolyfill: CookieWebSocket,
    disableBc: true,
    maxBackoffTime: 300,
  });
  const synced = new Promise((resolve) => provider.on('sync', (isSynced) => isSynced && resolve()));
  return { ydoc, provider, fragment: ydoc.getXmlFragment('default'), synced };
}

const writer = client();
const reader = client();
await Promise.all([writer.synced, reader.synced]);

const sentAt = new Map();
const latencies = [];
let seen = reader.fragment.length;
reader.ydoc.on('update', () => {
  const now = performance.now();
  const items = reader.fragment.toArray();
  for (; seen < items.length; seen++) {
    const n = /probe-(\d+)/.exec(items[seen].toString())?.[1];
    if (n && sentAt.has(Number(n))) latencies.push(now - sentAt.get(Number(n)));
  }
});

let sent = 0;
const timer = setInterval(() => {
  const n = ++sent;
  sentAt.set(n, performance.now());
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(`probe-${n}`)]);
  writer.fragment.push([p]);
}, intervalMs);

parentPort.on('message', async (msg) => {
  if (msg !== 'stop') return;
  clearInterval(timer);
  // Edits still in flight get a grace period; what has not arrived by then counts as lost.
  const deadline = performance.now() + 10_000;
  while (latencies.length < sent && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  writer.provider.destroy();
  reader.provider.destroy();
  parentPort.postMessage({ sent, latencies });
});
parentPort.postMessage({ ready: true });
