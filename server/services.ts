import type { AuthOptions } from 'next-auth';
import type { Database } from '../db/client';
import { createAuthOptions } from './auth/options';
import { userFromCookieHeader } from './auth/session';
import type { CollabServer } from './collab/server';
import { createComments } from './comments/comments';
import { createNotifications } from './comments/notifications';
import { createDocuments } from './documents/documents';
import { createLifecycle } from './documents/lifecycle';
import { collectGarbage, createAttachments } from './attachments/attachments';
import { blobStore, type BlobStore } from './attachments/storage';
import { createMembers } from './documents/members';
import type { ServerConfig } from './env';
import { createExports } from './export/export';
import { databaseAnswers } from './health';
import { search } from './search/search';
import { createRateLimiter, type RateLimits } from './http/rate-limit';
import { createImports } from './import/docx';
import { createVersions } from './versions/history';
import { createRounds } from './rounds/rounds';
import { createSuggestions } from './suggestions/suggestions';
import type { ServerPool } from './workers/server-pool';
import { createWorkflow } from './workflow/workflow';
import { createInvitations, inviteByEmail } from './invitations/invitations';
import type { MailLinks } from './mail/links';
import { outboxCounts } from './mail/outbox';
import { createPreferences } from './mail/preferences';
import { setLocale } from './users/users';
import { bindDeps } from './wiring';
import { createAdmin } from './admin/admin';
import { createGroups } from './groups/groups';
import { createMeetings } from './meetings/meetings';

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
  /** Links in mails; known once the server listens (its port may be 0 until then). */
  links: () => MailLinks;
  /** Asks the mail sender for a run now (an invitation should not wait for the next poll). */
  nudgeMail?: () => void;
  /** A round was opened: the deadline timer (server/rounds/deadlines.ts) wakes no later than its due date. */
  roundScheduled?: (dueAt: Date) => void;
  /** How long deleted documents can be restored before the purge removes them (default 30 days; tests shorten it). */
  retentionMs?: number;
  /** Where attachment files live; default DATA_DIR/files, or the bucket of `config.s3Url`. */
  files?: BlobStore;
}) {
  const { db, authSecret, config, collab, workers, links } = deps;
  const files = deps.files ?? blobStore({ dataDir: config.dataDir, s3Url: config.s3Url });
  const rounds = createRounds({
    db,
    live: collab,
    links,
    mailQueued: deps.nudgeMail,
    versionAtOpen: (userId, documentId) => createVersions({ db, collab }).name(userId, documentId, 'Consultatieronde'),
    scheduled: (dueAt) => deps.roundScheduled?.(dueAt),
  });
  const members = createMembers({ db, collab, invite: () => inviteByEmail(links()), invited: deps.nudgeMail });
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
      ...createDocuments({ db }),
      ...createLifecycle({
        db,
        collab,
        retentionMs: deps.retentionMs,
        filesReleased: (shas) => collectGarbage({ db, store: files }, shas),
      }),
    },
    /** Bijlagen: upload, list, download, remove; the check of a signed version against storage. */
    attachments: createAttachments({ db, store: files }),
    files,
    members,
    /** Administration (people, organisations); every call checks that the actor is an administrator. */
    admin: createAdmin({ db }),
    /** "All mayors"-style groups; an editor adds one to a document: every person a member, in one transaction. */
    groups: createGroups({ db, membershipChanged: (change) => collab.membershipChanged(change) }),
    meetings: createMeetings({ db, collab, workers }),
    invitations: createInvitations({ db, links, sent: deps.nudgeMail }),
    preferences: createPreferences({ db }),
    /** The signed-in person's own account settings (their language). */
    account: bindDeps(db, { setLocale }),
    /** The outbox by status, for /api/health and operators (failed mails are also logged). */
    mailCounts: () => outboxCounts(db),
    workflow: createWorkflow({ db, collab, rounds }),
    versions: createVersions({ db, collab }),
    comments: createComments({ db, collab }),
    suggestions: createSuggestions({ db, collab }),
    notifications: createNotifications({ db }),
    export: createExports({ db, workers, flush: () => collab.flush() }),
    import: createImports({ db, workers }),
    rounds,
    /** Full-text search over the caller's own documents and their comments. */
    search: (userId: string, query: string) => search(db, userId, query),
  };
}

export type Services = ReturnType<typeof createServices>;
