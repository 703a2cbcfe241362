import { route } from '../../../../../server/http/route';

/** The open suggestions of a document, in document order. */
export const GET = route<{ id: string }>({}, async ({ user, params, s }) =>
  Response.json(await s.suggestions.list(user.id, params.id)),
);
