import { route } from '@/server/http/route';

/** Unarchive (editors): writable again as its status allows, and back in the default list. */
export const POST = route<{ id: string }>({}, async ({ user, params, s }) =>
  Response.json(await s.documents.archive(user.id, params.id, false)),
);
