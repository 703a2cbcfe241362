import { route } from '../../../../../../server/http/route';

export const GET = route<{ id: string; roundId: string }>({}, async ({ user, params, s }) =>
  Response.json({ round: await s.rounds.get(user.id, params.id, params.roundId) }),
);
