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
import { addMember, changeRole, removeMember, type MembershipChange } from './documents/members';
import type { ServerConfig } from './env';
import type { CollabServer } from './collab/server';
import { compareVersions, nameVersion, restoreVersion, versionOf, versionsOf } from './versions/history';
import { latestSignedVersion } from './versions/versions';
import { changeStatus, reopen, signOff, type WorkflowDeps } from './workflow/workflow';
import { exportDocument } from './export/export';
import type { ExportFormat } from './export/formats';
import { importDocx } from './import/docx';
import { acceptInvitation, describeInvitation, type AcceptInvitationInput } from './invitations/accept';
import { inviteByEmail, listPendingInvitations, resendInvitation, withdrawInvitation } from './invitations/invitations';
import type { MailLinks } from './mail/links';
import { getPreferences, setPreferences, type Preferences } from './mail/preferences';
import { outboxCounts } from './mail/outbox';


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
  /** Links in mails; known once the server listens (its port may be 0 until then). */
  links: () => MailLinks;
  /** Asks the mail sender for a run now (an invitation should not wait for the next poll). */
  nudgeMail?: () => void;
}) {
  const { db, authSecret, config, collab, links } = deps;
  const nudge = <T>(value: T) => {
    deps.nudgeMail?.();
    return value;
  };
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
    notifications: {
      list: (userId: string) => listNotifications(db, userId),
      markRead: (userId: string, notificationId: string) => markNotificationRead(db, userId, notificationId),
      markAllRead: (userId: string) => markAllNotificationsRead(db, userId),
    },
    export: {
      render: (userId: string, documentId: string, format: ExportFormat) =>
        exportDocument({ db, flush: () => collab.flush() }, userId, documentId, format),
    },
    invitations: {
      pending: (actorId: string, documentId: string) => listPendingInvitations(db, actorId, documentId),
      withdraw: (actorId: string, documentId: string, invitationId: string) => withdrawInvitation(db, actorId, documentId, invitationId),
      resend: async (actorId: string, documentId: string, invitationId: string) =>
        nudge(await resendInvitation(db, links(), actorId, documentId, invitationId)),
      describe: (token: string) => describeInvitation(db, token),
      accept: (input: AcceptInvitationInput) => acceptInvitation(db, input),
    },
    /** The outbox by status, for /api/health and operators (failed mails are also logged). */
    mailCounts: () => outboxCounts(db),
    preferences: {
      get: (userId: string) => getPreferences(db, userId),
      set: (userId: string, input: Preferences) => setPreferences(db, userId, input),
    },
    importDocx: (userId: string, file: { name: string; bytes: Buffer }, options?: { title?: string }) => importDocx(db, userId, file, options),
    members: {
      /** An address without an account gets an invitation by e-mail instead: `{invited: true, email, role}`. */
      add: async (actorId: string, documentId: string, input: { email: string; role: MemberRole }) => {
        const result = await addMember(db, actorId, documentId, input, { invite: inviteByEmail(links()) });
        return 'invited' in result ? nudge(result) : notify(result);
      },
      changeRole: async (actorId: string, documentId: string, userId: string, role: MemberRole) =>
        notify(await changeRole(db, actorId, documentId, userId, role)),
      remove: async (actorId: string, documentId: string, userId: string) => notify(await removeMember(db, actorId, documentId, userId)),
    },
  };
}

export type Services = ReturnType<typeof createServices>;
