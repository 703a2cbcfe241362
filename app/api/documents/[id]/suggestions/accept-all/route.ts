import { route } from '../../../../../../server/http/route';
import { decideAllSchema } from '../../../../../../server/suggestions/schemas';

/** Editors: every open suggestion of one person (`{authorId}`) at once. */
export const POST = route<{ id: string }, typeof decideAllSchema>(
  { body: decideAllSchema },
  async ({ user, params, body, s }) => Response.json(await s.suggestions.acceptAll(user.id, params.id, body)),
);
