import type { AuthOptions } from 'next-auth';
import type { Database } from '../db/client';
import type { MemberRole } from '../db/schema';
import { listDocumentAudit } from './audit/audit';
import { createAuthOptions } from './auth/options';
import { userFromCookieHeader } from './auth/session';
import { requireMembership } from './documents/access';
import { createDocument, getDocument, listDocuments } from './documents/documents';
import { addMember, changeRole, removeMember, type MembershipChange } from './documents/members';
import type { ServerConfig } from './env';
import { exportDocument } from './export/export';
import type { ExportFormat } from './export/formats';
import { importDocx } from './import/docx';

/** What the collaboration server needs to hear from the rest of the app. */
export interface CollabHooks {
  membershipChanged(change: MembershipChange): void;
  /** Writes every accepted update to the log, so that what is stored is what connections have (export). */
  flush(): Promise<void>;
  readonly documentCount: number;
  readonly pendingUpdates: number;
}

/**
 * The server's domain functions bound to its database, for the Next.js route handlers and pages. Next.js bundles
 * `app/` separately from `server/main.ts`; routes reach this one instance through `services()`, so there is one
 * database pool, one collaboration server and one copy of every domain module per process.
 */
export function createServices(deps: { db: Database; config: ServerConfig; authSecret: string; collab?: CollabHooks }) {
  const { db, authSecret, config } = deps;
  const collab = deps.collab;
  const notify = (change: MembershipChange) => {
    collab?.membershipChanged(change);
    return change;
  };
  return {
    config,
    db,
    collab: {
      get documentCount() {
        return collab?.documentCount ?? 0;
      },
      get pendingUpdates() {
        return collab?.pendingUpdates ?? 0;
      },
    },
    authOptions: createAuthOptions(db, authSecret, config.oidc) as AuthOptions,
    currentUser: (cookieHeader: string | null | undefined) => userFromCookieHeader(db, authSecret, cookieHeader),
    documents: {
      create: (userId: string, input: { title: string; template: 'voorstel' | 'blank' }) => createDocument(db, userId, input),
      list: (userId: string) => listDocuments(db, userId),
      get: (userId: string, documentId: string) => getDocument(db, userId, documentId),
      audit: async (userId: string, documentId: string) => {
        await requireMembership(db, documentId, userId);
        return listDocumentAudit(db, documentId);
      },
    },
    export: {
      render: (userId: string, documentId: string, format: ExportFormat) =>
        exportDocument({ db, flush: collab ? () => collab.flush() : undefined }, userId, documentId, format),
    },
    importDocx: (userId: string, file: { name: string; bytes: Buffer }, options?: { title?: string }) => importDocx(db, userId, file, options),
    members: {
      add: async (actorId: string, documentId: string, input: { email: string; role: MemberRole }) =>
        notify(await addMember(db, actorId, documentId, input)),
      changeRole: async (actorId: string, documentId: string, userId: string, role: MemberRole) =>
        notify(await changeRole(db, actorId, documentId, userId, role)),
      remove: async (actorId: string, documentId: string, userId: string) => notify(await removeMember(db, actorId, documentId, userId)),
    },
  };
}

export type Services = ReturnType<typeof createServices>;
