import { route } from '@/server/http/route';
import { renameDocumentSchema } from '@/server/documents/schemas';

export const GET = route<{ id: string }>({}, async ({ user, params, s }) =>
  Response.json(await s.documents.get(user.id, params.id)),
);

/** Rename (editors). */
export const PATCH = route<{ id: string }, typeof renameDocumentSchema>(
  { body: renameDocumentSchema },
  async ({ user, params, body, s }) => Response.json(await s.documents.rename(user.id, params.id, body.title)),
);

/** Soft delete (editors of a draft); restorable for 30 days through `POST …/restore`. */
export const DELETE = route<{ id: string }>({}, async ({ user, params, s }) =>
  Response.json(await s.documents.delete(user.id, params.id)),
);
