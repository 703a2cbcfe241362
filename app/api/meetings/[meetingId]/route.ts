import { route } from '@/server/http/route';
import { updateMeetingSchema } from '@/server/meetings/schemas';

/** GET: the meeting and the agenda items the reader is a member of; PATCH: change body, date or location. */
export const GET = route<{ meetingId: string }>({}, async ({ user, params, s }) =>
  Response.json({ meeting: await s.meetings.get(user.id, params.meetingId) }),
);

export const PATCH = route<{ meetingId: string }, typeof updateMeetingSchema>(
  { body: updateMeetingSchema },
  async ({ user, params, body, s }) => Response.json(await s.meetings.update(user.id, params.meetingId, body)),
);
