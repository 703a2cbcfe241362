import { and, asc, eq, lte, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Database, Executor } from '../../db/client';
import { documentSnapshots, documentUpdates, documents } from '../../db/schema';
import { jsonFromYDoc, plainText } from '../content/prosemirror';

/**
 * Durable storage of a document: a snapshot (compacted Yjs state plus derived ProseMirror JSON and text) and an
 * append-only log of the updates accepted since. Loading applies the log to the snapshot one update at a time
 * (Y.mergeUpdates is superlinear on long logs; applying is linear).
 */
export interface LoadedState {
  ydoc: Y.Doc;
  status: (typeof documents.$inferSelect)['status'];
  archived: boolean;
  /** Highest log seq already in `ydoc`. */
  lastSeq: number;
  /** The seq the snapshot covered (several processes catch up from here, see cluster.ts `hold`). */
  snapshotSeq: number;
  logUpdates: number;
  logBytes: number;
}

export async function loadDocument(db: Database, documentId: string): Promise<LoadedState | undefined> {
  const [doc] = await db
    .select({
      status: documents.status,
      archivedAt: documents.archivedAt,
      state: documentSnapshots.state,
      lastSeq: documentSnapshots.lastSeq,
    })
    .from(documents)
    .leftJoin(documentSnapshots, eq(documentSnapshots.documentId, documents.id))
    .where(eq(documents.id, documentId));
  if (!doc) return undefined;
  const ydoc = new Y.Doc({ gc: true });
  if (doc.state) Y.applyUpdate(ydoc, doc.state);
  const log = await db
    .select({ seq: documentUpdates.seq, update: documentUpdates.update })
    .from(documentUpdates)
    .where(eq(documentUpdates.documentId, documentId))
    .orderBy(asc(documentUpdates.seq));
  let lastSeq = doc.lastSeq ?? 0;
  let logBytes = 0;
  ydoc.transact(() => {
    for (const row of log) {
      Y.applyUpdate(ydoc, row.update);
      lastSeq = Math.max(lastSeq, row.seq);
      logBytes += row.update.byteLength;
    }
  });
  return {
    ydoc,
    status: doc.status,
    archived: !!doc.archivedAt,
    lastSeq,
    snapshotSeq: doc.lastSeq ?? 0,
    logUpdates: log.length,
    logBytes,
  };
}

/** Appends a batch of updates (of any documents) in one statement, so one flush is one transaction. */
export async function appendUpdates(db: Database, batch: { documentId: string; update: Uint8Array }[]) {
  if (!batch.length) return [];
  return db
    .insert(documentUpdates)
    .values(batch)
    .returning({ seq: documentUpdates.seq, documentId: documentUpdates.documentId });
}

/**
 * Writes the snapshot of `ydoc` (which already holds every log row up to `upToSeq`) and deletes those rows, in one
 * transaction: a crash leaves either the old snapshot with its log or the new one without it.
 */
export async function compactDocument(db: Database, documentId: string, ydoc: Y.Doc, upToSeq: number) {
  return db.transaction((tx) => writeSnapshot(tx, documentId, ydoc, upToSeq));
}

/**
 * Inside the caller's transaction: `ydoc` (which holds every log row up to `upToSeq`) becomes the snapshot, with its
 * derived JSON and text, and those rows are deleted.
 */
export async function writeSnapshot(tx: Executor, documentId: string, ydoc: Y.Doc, upToSeq: number) {
  const state = Y.encodeStateAsUpdate(ydoc);
  const json = jsonFromYDoc(ydoc);
  const text = plainText(json);
  await tx
    .insert(documentSnapshots)
    .values({ documentId, state, json, text, lastSeq: upToSeq })
    .onConflictDoUpdate({
      target: documentSnapshots.documentId,
      set: {
        state,
        json,
        text,
        lastSeq: sql`greatest(${documentSnapshots.lastSeq}, ${upToSeq})`,
        updatedAt: new Date(),
      },
    });
  await tx
    .delete(documentUpdates)
    .where(and(eq(documentUpdates.documentId, documentId), lte(documentUpdates.seq, upToSeq)));
  return { stateBytes: state.byteLength };
}
