import { route } from '@/server/http/route';

type Params = { id: string; versionId: string };

export const POST = route<Params>({}, async ({ user, params, s }) =>
  Response.json(await s.versions.restore(user.id, params.id, params.versionId)),
);
