import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { contentFragmentName } from '../../common/schema/fragment';
import { stukwerkClientParams } from '../../common/protocol';

export const wsBase = (httpUrl: string) => httpUrl.replace(/^http/, 'ws') + '/collab';

/**
 * The stock y-websocket provider in Node, with the session cookie on the upgrade request. With `stukwerk`, it
 * announces itself as the Stukwerk browser client does (`?client=stukwerk&v=1`), and so receives message types 100
 * (session) and 101 (comments); without, it is exactly the stock client, which the server sends none of them.
 */
export function connectProvider(
  httpUrl: string,
  documentId: string,
  cookie: string,
  options: { stukwerk?: boolean } = {},
) {
  const ydoc = new Y.Doc();
  /** The message type of every frame received, whether or not the provider could handle it. */
  const receivedTypes: number[] = [];
  class CookieWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie } });
      this.on('message', (data: Buffer | ArrayBuffer) =>
        receivedTypes.push(decoding.readVarUint(decoding.createDecoder(new Uint8Array(data)))),
      );
    }
  }
  const provider = new WebsocketProvider(wsBase(httpUrl), documentId, ydoc, {
    WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 300,
    params: options.stukwerk ? { ...stukwerkClientParams } : {},
  });
  const fragment = ydoc.getXmlFragment(contentFragmentName);
  return {
    ydoc,
    provider,
    fragment,
    receivedTypes,
    text: () => fragmentText(fragment),
    /** Appends a paragraph, as a person pressing Enter and typing would. */
    addParagraph(text: string) {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText(text)]);
      fragment.push([p]);
    },
    destroy() {
      provider.destroy();
      ydoc.destroy();
    },
  };
}

export function fragmentText(fragment: Y.XmlFragment): string {
  const out: string[] = [];
  const walk = (node: Y.XmlElement | Y.XmlFragment | Y.XmlText) => {
    if (node instanceof Y.XmlText) out.push(node.toString().replace(/<[^>]+>/g, ''));
    else node.toArray().forEach((c) => walk(c as Y.XmlElement));
    if (node instanceof Y.XmlElement) out.push('\n');
  };
  walk(fragment);
  return out.join('');
}

/** A raw WebSocket speaking the protocol by hand: for frames no honest client would send. */
export function rawClient(httpUrl: string, documentId: string, cookie?: string) {
  const ws = new WebSocket(`${wsBase(httpUrl)}/${documentId}`, { headers: cookie ? { cookie } : {} });
  ws.binaryType = 'nodebuffer';
  const received: Uint8Array[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const unexpected = new Promise<number>((resolve) =>
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
  );
  ws.on('error', () => {});
  ws.on('message', (data: Buffer) => received.push(new Uint8Array(data)));
  const opened = new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve());
    ws.on('close', () => reject(new Error('closed before open')));
    ws.on('unexpected-response', () => reject(new Error('refused at upgrade')));
  });
  opened.catch(() => {});
  return { ws, received, closed, unexpected, opened, send: (bytes: Uint8Array) => ws.send(bytes) };
}

export function syncFrame(step: 0 | 1 | 2, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, step);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

/** An update that appends a paragraph with `text`, made on a copy of `base`. */
export function paragraphUpdate(base: Y.Doc, text: string): Uint8Array {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(base));
  const before = Y.encodeStateVector(copy);
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  copy.getXmlFragment(contentFragmentName).push([p]);
  return Y.encodeStateAsUpdate(copy, before);
}

export function messageTypes(frames: Uint8Array[]): number[] {
  return frames.map((f) => decoding.readVarUint(decoding.createDecoder(f)));
}
