import * as decoding from 'lib0/decoding';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { applyEvent, type Threads } from '../../components/comments/thread-state';
import type { CommentEvent, Thread } from '../../components/comments/types';

/** Plain text of an XmlText (its toString() carries formatting as tags). */
export const plain = (t: Y.XmlText) =>
  t
    .toDelta()
    .map((d: { insert: unknown }) => (typeof d.insert === 'string' ? d.insert : ' '))
    .join('');

export function textContaining(fragment: Y.XmlFragment, phrase: string): Y.XmlText {
  const found: Y.XmlText[] = [];
  const walk = (node: Y.XmlFragment | Y.XmlElement) =>
    node
      .toArray()
      .forEach((c) =>
        c instanceof Y.XmlText ? plain(c).includes(phrase) && found.push(c) : c instanceof Y.XmlElement && walk(c),
      );
  walk(fragment);
  if (!found[0]) throw new Error(`"${phrase}" is not in the document`);
  return found[0];
}

const b64 = (rpos: Y.RelativePosition) => Buffer.from(Y.encodeRelativePosition(rpos)).toString('base64');

/** The anchor a client would send for a selection of `phrase`, as relative positions (base64). */
export function anchorFor(fragment: Y.XmlFragment, phrase: string) {
  const t = textContaining(fragment, phrase);
  const at = plain(t).indexOf(phrase);
  return {
    start: b64(Y.createRelativePositionFromTypeIndex(t, at)),
    end: b64(Y.createRelativePositionFromTypeIndex(t, at + phrase.length)),
  };
}

/** The text an anchor covers in this client's copy of the document ('' when it collapsed), resolved independently of the server. */
export function anchoredText(ydoc: Y.Doc, anchor: { start: string; end: string }): string {
  const abs = (s: string) =>
    Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(Buffer.from(s, 'base64')), ydoc);
  const s = abs(anchor.start);
  const e = abs(anchor.end);
  if (!s || !e || s.type !== e.type || !(s.type instanceof Y.XmlText))
    throw new Error('anchor spans several texts or does not resolve');
  return plain(s.type).slice(s.index, e.index);
}

export interface ReceivedEvent {
  type: CommentEvent['type'];
  /** The thread as a client holds it after applying this event to the ones before (events carry only the change). */
  thread: Thread;
  actorId: string;
  mentioned: string[];
  /** The event as it arrived. */
  event: CommentEvent;
  /** Size of the whole frame on the wire. */
  bytes: number;
  receivedAt: number;
}

/**
 * Collects Stukwerk's comment events (message type 101) that reach a stock y-websocket provider, and applies them
 * the way the browser does (components/comments/thread-state.ts), starting from no threads.
 */
export function collectCommentEvents(provider: WebsocketProvider): ReceivedEvent[] {
  const events: ReceivedEvent[] = [];
  let threads: Threads = new Map();
  provider.messageHandlers[101] = (_encoder, decoder) => {
    const receivedAt = performance.now();
    const event = JSON.parse(decoding.readVarString(decoder)) as CommentEvent;
    threads = applyEvent(threads, event);
    const threadId = event.type === 'thread.created' ? event.thread.id : event.threadId;
    const thread = threads.get(threadId);
    if (!thread) throw new Error(`a ${event.type} event for thread ${threadId}, which was never announced`);
    events.push({
      type: event.type,
      thread,
      actorId: event.actorId,
      mentioned: event.mentioned,
      event,
      bytes: decoder.arr.byteLength,
      receivedAt,
    });
  };
  return events;
}
