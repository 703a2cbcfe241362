import { route } from '../../../../../../../server/http/route';
import { roundResponseSchema } from '../../../../../../../server/rounds/schemas';

export const PUT = route<{ id: string; roundId: string }, typeof roundResponseSchema>(
  { body: roundResponseSchema },
  async ({ user, params, body, s }) =>
    Response.json({ round: await s.rounds.respond(user.id, params.id, params.roundId, body) }),
);
