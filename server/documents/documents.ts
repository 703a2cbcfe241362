import { policyFor } from '../../common/policy';
import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client';
import {
  documentMembers,
  documentSnapshots,
  documentUpdates,
  documents,
  users,
  type Document,
  type MemberRole,
} from '../../db/schema';
import { plainText, stateFromJSON, type PMNode } from '../content/prosemirror';
import { blankDocument, voorstelTemplate } from '../content/templates';
import { requireMembership } from './access';
import { listDocumentAudit, recordAudit } from '../audit/audit';
import { latestSignedVersion } from '../versions/versions';
import { bindDeps } from '../wiring';

export interface DocumentSummary {
  id: string;
  title: string;
  status: Document['status'];
  template: Document['template'];
  role: MemberRole;
  /** Archived: read-only for everyone, listed only on request (`?archived=only|include`). */
  archived: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Creates a document with its initial content in one transaction: the Yjs state is written here, on the server,
 * before any client can sync, so no client ever seeds (and duplicates) a template.
 */
export async function createDocument(
  db: Database,
  creatorId: string,
  input: {
    title: string;
    template: Document['template'];
    content?: PMNode;
    /** The Yjs state and text of `content`, when already computed off the event loop (an import, in a worker thread). */
    prepared?: { state: Uint8Array; text: string };
    auditDetails?: Record<string, unknown>;
    /** More rows that belong to the new document (an import's comment threads), in the same transaction. */
    within?: (tx: Executor, documentId: string) => Promise<void>;
  },
): Promise<DocumentSummary> {
  const content = input.content ?? (input.template === 'voorstel' ? voorstelTemplate(input.title) : blankDocument());
  const state = input.content && input.prepared ? input.prepared.state : stateFromJSON(content);
  const text = input.content && input.prepared ? input.prepared.text : plainText(content);
  return db.transaction(async (tx) => {
    const [doc] = await tx
      .insert(documents)
      .values({ title: input.title, template: input.template, createdBy: creatorId })
      .returning();
    await tx.insert(documentMembers).values({ documentId: doc!.id, userId: creatorId, role: 'editor' });
    await tx.insert(documentSnapshots).values({ documentId: doc!.id, state, json: content, text, lastSeq: 0 });
    await input.within?.(tx, doc!.id);
    await recordAudit(tx, {
      actorId: creatorId,
      action: 'document.created',
      documentId: doc!.id,
      details: { title: doc!.title, template: doc!.template, ...input.auditDetails },
    });
    return { ...pick(doc!), role: 'editor' as const };
  });
}

const pick = (d: Document) => ({
  id: d.id,
  title: d.title,
  status: d.status,
  template: d.template,
  archived: !!d.archivedAt,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

export async function listDocuments(
  db: Database,
  userId: string,
  options: { archived?: 'exclude' | 'only' | 'include' } = {},
): Promise<DocumentSummary[]> {
  const archived = options.archived ?? 'exclude';
  const rows = await db
    .select({
      document: documents,
      role: documentMembers.role,
      compactedAt: documentSnapshots.updatedAt,
      // Edits since the last compaction are only in the log; its newest row is the latest content change.
      loggedAt: sql<
        string | null
      >`(select max(${documentUpdates.createdAt}) from ${documentUpdates} where ${documentUpdates.documentId} = ${documents.id})`,
    })
    .from(documentMembers)
    .innerJoin(documents, eq(documents.id, documentMembers.documentId))
    .leftJoin(documentSnapshots, eq(documentSnapshots.documentId, documents.id))
    .where(
      and(
        eq(documentMembers.userId, userId),
        isNull(documents.deletedAt),
        archived === 'exclude' ? isNull(documents.archivedAt) : undefined,
        archived === 'only' ? isNotNull(documents.archivedAt) : undefined,
      ),
    );
  return rows
    .map((r) => {
      // "Last change" is the latest of metadata (status, members), compacted content and logged edits.
      const times = [r.document.updatedAt, r.compactedAt, r.loggedAt ? new Date(r.loggedAt) : null].filter(
        (t): t is Date => !!t,
      );
      return { ...pick(r.document), updatedAt: new Date(Math.max(...times.map((t) => t.getTime()))), role: r.role };
    })
    .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());
}

export interface MemberView {
  userId: string;
  email: string;
  name: string;
  organisation: string | null;
  role: MemberRole;
}

export async function listMembers(db: Pick<Database, 'select'>, documentId: string): Promise<MemberView[]> {
  return db
    .select({
      userId: users.id,
      email: users.email,
      name: users.name,
      organisation: users.organisation,
      role: documentMembers.role,
    })
    .from(documentMembers)
    .innerJoin(users, eq(users.id, documentMembers.userId))
    .where(eq(documentMembers.documentId, documentId))
    .orderBy(
      sql`case ${documentMembers.role} when 'editor' then 0 when 'chair' then 1 when 'commenter' then 2 else 3 end`,
      users.name,
    );
}

export async function getDocument(db: Database, userId: string, documentId: string) {
  const { document, role } = await requireMembership(db, documentId, userId);
  const [snapshot] = await db
    .select({ json: documentSnapshots.json, updatedAt: documentSnapshots.updatedAt })
    .from(documentSnapshots)
    .where(eq(documentSnapshots.documentId, documentId));
  return {
    ...pick(document),
    role,
    archived: !!document.archivedAt,
    archivedAt: document.archivedAt,
    can: policyFor(role, document.status, !!document.archivedAt),
    metadata: metadataOf(snapshot?.json as PMNode | undefined),
    members: await listMembers(db, documentId),
  };
}

/** The metadata header's values as last stored (the live values are in the Yjs document). */
export function metadataOf(doc: PMNode | undefined): Record<string, string> {
  const meta = doc?.content?.find((n) => n.type === 'metadata');
  const out: Record<string, string> = {};
  for (const field of meta?.content ?? []) {
    out[String(field.attrs?.field)] = (field.content ?? []).map((t) => t.text ?? '').join('');
  }
  return out;
}

/** A document with the version of its latest sign-off, as the document page and `GET /api/documents/:id` show it. */
async function documentWithSignature(db: Database, userId: string, documentId: string) {
  const document = await getDocument(db, userId, documentId);
  const signed = document.status === 'signed_off' ? await latestSignedVersion(db, documentId) : undefined;
  return { ...document, signedVersion: signed ?? null };
}

async function documentAudit(db: Database, userId: string, documentId: string) {
  await requireMembership(db, documentId, userId);
  return listDocumentAudit(db, documentId);
}

/** Documents of one server: `createDocuments({ db }).get(userId, documentId)`. */
export const createDocuments = ({ db }: { db: Database }) =>
  bindDeps(db, {
    create: createDocument,
    list: listDocuments,
    get: documentWithSignature,
    audit: documentAudit,
  });
