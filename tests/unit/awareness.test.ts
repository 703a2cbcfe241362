import * as Y from 'yjs';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as decoding from 'lib0/decoding';
import { describe, expect, it } from 'vitest';
import { colorFor, sanitizeAwarenessUpdate } from '../../server/collab/awareness';

const me = { id: 'u-1', name: 'Daan Visser', organisation: 'Gemeente Enschede', color: colorFor('u-1') };

function updateFrom(clientId: number, state: Record<string, unknown>) {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  const awareness = new Awareness(doc);
  awareness.setLocalState(state);
  return encodeAwarenessUpdate(awareness, [clientId]);
}

function statesOf(update: Uint8Array) {
  const d = decoding.createDecoder(update);
  const n = decoding.readVarUint(d);
  return Array.from({ length: n }, () => ({
    clientId: decoding.readVarUint(d),
    clock: decoding.readVarUint(d),
    state: JSON.parse(decoding.readVarString(d)),
  }));
}

describe('sanitizeAwarenessUpdate', () => {
  it('replaces the user a client claims with the one the server knows, keeping the caret', () => {
    const raw = updateFrom(7, { user: { name: 'De Voorzitter', color: '#000' }, cursor: { anchor: 1 } });
    const { update, clientIds } = sanitizeAwarenessUpdate(raw, me, () => true, 16_384);
    expect(clientIds).toEqual([7]);
    expect(statesOf(update)[0]!.state).toEqual({
      user: { id: 'u-1', name: 'Daan Visser', organisation: 'Gemeente Enschede', color: me.color },
      cursor: { anchor: 1 },
    });
  });

  it('drops states for client ids that belong to another connection', () => {
    const { clientIds } = sanitizeAwarenessUpdate(updateFrom(9, { user: {} }), me, (id) => id !== 9, 16_384);
    expect(clientIds).toEqual([]);
  });

  it('throws on an oversize state or a state that is not an object', () => {
    expect(() => sanitizeAwarenessUpdate(updateFrom(1, { blob: 'x'.repeat(20_000) }), me, () => true, 16_384)).toThrow(
      /bytes/,
    );
    expect(() => sanitizeAwarenessUpdate(new Uint8Array([1, 1, 1, 3, 49, 50, 51]), me, () => true, 16_384)).toThrow(
      /not an object/,
    );
  });

  it('gives a person the same colour every time', () => {
    expect(colorFor('abc')).toBe(colorFor('abc'));
    expect(colorFor('abc')).toMatch(/^#[0-9a-f]{6}$/);
  });
});
