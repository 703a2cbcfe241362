import { sql } from 'drizzle-orm';
import { encode } from 'next-auth/jwt';
import { randomBytes } from 'node:crypto';
import type { Database } from '../../db/client';
import { documentMembers, documentSnapshots, documentUpdates, documents, users } from '../../db/schema';
import { plainText, stateFromJSON } from '../../server/content/prosemirror';
import { blankDocument } from '../../server/content/templates';
import { sessionVersionClaim } from '../../server/auth/session';
import { demoMemo } from '../../server/demo/memo';

/**
 * Bulk seeding for the benchmark, inside the server process (PGlite serves one process): users, documents with
 * their initial snapshot, and memberships, in a few multi-row inserts instead of one transaction per row (creating
 * 1,000 users through scrypt would take longer than the benchmark). Sessions are minted exactly as next-auth
 * does (with the session-version claim of a fresh user), so the server verifies them as it would a browser's.
 */
export interface SeedSpec {
  users: number;
  documents: number;
  /** Document d gets users (d × usersPerDocument + j) mod users, j < usersPerDocument, as editors. */
  usersPerDocument: number;
  content: 'memo' | 'blank';
}

export interface Seeded {
  documentIds: string[];
  /** Cookie header per user index. */
  cookies: string[];
  /** The document's initial Yjs state (the same for every seeded document). */
  initialState: Uint8Array;
}

async function chunked<T>(rows: T[], size: number, insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

export async function seedBench(db: Database, secret: string, spec: SeedSpec): Promise<Seeded> {
  const run = randomBytes(4).toString('hex');
  const people = Array.from({ length: spec.users }, (_, i) => ({
    email: `bench.${run}.${i}@example.nl`,
    name: `Schrijver ${i}`,
    organisation: 'Gemeente Bench',
  }));
  const userIds: string[] = [];
  await chunked(people, 500, async (chunk) => {
    const rows = await db.insert(users).values(chunk).returning({ id: users.id });
    userIds.push(...rows.map((r) => r.id));
  });
  const content = spec.content === 'memo' ? demoMemo().doc : blankDocument();
  const state = stateFromJSON(content);
  const text = plainText(content);
  const documentIds: string[] = [];
  await chunked(
    Array.from({ length: spec.documents }, (_, d) => d),
    250,
    async (chunk) => {
      const rows = await db
        .insert(documents)
        .values(
          chunk.map((d) => ({ title: `Bench ${run} ${d}`, template: 'voorstel' as const, createdBy: userIds[0] })),
        )
        .returning({ id: documents.id });
      documentIds.push(...rows.map((r) => r.id));
    },
  );
  await chunked(documentIds, 100, (chunk) =>
    db
      .insert(documentSnapshots)
      .values(chunk.map((documentId) => ({ documentId, state, json: content, text, lastSeq: 0 }))),
  );
  const members: { documentId: string; userId: string; role: 'editor' }[] = [];
  documentIds.forEach((documentId, d) => {
    const seen = new Set<number>();
    for (let j = 0; j < Math.min(spec.usersPerDocument, spec.users); j++) {
      const u = (d * spec.usersPerDocument + j) % spec.users;
      if (!seen.has(u)) (members.push({ documentId, userId: userIds[u]!, role: 'editor' }), seen.add(u));
    }
  });
  await chunked(members, 1000, (chunk) => db.insert(documentMembers).values(chunk));
  const cookies = await Promise.all(
    userIds.map(
      async (sub, i) =>
        `next-auth.session-token=${await encode({ token: { sub, name: people[i]!.name, email: people[i]!.email, [sessionVersionClaim]: 0 }, secret })}`,
    ),
  );
  return { documentIds, cookies, initialState: state };
}

/** Bytes a document occupies in storage: its snapshot (state, JSON, text) and its log. */
export async function storageOf(db: Database, documentId: string) {
  const snap = await db.execute<{ state: number; json: number; text: number }>(
    sql`select octet_length(state) as state, octet_length(json::text) as json, octet_length(text) as text from ${documentSnapshots} where document_id = ${documentId}`,
  );
  const log = await db.execute<{ rows: number; bytes: number }>(
    sql`select count(*)::int as rows, coalesce(sum(octet_length(update)), 0)::bigint as bytes from ${documentUpdates} where document_id = ${documentId}`,
  );
  const s = rowsOf<{ state: number; json: number; text: number }>(snap)[0];
  const l = rowsOf<{ rows: number; bytes: number }>(log)[0];
  return {
    stateBytes: Number(s?.state ?? 0),
    jsonBytes: Number(s?.json ?? 0),
    textBytes: Number(s?.text ?? 0),
    logRows: Number(l?.rows ?? 0),
    logBytes: Number(l?.bytes ?? 0),
  };
}

/** The write-ahead log position in bytes: what the database has written since, whatever the table. */
export async function walPosition(db: Database): Promise<number> {
  const result = await db.execute<{ lsn: string }>(sql`select pg_current_wal_lsn()::text as lsn`);
  const [hi, lo] = String(rowsOf<{ lsn: string }>(result)[0]!.lsn).split('/');
  return parseInt(hi!, 16) * 2 ** 32 + parseInt(lo!, 16);
}

/** Resets a document to `base` as its snapshot with `updates` as an uncompacted log after it. */
export async function replaceWithLog(db: Database, documentId: string, base: Uint8Array, updates: Uint8Array[]) {
  await db.transaction(async (tx) => {
    await tx.delete(documentUpdates).where(sql`${documentUpdates.documentId} = ${documentId}`);
    await tx
      .update(documentSnapshots)
      .set({ state: base, lastSeq: 0 })
      .where(sql`${documentSnapshots.documentId} = ${documentId}`);
    for (let i = 0; i < updates.length; i += 500) {
      await tx.insert(documentUpdates).values(updates.slice(i, i + 500).map((update) => ({ documentId, update })));
    }
  });
  return { rows: updates.length, bytes: updates.reduce((n, u) => n + u.byteLength, 0) };
}

function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
