import { duplicateDocumentSchema } from '../../../../../server/documents/schemas';
import { route } from '../../../../../server/http/route';

export const POST = route<{ id: string }, typeof duplicateDocumentSchema>(
  { body: duplicateDocumentSchema },
  async ({ user, params, body, s }) =>
    Response.json(await s.documents.duplicate(user.id, params.id, body.title), { status: 201 }),
);
