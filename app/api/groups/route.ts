import { route } from '@/server/http/route';

/** The groups' names and sizes, for an editor's "add group" choice (any signed-in person). */
export const GET = route({}, async ({ s }) => Response.json({ groups: await s.groups.summaries() }));
