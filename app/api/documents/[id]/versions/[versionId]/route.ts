import { route } from '@/server/http/route';

type Params = { id: string; versionId: string };

export const GET = route<Params>({}, async ({ user, params, s }) =>
  Response.json(await s.versions.get(user.id, params.id, params.versionId)),
);
