import { readJson, route } from '@/server/http/route';
import { signOffSchema } from '@/server/workflow/schemas';

/** What is still open (the sign-off dialog), computed by the server. */
export const GET = route<{ id: string }>({}, async ({ user, params, s }) =>
  Response.json(await s.workflow.signOffCheck(user.id, params.id)),
);

/** A body is optional: `{acknowledgeOpenItems: true}` when the chair signs despite open items (recorded in the audit). */
export const POST = route<{ id: string }>({}, async ({ user, params, s, req }) => {
  const body = req.headers.get('content-type') ? await readJson(req, signOffSchema, 1_024) : {};
  return Response.json(await s.workflow.signOff(user.id, params.id, { acknowledged: body.acknowledgeOpenItems }));
});
