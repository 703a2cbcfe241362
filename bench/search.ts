/**
 * Search latency at 2,000 generated voorstellen: p50/p95 of `search()` (the function behind GET /api/search) for
 * one person who is a member of all of them, on an embedded PGlite database (or PostgreSQL with DATABASE_URL).
 * Reference in the same run: a bare `select 1` round trip on the same connection.
 * Run: npx tsx bench/search.ts [documents=2000] [queries=200]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../db/client';
import { documentMembers, documentSnapshots, documents, users } from '../db/schema';
import { plainText, stateFromJSON } from '../server/content/prosemirror';
import { voorstelDocument } from '../server/content/templates';
import { search } from '../server/search/search';

const total = Number(process.argv[2] ?? 2000);
const queries = Number(process.argv[3] ?? 200);
const words = (
  'brandweer ambulance meldkamer burgemeester gemeente veiligheid regio bestuur begroting risico crisis oefening ' +
  'hoogwater overstroming evacuatie kazerne paraatheid samenwerking coalitieakkoord zorg jeugd natuurbrand ' +
  'bevolkingszorg informatievoorziening opleiding vrijwilligers materieel huisvesting dekkingsplan opkomsttijd'
).split(' ');
let seed = 42;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = () => words[Math.floor(rnd() * words.length)]!;
const sentence = (n: number) => Array.from({ length: n }, pick).join(' ') + '.';

const dataDir = process.env.DATABASE_URL ? undefined : mkdtempSync(join(tmpdir(), 'stukwerk-search-bench-'));
const handle = await openDatabase(
  process.env.DATABASE_URL
    ? { kind: 'postgres', url: process.env.DATABASE_URL }
    : { kind: 'pglite', dataDir: dataDir! },
);
const db = handle.db;
try {
  const [user] = await db
    .insert(users)
    .values({ email: `bench.${Date.now()}@example.nl`, name: 'Bench' })
    .returning();
  const started = performance.now();
  for (let i = 0; i < total; i += 100) {
    const batch = Array.from({ length: Math.min(100, total - i) }, (_, j) => {
      const title = `Voorstel ${i + j}: ${pick()} en ${pick()}`;
      const json = voorstelDocument({
        metadata: { onderwerp: title, registratienummer: `VRT-${i + j}` },
        sections: {
          Besluit: [[sentence(20)]],
          Voorstel: [[sentence(40)]],
          Samenvatting: [[sentence(60)]],
          'Aan het algemeen bestuur': Array.from({ length: 30 }, () => [sentence(40)]),
          'Bijlage(n)': [],
        },
        closing: [],
      });
      return { title, json };
    });
    await db.transaction(async (tx) => {
      const docs = await tx
        .insert(documents)
        .values(batch.map((b) => ({ title: b.title, template: 'voorstel' as const, createdBy: user!.id })))
        .returning({ id: documents.id });
      await tx
        .insert(documentMembers)
        .values(docs.map((d) => ({ documentId: d.id, userId: user!.id, role: 'editor' as const })));
      await tx.insert(documentSnapshots).values(
        docs.map((d, k) => ({
          documentId: d.id,
          state: stateFromJSON(batch[k]!.json),
          json: batch[k]!.json,
          text: plainText(batch[k]!.json),
        })),
      );
    });
  }
  console.log(
    `${total} voorstellen (~${plainText(voorstelDocument({ metadata: {}, sections: { Besluit: [[sentence(20)]], Voorstel: [[sentence(40)]], Samenvatting: [[sentence(60)]], 'Aan het algemeen bestuur': Array.from({ length: 30 }, () => [sentence(40)]), 'Bijlage(n)': [] }, closing: [] })).length} characters each) written in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  await db.execute(sql`analyze`);

  const time = async (f: () => Promise<unknown>) => {
    const samples: number[] = [];
    for (let i = 0; i < queries; i++) {
      const t = performance.now();
      await f();
      samples.push(performance.now() - t);
    }
    samples.sort((a, b) => a - b);
    const q = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]!.toFixed(1);
    return { p50: q(0.5), p95: q(0.95), max: samples[samples.length - 1]!.toFixed(1) };
  };
  const rows = [
    ['select 1 (reference)', await time(() => db.execute(sql`select 1`))],
    ['rare word (one title)', await time(() => search(db, user!.id, `VRT-${Math.floor(rnd() * total)}`))],
    ['common word', await time(() => search(db, user!.id, pick()))],
    ['two words', await time(() => search(db, user!.id, `${pick()} ${pick()}`))],
    ['phrase', await time(() => search(db, user!.id, `"${pick()} ${pick()}"`))],
    ['no match', await time(() => search(db, user!.id, 'zeppelinhangar'))],
  ] as const;
  console.log(
    `\n${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}, ${total} documents, ${queries} queries each (ms)`,
  );
  console.log('query                     p50     p95     max');
  for (const [name, r] of rows)
    console.log(`${name.padEnd(24)} ${r.p50.padStart(6)} ${r.p95.padStart(7)} ${r.max.padStart(7)}`);
} finally {
  await handle.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
