import type { AuthOptions } from 'next-auth';
import type { Database } from '../db/client';
import type { MemberRole } from '../db/schema';
import { listDocumentAudit } from './audit/audit';
import { createAuthOptions } from './auth/options';
import { createComments } from './comments/comments';
import { listNotifications, markAllNotificationsRead, markNotificationRead } from './comments/notifications';
import { userFromCookieHeader } from './auth/session';
import { requireMembership } from './documents/access';
import { createDocument, getDocument, listDocuments } from './documents/documents';
import { deleteDocument, duplicateDocument, renameDocument, restoreDocument } from './documents/lifecycle';
import { addMember, changeRole, removeMember, type MembershipChange } from './documents/members';
import type { ServerConfig } from './env';
import type { CollabServer } from './collab/server';
import { compareVersions, nameVersion, restoreVersion, versionOf, versionsOf } from './versions/history';
import { latestSignedVersion } from './versions/versions';
import { changeStatus, reopen, signOff, type WorkflowDeps } from './workflow/workflow';
import { exportDocument } from './export/export';
import type { ExportFormat } from './export/formats';
import { importDocx } from './import/docx';
import { databaseAnswers } from './health';
import { search } from './search/search';
import { createRateLimiter, type RateLimits } from './http/rate-limit';
import type { ServerPool } from './workers/server-pool';


/**
 * The server's domain functions bound to its database, for the Next.js route handlers and pages. Next.js bundles
 * `app/` separately from `server/main.ts`; routes reach this one instance through `services()`, so there is one
 * database pool, one collaboration server and one copy of every domain module per process.
 */
export function createServices(deps: {
  db: Database;
  config: ServerConfig;
  authSecret: string;
  collab: CollabServer;
  /** Worker threads for CPU-heavy work (rendering, .docx parsing). */
  workers: ServerPool;
  /** Per-person write limits; the defaults of server/http/rate-limit.ts for what is not given. */
  rateLimits?: Partial<RateLimits>;
}) {
  const { db, authSecret, config, collab, workers } = deps;
  const workflow: WorkflowDeps = { db, collab };
  const notify = (change: MembershipChange) => {
    collab.membershipChanged(change);
    return change;
  };
  return {
    config,
    db,
    collab: {
      get documentCount() {
        return collab.documentCount;
      },
      get pendingUpdates() {
        return collab.pendingUpdates;
      },
    },
    /** For `/api/health`: does the database answer now? */
    databaseAnswers: () => databaseAnswers(db),
    /** `rateLimit.take(userId, action)` in a route handler: 429 `rate_limited` once a person exceeds the limit. */
    rateLimit: createRateLimiter(deps.rateLimits),
    authOptions: createAuthOptions(db, authSecret, config.oidc) as AuthOptions,
    currentUser: (cookieHeader: string | null | undefined) => userFromCookieHeader(db, authSecret, cookieHeader),
    documents: {
      create: (userId: string, input: { title: string; template: 'voorstel' | 'blank' }) => createDocument(db, userId, input),
      list: (userId: string) => listDocuments(db, userId),
      get: async (userId: string, documentId: string) => {
        const document = await getDocument(db, userId, documentId);
        const signed = document.status === 'signed_off' ? await latestSignedVersion(db, documentId) : undefined;
        return { ...document, signedVersion: signed ?? null };
      },
      rename: (userId: string, documentId: string, title: string) => renameDocument(db, userId, documentId, title),
      delete: (userId: string, documentId: string) => deleteDocument(db, userId, documentId),
      restore: (userId: string, documentId: string) => restoreDocument(db, userId, documentId),
      duplicate: (userId: string, documentId: string, title?: string) => duplicateDocument(db, userId, documentId, title),
      audit: async (userId: string, documentId: string) => {
        await requireMembership(db, documentId, userId);
        return listDocumentAudit(db, documentId);
      },
    },
    workflow: {
      changeStatus: (userId: string, documentId: string, to: 'review' | 'draft') => changeStatus(workflow, userId, documentId, to),
      signOff: (userId: string, documentId: string) => signOff(workflow, userId, documentId),
      reopen: (userId: string, documentId: string) => reopen(workflow, userId, documentId),
    },
    versions: {
      list: (userId: string, documentId: string) => versionsOf(workflow, userId, documentId),
      get: (userId: string, documentId: string, versionId: string) => versionOf(workflow, userId, documentId, versionId),
      name: (userId: string, documentId: string, name: string) => nameVersion(workflow, userId, documentId, name),
      compare: (userId: string, documentId: string, from: string, to: string) => compareVersions(workflow, userId, documentId, from, to),
      restore: (userId: string, documentId: string, versionId: string) => restoreVersion(workflow, userId, documentId, versionId),
    },
    comments: createComments(db, collab),
    /** Full-text search over the caller's own documents and their comments. */
    search: (userId: string, query: string) => search(db, userId, query),
    notifications: {
      list: (userId: string) => listNotifications(db, userId),
      markRead: (userId: string, notificationId: string) => markNotificationRead(db, userId, notificationId),
      markAllRead: (userId: string) => markAllNotificationsRead(db, userId),
    },
    export: {
      render: (userId: string, documentId: string, format: ExportFormat) =>
        exportDocument({ db, workers, flush: () => collab.flush() }, userId, documentId, format),
    },
    importDocx: (userId: string, file: { name: string; bytes: Buffer }, options?: { title?: string }) => importDocx({ db, workers }, userId, file, options),
    members: {
      add: async (actorId: string, documentId: string, input: { email: string; role: MemberRole }) =>
        notify(await addMember(db, actorId, documentId, input)),
      changeRole: async (actorId: string, documentId: string, userId: string, role: MemberRole) => {
        const change = await changeRole(db, actorId, documentId, userId, role);
        // A hand-over changes two people's roles; both of their open connections follow.
        if (change.previousChair) notify(change.previousChair);
        return notify(change);
      },
      remove: async (actorId: string, documentId: string, userId: string) => notify(await removeMember(db, actorId, documentId, userId)),
    },
  };
}

export type Services = ReturnType<typeof createServices>;
