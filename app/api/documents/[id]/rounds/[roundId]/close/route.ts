import { route } from '../../../../../../../server/http/route';

export const POST = route<{ id: string; roundId: string }>({}, async ({ user, params, s }) =>
  Response.json({ round: await s.rounds.close(user.id, params.id, params.roundId) }),
);
