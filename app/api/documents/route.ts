import { createDocumentSchema, listDocumentsQuery } from '@/server/documents/schemas';
import { readQuery, route } from '@/server/http/route';

/** The caller's documents; archived ones only with `?archived=only` or `?archived=include`. */
export const GET = route({}, async ({ user, s, req }) =>
  Response.json({ documents: await s.documents.list(user.id, readQuery(req, listDocumentsQuery)) }),
);

export const POST = route({ body: createDocumentSchema }, async ({ user, body, s }) =>
  Response.json(await s.documents.create(user.id, body), { status: 201 }),
);
