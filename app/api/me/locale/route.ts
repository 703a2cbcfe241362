import { route } from '@/server/http/route';
import { localeSchema } from '@/server/users/users';

/** The signed-in person's language: `PUT {locale: "nl" | "en"}` → 204. Pages, e-mails and exports follow it. */
export const PUT = route<Record<string, string>, typeof localeSchema>(
  { body: localeSchema },
  async ({ user, body, s }) => {
    await s.account.setLocale(user.id, body);
    return new Response(null, { status: 204 });
  },
);
