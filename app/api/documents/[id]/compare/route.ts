import { AppError } from '@/server/errors';
import { route } from '@/server/http/route';

/** `?from=<versionId>&to=<versionId>|current`: an inline word difference. */
export const GET = route<{ id: string }>({}, async ({ user, params, s, req }) => {
  const query = new URL(req.url).searchParams;
  const from = query.get('from');
  const to = query.get('to') ?? 'current';
  if (!from)
    throw new AppError('bad_request:validation', 'from is required', {
      details: [{ path: 'from', message: 'required' }],
    });
  return Response.json(await s.versions.compare(user.id, params.id, from, to));
});
