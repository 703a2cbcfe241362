import { services } from '@/server/registry';

/**
 * For load balancers and operators: 200 `ok` only when the database answers (a process that cannot reach it cannot
 * serve anyone), else 503 `unavailable`; and how many accepted updates still wait for the group commit.
 */
/** Answered at request time, never built ahead: the answer is about this moment. */
export const dynamic = 'force-dynamic';

export async function GET() {
  const s = services();
  const collab = { loadedDocuments: s.collab.documentCount, pendingUpdates: s.collab.pendingUpdates };
  if (!(await s.databaseAnswers())) return Response.json({ status: 'unavailable', ...collab }, { status: 503 });
  return Response.json({ status: 'ok', ...collab, mail: await s.mailCounts() });
}
