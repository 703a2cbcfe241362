import { route } from '@/server/http/route';
import { preferencesSchema } from '@/server/mail/preferences';

/** The signed-in person's e-mail preference: `{email: "immediate" | "daily" | "off"}`. */
export const GET = route({}, async ({ user, s }) => Response.json(await s.preferences.get(user.id)));

export const PATCH = route<Record<string, string>, typeof preferencesSchema>(
  { body: preferencesSchema },
  async ({ user, body, s }) => Response.json(await s.preferences.set(user.id, body)),
);
