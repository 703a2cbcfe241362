import { services } from '../../../server/registry';

/**
 * For load balancers and operators: up, how many accepted updates still wait for the group commit, and the mail
 * outbox by status (`failed` > 0 needs a look: those mails were given up after 24 hours or refused by the SMTP server).
 */
export async function GET() {
  const s = services();
  return Response.json({ status: 'ok', loadedDocuments: s.collab.documentCount, pendingUpdates: s.collab.pendingUpdates, mail: await s.mailCounts() });
}
