import { route } from '@/server/http/route';

/** Pending invitations of a document (editors only). */
export const GET = route<{ id: string }>({}, async ({ user, params, s }) =>
  Response.json({ invitations: await s.invitations.pending(user.id, params.id) }),
);
