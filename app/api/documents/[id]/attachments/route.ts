import { AppError } from '@/server/errors';
import { attachmentLimits } from '@/common/attachments';
import { tooLargeAttachment } from '@/server/attachments/storage';
import { attachmentUploadQuery } from '@/server/attachments/schemas';
import { readQuery, route } from '@/server/http/route';

/** The document's attachments (members). */
export const GET = route<{ id: string }>({}, async ({ user, params, s }) =>
  Response.json(await s.attachments.list(user.id, params.id)),
);

/**
 * Upload (editors): the file itself is the request body (any Content-Type but JSON or a form), its name in
 * `?name=`. Streamed to disk with the 25 MB cap enforced while it arrives; the type is read from the content.
 */
export const POST = route<{ id: string }>({}, async ({ user, params, s, req }) => {
  const { name } = readQuery(req, attachmentUploadQuery);
  const type = req.headers.get('content-type') ?? '';
  if (/^(application\/json|multipart\/form-data)\b/i.test(type))
    throw new AppError('unsupported_media_type', 'Send the file itself as the body.', {
      details: { expected: 'application/octet-stream' },
    });
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > attachmentLimits.maxBytes) throw tooLargeAttachment(attachmentLimits.maxBytes);
  const created = await s.attachments.upload(user.id, params.id, name, req.body);
  return Response.json(created, { status: 201 });
});
