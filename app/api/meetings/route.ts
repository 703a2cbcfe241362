import { route } from '@/server/http/route';
import { createMeetingSchema } from '@/server/meetings/schemas';

/** GET: every meeting (any signed-in person); POST {body, date, location}: plan one (administrators and editors). */
export const GET = route({}, async ({ s }) => Response.json({ meetings: await s.meetings.list() }));

export const POST = route<Record<string, string>, typeof createMeetingSchema>(
  { body: createMeetingSchema },
  async ({ user, body, s }) => Response.json({ meeting: await s.meetings.create(user.id, body) }, { status: 201 }),
);
