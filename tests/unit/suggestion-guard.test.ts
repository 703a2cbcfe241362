import fc from 'fast-check';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { contentFragmentName } from '../../common/schema/fragment';
import { acceptedJSON, suggestionsFromJSON, xmlTexts, type SuggestionJSONNode } from '../../common/suggestions';
import { SuggestionGuard } from '../../server/collab/suggestion-guard';
import { jsonFromYDoc, paragraph, schema, stateFromJSON, text, type PMNode } from '../../server/content/prosemirror';

const mayor = 'user-mayor';
const other = 'user-other';
const at = '2026-11-30T10:00:00.000Z';
const ins = (id: string, authorId = mayor) => ({ suggestionInsert: { id, authorId, createdAt: at } });
const del = (id: string, authorId = mayor) => ({ suggestionDelete: { id, authorId, createdAt: at } });

/** Two paragraphs; the second holds someone else's open replacement ("handreiking" → "aanbod"). */
const start: PMNode = {
  type: 'doc',
  content: [
    paragraph('De regio biedt een handreiking aan de gemeenten.'),
    {
      type: 'paragraph',
      content: [
        text('Wij doen een '),
        text('handreiking', [{ type: 'suggestionDelete', attrs: del('s-other', other).suggestionDelete }]),
        text('aanbod', [{ type: 'suggestionInsert', attrs: ins('s-other', other).suggestionInsert }]),
        text(' voor '),
        text('alle', [{ type: 'bold' }]),
        text(' colleges.'),
      ],
    },
  ],
};

/** The live document with its guard, and a client (the mayor's editor) that starts from the same state. */
function setup(doc: PMNode = start) {
  const live = new Y.Doc();
  Y.applyUpdate(live, stateFromJSON(doc));
  const guard = new SuggestionGuard(live);
  live.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'checked') guard.mirror(update);
  });
  const copyOfLive = () => {
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(live));
    return copy;
  };
  let client = copyOfLive();
  const texts = () => xmlTexts(client.getXmlFragment(contentFragmentName));
  /** Makes a change on the client and offers its update to the server as `userId`. */
  const offer = (change: (t: Y.XmlText[]) => void, userId = mayor) => {
    const updates: Uint8Array[] = [];
    const record = (u: Uint8Array) => updates.push(u);
    client.on('update', record);
    client.transact(() => change(texts()));
    client.off('update', record);
    const update = Y.mergeUpdates(updates);
    const verdict = guard.check(update, userId);
    if (verdict.ok) Y.applyUpdate(live, update, 'checked');
    else client = copyOfLive(); // a refused change is gone for good: the client starts again from the server's text
    return verdict;
  };
  return {
    live,
    guard,
    get client() {
      return client;
    },
    texts,
    offer,
  };
}

/** Each paragraph's characters, suggestions included (no markup). */
const liveText = (doc: Y.Doc) =>
  xmlTexts(doc.getXmlFragment(contentFragmentName)).map((t) =>
    (t.toDelta() as { insert: string }[]).map((op) => op.insert).join(''),
  );

describe('suggestion guard: refused', () => {
  it("refuses a commenter's plain insert", () => {
    const { offer, live } = setup();
    const before = liveText(live);
    expect(offer(([p]) => p!.insert(3, 'nieuwe '))).toMatchObject({ ok: false, reason: 'changes the accepted text' });
    expect(liveText(live)).toEqual(before);
  });

  it('refuses the deletion of accepted text', () => {
    const { offer } = setup();
    expect(offer(([p]) => p!.delete(0, 3)).ok).toBe(false);
  });

  it("refuses a change to someone else's suggestion (withdrawing, accepting or extending it)", () => {
    const { offer } = setup();
    // "Wij doen een " = 13 characters, then "handreiking" (other's deletion), then "aanbod" (other's insertion).
    expect(offer(([, p]) => p!.format(13, 11, { suggestionDelete: null }))).toMatchObject({ ok: false });
    expect(offer(([, p]) => p!.delete(24, 6))).toMatchObject({ reason: "changes someone else's suggestion" });
    expect(offer(([, p]) => p!.insert(26, 'xx', ins('s-other', other)))).toMatchObject({ ok: false });
    // Accepting their insertion by hand (dropping the mark) changes the accepted text.
    expect(offer(([, p]) => p!.format(24, 6, { suggestionInsert: null }))).toMatchObject({ ok: false });
  });

  it('refuses a formatting change to accepted text', () => {
    const { offer } = setup();
    expect(offer(([p]) => p!.format(0, 6, { bold: {} })).ok).toBe(false);
    expect(offer(([, p]) => p!.format(35, 4, { bold: null })).ok).toBe(false);
  });

  it('refuses a suggestion that sneaks in a change of accepted text, in the same update', () => {
    const { offer, live } = setup();
    const before = liveText(live);
    const verdict = offer(([p, q]) => {
      p!.insert(0, 'Voorstel: ', ins('s-1'));
      q!.delete(0, 4);
    });
    expect(verdict.ok).toBe(false);
    expect(liveText(live)).toEqual(before);
  });

  it('refuses a suggestion under another id owner or with malformed attributes', () => {
    const { offer } = setup();
    expect(offer(([p]) => p!.insert(0, 'x', ins('s-2', other))).ok).toBe(false);
    expect(offer(([p]) => p!.insert(0, 'x', { suggestionInsert: true })).ok).toBe(false);
    // Someone else's id with oneself as author, in the paragraph that holds their suggestion.
    expect(offer(([, p]) => p!.insert(0, 'x', ins('s-other'))).ok).toBe(false);
  });

  it('refuses a new paragraph, a deleted paragraph and a node attribute', () => {
    const s = setup();
    const fragment = () => s.client.getXmlFragment(contentFragmentName);
    expect(s.offer(() => fragment().insert(0, [new Y.XmlElement('paragraph')])).ok).toBe(false);
    expect(s.offer(() => fragment().delete(0, 1)).ok).toBe(false);
    expect(s.offer(() => (fragment().get(0) as Y.XmlElement).setAttribute('textAlign', 'right')).ok).toBe(false);
  });

  it('refuses an update that depends on changes the server does not have, and rebuilds its copy', () => {
    const { guard, live, client } = setup();
    const elsewhere = new Y.Doc();
    Y.applyUpdate(elsewhere, Y.encodeStateAsUpdate(client));
    xmlTexts(elsewhere.getXmlFragment(contentFragmentName))[0]!.insert(0, 'a', ins('s-a'));
    Y.applyUpdate(client, Y.encodeStateAsUpdate(elsewhere));
    // The client's next update follows text the server never saw: only the new part is offered.
    const sv = Y.encodeStateVector(client);
    xmlTexts(client.getXmlFragment(contentFragmentName))[0]!.insert(1, 'b', ins('s-a'));
    const update = Y.encodeStateAsUpdate(client, sv);
    const rebuilds = guard.rebuilds;
    expect(guard.check(update, mayor)).toMatchObject({ ok: false, reason: 'depends on unknown changes' });
    // The copy was built for that check and dropped after the refusal; the next check builds it again.
    // Offered whole (as a reconnecting client's sync step 2 would), the same suggestions pass on a rebuilt copy.
    expect(guard.check(Y.encodeStateAsUpdate(client), mayor)).toEqual({ ok: true });
    expect(guard.rebuilds).toBe(rebuilds + 2);
    Y.applyUpdate(live, Y.encodeStateAsUpdate(client), 'checked');
    expect(liveText(live)[0]).toBe('abDe regio biedt een handreiking aan de gemeenten.');
  });
});

describe('suggestion guard: accepted', () => {
  it('accepts a suggested insertion, its continuation and its withdrawal by the author', () => {
    const { offer, live } = setup();
    expect(offer(([p]) => p!.insert(3, 'hele ', ins('s-1')))).toEqual({ ok: true });
    expect(offer(([p]) => p!.insert(8, 'en ', ins('s-1')))).toEqual({ ok: true });
    expect(liveText(live)[0]).toContain('De hele en regio');
    expect(offer(([p]) => p!.delete(3, 8))).toEqual({ ok: true });
    expect(liveText(live)[0]).toBe('De regio biedt een handreiking aan de gemeenten.');
  });

  it('accepts a suggested deletion and a replacement, and their withdrawal', () => {
    const { offer, live } = setup();
    expect(offer(([p]) => p!.format(0, 3, del('s-1')))).toEqual({ ok: true });
    expect(
      offer(([p]) => {
        p!.format(19, 11, del('s-2'));
        p!.insert(30, 'aanbod', ins('s-2'));
      }),
    ).toEqual({ ok: true });
    const json = jsonFromYDoc(live);
    expect(suggestionsFromJSON(json).filter((s) => s.authorId === mayor)).toEqual([
      { id: 's-1', kind: 'delete', text: 'De ', authorId: mayor, createdAt: at },
      { id: 's-2', kind: 'replace', text: 'handreiking', replacement: 'aanbod', authorId: mayor, createdAt: at },
    ]);
    expect(offer(([p]) => p!.format(0, 3, { suggestionDelete: null }))).toEqual({ ok: true });
    expect(suggestionsFromJSON(jsonFromYDoc(live)).map((s) => s.id)).toEqual(['s-2', 's-other']);
  });

  it('accepts bold text typed inside an own suggestion (no accepted text changes)', () => {
    const { offer } = setup();
    expect(offer(([p]) => p!.insert(0, 'Nieuw: ', { ...ins('s-1'), bold: {} }))).toEqual({ ok: true });
  });

  it('accepts an update written by y-prosemirror from the editor state (the browser path)', () => {
    const { offer, client } = setup();
    const json = jsonFromYDoc(client);
    const first = json.content![0]!;
    first.content = [
      text('De regio biedt een '),
      text('handreiking', [{ type: 'suggestionDelete', attrs: del('s-9').suggestionDelete }]),
      text('steun', [{ type: 'suggestionInsert', attrs: ins('s-9').suggestionInsert }]),
      text(' aan de gemeenten.'),
    ];
    expect(
      offer(() => prosemirrorJSONToYXmlFragment(schema(), json, client.getXmlFragment(contentFragmentName))),
    ).toEqual({ ok: true });
  });

  it("lets Yjs' formatting cleanup by the commenter's client through (it deletes editors' redundant marks)", () => {
    const { live, client, guard } = setup();
    // Two editors bold the same words at the same time; the mayor's client receives both and, being a Yjs client,
    // deletes the now redundant formatting items in a transaction of its own, which it sends like any other.
    const editors = [0, 1].map(() => {
      const e = new Y.Doc();
      Y.applyUpdate(e, Y.encodeStateAsUpdate(live));
      xmlTexts(e.getXmlFragment(contentFragmentName))[0]!.format(0, 8, { bold: {} });
      return Y.encodeStateAsUpdate(e);
    });
    const fromClient: Uint8Array[] = [];
    client.on('update', (u: Uint8Array, origin: unknown) => origin === null && fromClient.push(u));
    for (const update of editors) {
      Y.applyUpdate(live, update, 'editor');
      Y.applyUpdate(client, update, 'editor');
    }
    expect(fromClient.length).toBeGreaterThan(0);
    for (const update of fromClient) expect(guard.check(update, mayor)).toEqual({ ok: true });
  });
});

// ---- property: the guard agrees with an independent oracle on the JSON level --------------------------------

type Op =
  | { kind: 'suggestInsert'; p: number; at: number; text: string; reuse: boolean }
  | { kind: 'suggestDelete'; p: number; at: number; len: number }
  | { kind: 'plainInsert'; p: number; at: number; text: string }
  | { kind: 'plainDelete'; p: number; at: number; len: number }
  | { kind: 'bold'; p: number; at: number; len: number }
  | { kind: 'unmark'; p: number; at: number; len: number; mark: 'suggestionInsert' | 'suggestionDelete' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('suggestInsert' as const),
    p: fc.nat(1),
    at: fc.nat(80),
    text: fc.string({ minLength: 1, maxLength: 4 }),
    reuse: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('suggestDelete' as const),
    p: fc.nat(1),
    at: fc.nat(80),
    len: fc.integer({ min: 1, max: 8 }),
  }),
  fc.record({
    kind: fc.constant('plainInsert' as const),
    p: fc.nat(1),
    at: fc.nat(80),
    text: fc.string({ minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    kind: fc.constant('plainDelete' as const),
    p: fc.nat(1),
    at: fc.nat(80),
    len: fc.integer({ min: 1, max: 8 }),
  }),
  fc.record({ kind: fc.constant('bold' as const), p: fc.nat(1), at: fc.nat(80), len: fc.integer({ min: 1, max: 8 }) }),
  fc.record({
    kind: fc.constant('unmark' as const),
    p: fc.nat(1),
    at: fc.nat(80),
    len: fc.integer({ min: 1, max: 8 }),
    mark: fc.constantFrom('suggestionInsert' as const, 'suggestionDelete' as const),
  }),
);

/** Marks sorted, so two JSON documents that differ only in mark order compare equal. */
const normalise = (node: SuggestionJSONNode): SuggestionJSONNode => ({
  ...node,
  ...(node.marks ? { marks: [...node.marks].sort((a, b) => (a.type < b.type ? -1 : 1)) } : {}),
  ...(node.content ? { content: node.content.map(normalise) } : {}),
});

/** What the rule says, computed on ProseMirror JSON (a different path from the guard's walk over Yjs items). */
function oracle(before: PMNode, after: PMNode, userId: string): boolean {
  if (JSON.stringify(normalise(acceptedJSON(before))) !== JSON.stringify(normalise(acceptedJSON(after)))) return false;
  const list = (doc: PMNode) => new Map(suggestionsFromJSON(doc).map((s) => [s.id, s]));
  const [a, b] = [list(before), list(after)];
  for (const id of new Set([...a.keys(), ...b.keys()])) {
    const [x, y] = [a.get(id), b.get(id)];
    if (JSON.stringify(x) === JSON.stringify(y)) continue;
    if ((x && x.authorId !== userId) || (y && y.authorId !== userId)) return false;
  }
  return true;
}

function apply(op: Op, t: Y.XmlText[], seq: number, userId: string) {
  const p = t[op.p % t.length]!;
  const length = p.length;
  const pos = length ? op.at % (length + 1) : 0;
  const len = Math.min('len' in op ? op.len : 0, length - pos);
  const id = `s-${seq}`;
  switch (op.kind) {
    case 'suggestInsert':
      return p.insert(pos, op.text, ins(op.reuse ? 's-mine' : id, userId));
    case 'suggestDelete':
      return len > 0 && p.format(pos, len, del(id, userId));
    case 'plainInsert':
      return p.insert(pos, op.text);
    case 'plainDelete':
      return len > 0 && p.delete(pos, len);
    case 'bold':
      return len > 0 && p.format(pos, len, { bold: {} });
    case 'unmark':
      return len > 0 && p.format(pos, len, { [op.mark]: null });
  }
}

describe('suggestion guard: property', () => {
  it('accepts exactly the updates that keep the accepted text and touch only own suggestions', () => {
    const outcomes = { accepted: 0, refused: 0 };
    fc.assert(
      fc.property(
        fc.array(fc.array(opArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 8 }),
        (script) => {
          const session = setup();
          const { live, offer } = session;
          let seq = 0;
          for (const step of script) {
            const before = jsonFromYDoc(live);
            const snapshotOfClient = Y.encodeStateAsUpdate(session.client);
            // What the step would make of the document, judged by the oracle on a scratch copy.
            const scratch = new Y.Doc();
            Y.applyUpdate(scratch, snapshotOfClient);
            const scratchTexts = xmlTexts(scratch.getXmlFragment(contentFragmentName));
            const stepSeq = seq;
            scratch.transact(() => step.forEach((op, i) => apply(op, scratchTexts, stepSeq + i, mayor)));
            const expected = oracle(before, jsonFromYDoc(scratch), mayor);
            const verdict = offer((t) => step.forEach((op, i) => apply(op, t, stepSeq + i, mayor)));
            seq += step.length;
            outcomes[verdict.ok ? 'accepted' : 'refused']++;
            expect(verdict.ok, JSON.stringify({ step, verdict })).toBe(expected);
            expect(jsonFromYDoc(live)).toEqual(verdict.ok ? jsonFromYDoc(scratch) : before);
          }
        },
      ),
      { numRuns: 300 },
    );
    // The scripts exercise both sides of the rule, not only one.
    expect(outcomes.accepted).toBeGreaterThan(100);
    expect(outcomes.refused).toBeGreaterThan(100);
  });
});
