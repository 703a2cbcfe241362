import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { documentSnapshots, documentUpdates } from '../../db/schema';

/**
 * The durable content of a document as raw Yjs updates (snapshot state, then the log), read on the main thread
 * and applied in a worker thread (server/export/render.ts): applying a large document's state is tens to hundreds
 * of milliseconds of CPU, which is why this does not call collab/persistence.ts's loadDocument (it builds the
 * Y.Doc here). The storage layout is the one that module owns.
 *
 * The log is read before the snapshot, so a compaction between the two reads cannot lose an update: rows it folds
 * into the new snapshot are then read twice (applying an update twice changes nothing), never zero times.
 */
export async function readStoredUpdates(db: Database, documentId: string): Promise<Uint8Array[]> {
  const log = await db
    .select({ update: documentUpdates.update })
    .from(documentUpdates)
    .where(eq(documentUpdates.documentId, documentId))
    .orderBy(asc(documentUpdates.seq));
  const [snapshot] = await db
    .select({ state: documentSnapshots.state })
    .from(documentSnapshots)
    .where(eq(documentSnapshots.documentId, documentId));
  return [...(snapshot ? [snapshot.state] : []), ...log.map((row) => row.update)];
}
