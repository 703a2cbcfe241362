import { route } from '../../../../../server/http/route';
import { openRoundSchema } from '../../../../../server/rounds/schemas';

export const GET = route<{ id: string }>({}, async ({ user, params, s }) =>
  Response.json({ rounds: await s.rounds.list(user.id, params.id) }),
);

export const POST = route<{ id: string }, typeof openRoundSchema>(
  { body: openRoundSchema },
  async ({ user, params, body, s }) =>
    Response.json({ round: await s.rounds.open(user.id, params.id, body) }, { status: 201 }),
);
