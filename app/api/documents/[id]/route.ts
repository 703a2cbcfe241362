import { route } from '@/server/http/route';

export const GET = route<{ id: string }>({}, async ({ user, params, s }) => Response.json(await s.documents.get(user.id, params.id)));
