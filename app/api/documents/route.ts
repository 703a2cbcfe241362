import { createDocumentSchema } from '@/server/documents/schemas';
import { route } from '@/server/http/route';

export const GET = route({}, async ({ user, s }) => Response.json({ documents: await s.documents.list(user.id) }));

export const POST = route({ body: createDocumentSchema }, async ({ user, body, s }) =>
  Response.json(await s.documents.create(user.id, body), { status: 201 }),
);
