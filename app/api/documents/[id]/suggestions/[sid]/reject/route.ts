import { route } from '../../../../../../../server/http/route';

export const POST = route<{ id: string; sid: string }>({}, async ({ user, params, s }) =>
  Response.json(await s.suggestions.reject(user.id, params.id, params.sid)),
);
