import * as Y from 'yjs';
import { suggestionMarkNames } from '../../common/schema/suggestions';
import { suggestionAttributes } from '../../common/suggestions';

/**
 * The server's guarantee of suggestion mode: an update from a commenter or the chair is applied only if it changes
 * nothing but that person's own suggestions. Checked on a copy of the live document (a shadow Y.Doc), never on the
 * live one: Yjs cannot take an update back.
 *
 * How, in time proportional to the update: the update is applied to the shadow, and inside the shadow's
 * `afterTransaction` event — before Yjs merges, garbage-collects or cleans up formatting, so every item that
 * transaction added or deleted is still whole and in place — only these are looked at:
 * - the new structs (per client, the clocks between the transaction's before- and after-state) and the items in its
 *   delete set. Each must be text or a formatting item inside a Y.XmlText (a paragraph's text); anything else (a new
 *   or deleted paragraph, a node attribute, another shared type) is refused outright;
 * - every Y.XmlText they touched, walked once from its first item: which text is visible before (existed before the
 *   transaction and was not deleted, or deleted by it) and after (not deleted), with the formatting in effect at
 *   each character. From both walks come the accepted text of that paragraph (suggested insertions left out,
 *   suggested deletions kept, every other mark compared) and, per suggestion (mark kind + attributes), its text.
 * The update passes when every touched paragraph's accepted text is identical before and after, and every
 * suggestion whose text differs (added, changed, withdrawn) is a well-formed one of this person.
 *
 * Comparing what the text means instead of which items changed is what lets Yjs' own formatting cleanup through:
 * a client that received an update deletes redundant formatting items in a transaction of its own, which may touch
 * someone else's suggestion marks without changing any text or mark in effect.
 *
 * The shadow follows the live document (`mirror` every update the live document applies) while connections that
 * suggest are open; after a refusal it holds the refused update, so it is dropped and rebuilt from the live document
 * on the next check. Memory: a second copy of the document while a commenter or the chair is connected.
 */
export type GuardVerdict = { ok: true } | { ok: false; reason: string };

const insertKey = suggestionMarkNames.insert;
const deleteKey = suggestionMarkNames.delete;

export class SuggestionGuard {
  private shadow: Y.Doc | undefined;

  constructor(private readonly live: Y.Doc) {}

  /** How often the shadow was built from the live document (for tests and the benchmark: rebuilds are rare). */
  rebuilds = 0;

  /** Keeps the shadow in step with an update the live document applied (a no-op without a shadow). */
  mirror(update: Uint8Array): void {
    if (!this.shadow) return;
    Y.applyUpdate(this.shadow, update);
    if (hasPending(this.shadow)) this.drop();
  }

  /** Forgets the shadow (no suggesting connection left, or it may differ from the live document). */
  drop(): void {
    this.shadow?.destroy();
    this.shadow = undefined;
  }

  get active(): boolean {
    return this.shadow !== undefined;
  }

  /**
   * Applies `update` to the shadow and judges it for `userId`. On `ok` the caller must apply the same update to the
   * live document (which mirrors back as a no-op); on a refusal the shadow is dropped.
   */
  check(update: Uint8Array, userId: string): GuardVerdict {
    const shadow = this.shadowDoc();
    const origin = { guard: userId };
    let verdict: GuardVerdict | undefined;
    const inspect = (tr: Y.Transaction) => {
      if (tr.origin === origin && !verdict) verdict = judge(tr, userId);
    };
    shadow.on('afterTransaction', inspect);
    try {
      Y.applyUpdate(shadow, update, origin);
    } catch (err) {
      verdict = { ok: false, reason: `malformed update: ${(err as Error).message}` };
    } finally {
      shadow.off('afterTransaction', inspect);
    }
    // An update that cannot be integrated yet (it depends on changes the server does not have) cannot be judged.
    if (verdict?.ok && hasPending(shadow)) verdict = { ok: false, reason: 'depends on unknown changes' };
    verdict ??= { ok: true }; // applying changed nothing (no transaction content), e.g. a known sync step 2
    if (!verdict.ok) this.drop();
    return verdict;
  }

  private shadowDoc(): Y.Doc {
    if (!this.shadow) {
      // gc as in the live document: the check runs before garbage collection, so deleted text is still readable.
      this.shadow = new Y.Doc({ gc: true });
      Y.applyUpdate(this.shadow, Y.encodeStateAsUpdate(this.live));
      this.rebuilds++;
    }
    return this.shadow;
  }
}

const hasPending = (doc: Y.Doc) => doc.store.pendingStructs !== null || doc.store.pendingDs !== null;

function judge(tr: Y.Transaction, userId: string): GuardVerdict {
  const touched = new Set<Y.XmlText>();
  const refuseItem = (item: Y.Item | Y.GC): string | undefined => {
    if (item instanceof Y.GC) return undefined; // content the sender created and deleted itself: never visible
    if (item.parentSub !== null) return 'changes an attribute';
    if (!(item.parent instanceof Y.XmlText)) return 'changes the document structure';
    const content = item.content;
    if (!(
      content instanceof Y.ContentString ||
      content instanceof Y.ContentFormat ||
      content instanceof Y.ContentDeleted
    ))
      return 'inserts content other than text';
    touched.add(item.parent);
    return undefined;
  };
  // New structs: per client, from the clock before the transaction to the clock after it.
  for (const [client, after] of tr.afterState) {
    const before = tr.beforeState.get(client) ?? 0;
    if (after <= before) continue;
    const structs = tr.doc.store.clients.get(client)!;
    for (let i = Y.findIndexSS(structs, before); i < structs.length && structs[i]!.id.clock < after; i++) {
      const reason = refuseItem(structs[i] as Y.Item | Y.GC);
      if (reason) return { ok: false, reason };
    }
  }
  let deleted: string | undefined;
  Y.iterateDeletedStructs(tr, tr.deleteSet, (struct) => {
    deleted ??= refuseItem(struct);
  });
  if (deleted) return { ok: false, reason: deleted };

  for (const text of touched) {
    const before = readView(text, (item) => {
      const existed = item.id.clock < (tr.beforeState.get(item.id.client) ?? 0);
      return existed && (!item.deleted || Y.isDeleted(tr.deleteSet, item.id));
    });
    const after = readView(text, (item) => !item.deleted);
    if (before.accepted !== after.accepted) return { ok: false, reason: 'changes the accepted text' };
    for (const key of new Set([...before.suggestions.keys(), ...after.suggestions.keys()])) {
      if (before.suggestions.get(key) === after.suggestions.get(key)) continue;
      const attrs = suggestionAttributes(JSON.parse(key.slice(key.indexOf(':') + 1)));
      if (!attrs) return { ok: false, reason: 'malformed suggestion' };
      if (attrs.authorId !== userId) return { ok: false, reason: "changes someone else's suggestion" };
      const owner = after.owners.get(attrs.id);
      if (owner !== undefined && owner !== userId)
        return { ok: false, reason: "reuses the id of someone else's suggestion" };
    }
  }
  return { ok: true };
}

/**
 * A formatting value as comparable text. The value objects of format items never change, so their JSON is kept per
 * object: a paragraph full of suggestions is walked twice per update without serialising each mark again.
 */
const jsonOfValue = new WeakMap<object, string>();
function valueKey(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  let json = jsonOfValue.get(value);
  if (json === undefined) jsonOfValue.set(value, (json = JSON.stringify(value)));
  return json;
}

interface View {
  /** The paragraph's accepted text with its marks, as one comparable string. */
  accepted: string;
  /** `kind:attributes-json` → the suggestion's text in this paragraph. */
  suggestions: Map<string, string>;
  /** Suggestion id → author (the last seen; a clash with another author is caught by the caller). */
  owners: Map<string, string>;
}

/** One walk over a paragraph's items, seeing those for which `visible` holds. */
function readView(text: Y.XmlText, visible: (item: Y.Item) => boolean): View {
  const attrs = new Map<string, unknown>();
  const runs: string[] = [];
  let markKey: string | undefined;
  let lastKey: string | undefined;
  const suggestions = new Map<string, string>();
  const owners = new Map<string, string>();
  const addSuggestion = (kind: string, value: unknown, str: string) => {
    const key = `${kind}:${valueKey(value)}`;
    suggestions.set(key, (suggestions.get(key) ?? '') + str);
    const attrs = suggestionAttributes(value);
    if (attrs) {
      const owner = owners.get(attrs.id);
      // Two authors on one id: remembered as a clash (no user id is empty).
      owners.set(attrs.id, owner !== undefined && owner !== attrs.authorId ? '' : attrs.authorId);
    }
  };
  for (let item = text._start; item !== null; item = item.right) {
    if (!visible(item)) continue;
    const content = item.content;
    if (content instanceof Y.ContentFormat) {
      if (content.value === null) attrs.delete(content.key);
      else attrs.set(content.key, content.value);
      markKey = undefined;
      continue;
    }
    let str: string;
    if (content instanceof Y.ContentString) str = content.str;
    else if (content instanceof Y.ContentEmbed) str = `\u0000${JSON.stringify(content.embed)}\u0000`;
    else if (content instanceof Y.ContentType) str = '\u0000type\u0000';
    else continue;
    const inserted = attrs.get(insertKey);
    const removed = attrs.get(deleteKey);
    if (inserted !== undefined) addSuggestion('insert', inserted, str);
    if (removed !== undefined) addSuggestion('delete', removed, str);
    if (inserted !== undefined) continue;
    markKey ??= [...attrs]
      .filter(([key]) => key !== insertKey && key !== deleteKey)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, value]) => `${JSON.stringify(key)}=${valueKey(value)}`)
      .join(',');
    if (markKey !== lastKey) runs.push(`\u0001${markKey}\u0001`);
    lastKey = markKey;
    runs.push(str);
  }
  return { accepted: runs.join(''), suggestions, owners };
}
