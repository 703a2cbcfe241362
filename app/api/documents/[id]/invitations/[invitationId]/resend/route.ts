import { route } from '@/server/http/route';

/** Mails a pending (or expired) invitation again with a new link, valid for seven days; the old link stops working. */
export const POST = route<{ id: string; invitationId: string }>({}, async ({ user, params, s }) =>
  Response.json(await s.invitations.resend(user.id, params.id, params.invitationId)),
);
