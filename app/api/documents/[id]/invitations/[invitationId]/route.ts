import { route } from '@/server/http/route';

/** Withdraws a pending invitation: its link stops working at once. */
export const DELETE = route<{ id: string; invitationId: string }>({}, async ({ user, params, s }) =>
  Response.json(await s.invitations.withdraw(user.id, params.id, params.invitationId)),
);
