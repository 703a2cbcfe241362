/**
 * The cost of the collaboration server's suggestion check (server/collab/suggestion-guard.ts) per update, on the demo
 * memo and on a 300-page voorstel (the memo plus 3,000 paragraphs of ~400 characters, tests/helpers/large-document.ts).
 * A commenter types suggestions the way the editor sends them: one update per keystroke (a character inside their
 * `suggestionInsert`), now and then a word marked `suggestionDelete`, and now and then a withdrawal (their inserted
 * text deleted), each in a random paragraph. Measured per update: `check` (apply to the shadow copy + the check)
 * and, as the reference in the same run, applying the same update to the live document (what any accepted update
 * costs). Also: building the shadow copy (once per first suggesting connection, and after each refusal), a refusal,
 * and mirroring an editor's keystroke into the shadow while commenters are connected.
 * Run: npx tsx bench/suggestion-guard.ts [updates=3000]
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import * as Y from 'yjs';
import { contentFragmentName } from '../common/schema/fragment';
import { xmlTexts } from '../common/suggestions';
import { SuggestionGuard } from '../server/collab/suggestion-guard';
import { stateFromJSON, type PMNode } from '../server/content/prosemirror';
import { demoMemo } from '../server/demo/memo';
import { largeVoorstel } from '../tests/helpers/large-document';
import { fmtMs, renderTable, summarize } from './lib/stats';

const updates = Number(process.argv[2] ?? 3000);
let seed = 7;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const mayor = 'bench-mayor';

/**
 * Time of `f` in ms: CPU time of this process by default (process.cpuUsage, µs resolution), so that other work on a
 * shared machine does not count as ours; wall-clock time with BENCH_WALL=1.
 */
const wall = process.env.BENCH_WALL === '1';
function timed<T>(f: () => T): [T, number] {
  if (wall) {
    const t0 = performance.now();
    const value = f();
    return [value, performance.now() - t0];
  }
  const c0 = process.cpuUsage();
  const value = f();
  const c = process.cpuUsage(c0);
  return [value, (c.user + c.system) / 1000];
}

function run(name: string, doc: PMNode) {
  const live = new Y.Doc();
  Y.applyUpdate(live, stateFromJSON(doc));
  const guard = new SuggestionGuard(live);
  let checked = false;
  // As CollabDocument does: every update the live document applies is mirrored, except the one just checked.
  live.on('update', (u: Uint8Array) => checked || guard.mirror(u));
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(live));
  const texts = xmlTexts(client.getXmlFragment(contentFragmentName)).filter((t) => t.length > 20);
  const editor = new Y.Doc();
  Y.applyUpdate(editor, Y.encodeStateAsUpdate(live));
  const editorTexts = xmlTexts(editor.getXmlFragment(contentFragmentName)).filter((t) => t.length > 20);

  let pending: Uint8Array | undefined;
  client.on('update', (u: Uint8Array) => (pending = u));
  const submit = (change: () => void, checks: number[], applies: number[]) => {
    pending = undefined;
    client.transact(change);
    if (!pending) return;
    const [verdict, ms] = timed(() => guard.check(pending!, mayor));
    if (!verdict.ok) throw new Error(`refused a genuine suggestion: ${verdict.reason}`);
    checked = true;
    const [, applyMs] = timed(() => Y.applyUpdate(live, pending!));
    checked = false;
    checks.push(ms);
    applies.push(applyMs);
  };

  const [, buildMs] = timed(() => guard.check(new Uint8Array([0, 0]), mayor)); // the first check builds the shadow
  const checks: number[] = [];
  const applies: number[] = [];
  let session = 0;
  while (checks.length < updates) {
    const t = texts[Math.floor(rnd() * texts.length)]!;
    const id = `bench-${session++}`;
    const attrs = { id, authorId: mayor, createdAt: new Date().toISOString() };
    const roll = rnd();
    if (roll < 0.15) {
      const at = Math.floor(rnd() * (t.length - 8));
      submit(() => t.format(at, 6, { suggestionDelete: attrs }), checks, applies);
    } else {
      const at = Math.floor(rnd() * t.length);
      const word = 'voorstel';
      for (let i = 0; i < word.length; i++)
        submit(() => t.insert(at + i, word[i]!, { suggestionInsert: attrs }), checks, applies);
      if (roll > 0.9) submit(() => t.delete(at, word.length), checks, applies); // withdrawn
    }
  }

  // A refusal (a plain insert), and the rebuild that the next check pays.
  const t = texts[0]!;
  const before = Y.encodeStateVector(client);
  t.insert(0, 'x');
  const refusedUpdate = Y.encodeStateAsUpdate(client, before);
  const [refused, refuseMs] = timed(() => guard.check(refusedUpdate, mayor));
  if (refused.ok) throw new Error('a plain insert was accepted');
  const [, rebuildMs] = timed(() => guard.check(new Uint8Array([0, 0]), mayor));

  // An editor's keystrokes while a commenter is connected: mirrored into the shadow.
  const mirrors: number[] = [];
  editor.on('update', (u: Uint8Array) => {
    checked = true;
    Y.applyUpdate(live, u);
    checked = false;
    mirrors.push(timed(() => guard.mirror(u))[1]);
  });
  for (let i = 0; i < 500; i++) {
    const e = editorTexts[Math.floor(rnd() * editorTexts.length)]!;
    e.insert(Math.floor(rnd() * e.length), 'a');
  }

  const c = summarize(checks);
  const a = summarize(applies);
  const m = summarize(mirrors);
  return {
    name,
    characters: live.getXmlFragment(contentFragmentName).toString().length,
    rows: [
      [name, 'check (shadow apply + check)', String(checks.length), fmtMs(c.p50), fmtMs(c.p99)],
      [name, 'reference: apply to the live document', String(applies.length), fmtMs(a.p50), fmtMs(a.p99)],
      [name, "mirror an editor's keystroke", String(mirrors.length), fmtMs(m.p50), fmtMs(m.p99)],
      [name, 'build the shadow (first check)', '1', fmtMs(buildMs), ''],
      [name, 'a refusal / the rebuild after it', '1', fmtMs(refuseMs), fmtMs(rebuildMs)],
    ],
  };
}

const memo = demoMemo();
const big = largeVoorstel(3_000);
const results = [run('demo memo', memo.doc), run('300 pages', big.doc)];
const table = renderTable({
  title: 'Suggestion check: cost per update',
  note:
    `\`npx tsx bench/suggestion-guard.ts ${updates}\` on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ` +
    `${wall ? 'wall-clock time' : 'CPU time of the process (BENCH_WALL=1 for wall-clock)'}, load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores. ` +
    "A commenter's keystrokes in suggestion mode (one update each), in random paragraphs of the demo memo " +
    `(${results[0]!.characters.toLocaleString('en')} characters of Yjs XML) and of a 300-page voorstel ` +
    `(${results[1]!.characters.toLocaleString('en')}). Single-row lines: one measurement (the last column: the rebuild).`,
  header: ['document', 'what', 'n', 'p50', 'p99'],
  rows: results.flatMap((r) => r.rows),
});
const text = `${table}`;
writeFileSync(new URL('./results/suggestion-guard.md', import.meta.url), text);
console.log(text);
