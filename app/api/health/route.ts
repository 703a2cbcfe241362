import { services } from '../../../server/registry';

/** For load balancers and operators: up, and how many accepted updates still wait for the group commit. */
export async function GET() {
  const s = services();
  return Response.json({ status: 'ok', loadedDocuments: s.collab.documentCount, pendingUpdates: s.collab.pendingUpdates });
}
