import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import * as Y from 'yjs';
import type { MemberRole } from '../../db/schema';
import { ClientConnection } from './connection';
import { CollabDocument } from './document';
import { messageType, syncStep } from '../../common/protocol';
import { contentFragmentName } from '../../common/schema/fragment';

/** A socket that records what the server sends: the document is tested on its own, without a network. */
function connection(role: MemberRole, id = `user-${role}`) {
  const sent: Uint8Array[] = [];
  const ws = {
    readyState: 1,
    OPEN: 1,
    bufferedAmount: 0,
    send: (m: Uint8Array) => sent.push(m),
    close: () => {},
  } as unknown as WebSocket;
  const conn = new ClientConnection(ws, { id, name: `Naam ${role}`, organisation: null, color: '#000' }, role, 1 << 20);
  return { conn, sent };
}

function liveDocument() {
  const accepted: Uint8Array[] = [];
  const ydoc = new Y.Doc();
  const doc = new CollabDocument(
    'd',
    ydoc,
    'draft',
    { lastSeq: 0, logUpdates: 0, logBytes: 0 },
    {
      accepted: (_d, update) => accepted.push(update),
      maxAwarenessStateBytes: 4096,
      log: () => {},
    },
  );
  return { doc, accepted };
}

function updateFrame(text: string, step: number = syncStep.update) {
  const client = new Y.Doc();
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  client.getXmlFragment(contentFragmentName).push([p]);
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, messageType.sync);
  encoding.writeVarUint(e, step);
  encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(client));
  return encoding.toUint8Array(e);
}

function awarenessFrame(clientId: number, state: object) {
  const remote = new Y.Doc();
  remote.clientID = clientId;
  const awareness = new awarenessProtocol.Awareness(remote);
  awareness.setLocalState(state);
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, messageType.awareness);
  encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, [clientId]));
  return encoding.toUint8Array(e);
}

const typeOf = (frame: Uint8Array) => decoding.readVarUint(decoding.createDecoder(frame));

describe('a live document', () => {
  it('applies an editor’s update, logs it and relays it to the others, not back to its author', () => {
    const { doc, accepted } = liveDocument();
    const editor = connection('editor');
    const reader = connection('viewer');
    doc.join(editor.conn);
    doc.join(reader.conn);
    editor.sent.length = reader.sent.length = 0;
    doc.receive(editor.conn, updateFrame('hallo'));
    doc.flushBroadcast();
    expect(doc.ydoc.getXmlFragment(contentFragmentName).toString()).toContain('hallo');
    expect(accepted).toHaveLength(1);
    expect(reader.sent.map(typeOf)).toEqual([messageType.sync]);
    expect(editor.sent).toEqual([]);
    expect(doc.changedSinceVersion).toBe(true);
    expect(doc.authorsSinceVersion).toEqual(['user-editor']);
  });

  it.each(['commenter', 'viewer', 'chair'] as const)(
    'never applies or relays an update from a %s (step 2 or update)',
    (role) => {
      const { doc, accepted } = liveDocument();
      const reader = connection(role);
      const other = connection('editor');
      doc.join(reader.conn);
      doc.join(other.conn);
      other.sent.length = 0;
      doc.receive(reader.conn, updateFrame('mag niet', syncStep.step2));
      doc.receive(reader.conn, updateFrame('ook niet', syncStep.update));
      doc.flushBroadcast();
      expect(doc.ydoc.getXmlFragment(contentFragmentName).length).toBe(0);
      expect(accepted).toEqual([]);
      expect(other.sent).toEqual([]);
      expect(doc.refusedUpdates).toBe(2);
    },
  );

  it('applies and relays a commenter’s own suggestion, refuses a plain change, and keeps its copy only while they are here', () => {
    const { doc, accepted } = liveDocument();
    const editor = connection('editor');
    doc.join(editor.conn);
    doc.receive(editor.conn, updateFrame('De regio biedt een handreiking.'));
    const mayor = connection('commenter', 'mayor');
    doc.join(mayor.conn);
    editor.sent.length = 0;
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(doc.ydoc));
    const edit = (change: (t: Y.XmlText) => void) => {
      const before = Y.encodeStateVector(client);
      change((client.getXmlFragment(contentFragmentName).get(0) as Y.XmlElement).get(0) as Y.XmlText);
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, messageType.sync);
      encoding.writeVarUint(e, syncStep.update);
      encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(client, before));
      doc.receive(mayor.conn, encoding.toUint8Array(e));
      doc.flushBroadcast();
    };
    const attrs = { id: 's1', authorId: 'mayor', createdAt: '2026-11-30T10:00:00Z' };
    edit((t) => t.insert(19, 'ruime ', { suggestionInsert: attrs }));
    expect(doc.ydoc.getXmlFragment(contentFragmentName).toString()).toContain('ruime ');
    expect(accepted).toHaveLength(2);
    expect(editor.sent.map(typeOf)).toEqual([messageType.sync]);
    expect(doc.suggestions.active).toBe(true);

    edit((t) => t.insert(0, 'Zomaar '));
    expect(doc.ydoc.getXmlFragment(contentFragmentName).toString()).not.toContain('Zomaar');
    expect(accepted).toHaveLength(2);
    expect(doc.refusedUpdates).toBe(1);

    doc.leave(mayor.conn);
    expect(doc.suggestions.active).toBe(false);
  });

  it('refuses every update once signed off, also from an editor', () => {
    const { doc } = liveDocument();
    const editor = connection('editor');
    doc.join(editor.conn);
    doc.setStatus('signed_off');
    doc.receive(editor.conn, updateFrame('te laat'));
    expect(doc.ydoc.getXmlFragment(contentFragmentName).length).toBe(0);
  });

  it('gives awareness the name the server knows, and does not let one connection take over another’s client id', () => {
    const { doc } = liveDocument();
    const anne = connection('editor', 'anne');
    const mallory = connection('editor', 'mallory');
    doc.join(anne.conn);
    doc.join(mallory.conn);
    doc.receive(anne.conn, awarenessFrame(11, { user: { name: 'Anne' }, cursor: null }));
    doc.receive(mallory.conn, awarenessFrame(11, { user: { name: 'Anne (nep)' } }));
    doc.receive(mallory.conn, awarenessFrame(12, { user: { name: 'De voorzitter', id: 'anne' } }));
    const states = doc.awareness.getStates();
    expect((states.get(11) as { user: { id: string; name: string } }).user).toMatchObject({
      id: 'anne',
      name: 'Naam editor',
    });
    expect((states.get(12) as { user: { id: string } }).user.id).toBe('mallory');
    doc.leave(mallory.conn);
    expect(doc.awareness.getStates().has(12)).toBe(false);
    expect(doc.awareness.getStates().has(11)).toBe(true);
  });

  it('closes nothing but throws on a malformed frame, so only that connection is closed by its caller', () => {
    const { doc } = liveDocument();
    const editor = connection('editor');
    doc.join(editor.conn);
    expect(() => doc.receive(editor.conn, new Uint8Array([0, 2, 200]))).toThrow();
    expect(() => doc.receive(editor.conn, new Uint8Array([77]))).toThrow();
  });
});
