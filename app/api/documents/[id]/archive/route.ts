import { route } from '@/server/http/route';

/** Archive (editors): read-only for everyone and out of the default list, until `POST …/unarchive`. */
export const POST = route<{ id: string }>({}, async ({ user, params, s }) =>
  Response.json(await s.documents.archive(user.id, params.id, true)),
);
