import { route } from '@/server/http/route';

export const POST = route({}, async ({ user, s }) => Response.json(await s.notifications.markAllRead(user.id)));
