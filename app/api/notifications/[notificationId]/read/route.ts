import { route } from '@/server/http/route';

export const POST = route<{ notificationId: string }>({}, async ({ user, params, s }) =>
  Response.json(await s.notifications.markRead(user.id, params.notificationId)),
);
