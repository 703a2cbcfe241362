import type { PersonView } from './comments';

/**
 * What is still open on a document when the chair signs (`GET /api/documents/:id/sign-off`, see docs/api.md):
 * unresolved comment threads, the latest consultation round (open, or closed: moving to `ready` closes it) and who
 * in it did not answer, and the version the round was asked about (to compare the text with). One definition for
 * the server (server/workflow/open-items.ts computes it) and the sign-off dialog that shows it.
 */
export interface OpenItems {
  threads: number;
  round: {
    id: string;
    status: 'open' | 'closed';
    /** ISO 8601. */
    dueAt: string;
    notAnswered: PersonView[];
  } | null;
  /** The newest version stored when the latest round opened: `/documents/:id/compare?from=<this>` shows the changes since. */
  roundVersionId: string | null;
}

/** Whether signing now means signing with open items (the dialog asks for a tick; the audit event records it). */
export const hasOpenItems = (items: OpenItems) =>
  items.threads > 0 || items.round?.status === 'open' || !!items.round?.notAnswered.length;
