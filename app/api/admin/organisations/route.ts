import { route } from '@/server/http/route';

/** The organisations in use (derived from the people). Administrators only. */
export const GET = route({}, async ({ user, s }) =>
  Response.json({ organisations: await s.admin.organisations(user.id) }),
);
