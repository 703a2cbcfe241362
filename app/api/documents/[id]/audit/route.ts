import { route } from '@/server/http/route';

export const GET = route<{ id: string }>({}, async ({ user, params, s }) =>
  Response.json({ events: await s.documents.audit(user.id, params.id) }),
);
