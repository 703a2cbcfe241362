import { route } from '@/server/http/route';

export const GET = route({}, async ({ user, s }) => Response.json(await s.notifications.list(user.id)));
