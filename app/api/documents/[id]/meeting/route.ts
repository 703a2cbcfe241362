import { route } from '@/server/http/route';
import { placeOnAgendaSchema } from '@/server/meetings/schemas';

/** Where the document is on a meeting's agenda (members), placing it there or taking it off (editors). */
export const GET = route<{ id: string }>({}, async ({ user, params, s }) => {
  // Membership first: a non-member gets the document's 404.
  await s.documents.get(user.id, params.id);
  return Response.json({ agenda: await s.meetings.entryOf(params.id) });
});

export const PUT = route<{ id: string }, typeof placeOnAgendaSchema>(
  { body: placeOnAgendaSchema },
  async ({ user, params, body, s }) => Response.json({ agenda: await s.meetings.place(user.id, params.id, body) }),
);

export const DELETE = route<{ id: string }>({}, async ({ user, params, s }) => {
  await s.meetings.remove(user.id, params.id);
  return new Response(null, { status: 204 });
});
