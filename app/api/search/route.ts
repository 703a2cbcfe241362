import { readQuery, route } from '../../../server/http/route';
import { searchQuerySchema } from '../../../server/search/schemas';

export const GET = route({}, async ({ user, s, req }) => {
  const { q } = readQuery(req, searchQuerySchema);
  return Response.json(await s.search(user.id, q));
});
