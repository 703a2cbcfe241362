import { Readable } from 'node:stream';
import { contentDisposition } from '@/server/attachments/schemas';
import { route } from '@/server/http/route';

/**
 * Download (members): always as an attachment with the type found at upload, never sniffed or shown inline, so a
 * file cannot run as a page of this site.
 */
export const GET = route<{ id: string; attachmentId: string }>({}, async ({ user, params, s }) => {
  const file = await s.attachments.open(user.id, params.id, params.attachmentId);
  return new Response(Readable.toWeb(file.stream) as ReadableStream<Uint8Array>, {
    headers: {
      'content-type': file.contentType,
      'content-length': String(file.size),
      'content-disposition': contentDisposition(file.name),
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
      'content-security-policy': "default-src 'none'; sandbox",
    },
  });
});

/** Remove (editors, while the document is a draft or in review). */
export const DELETE = route<{ id: string; attachmentId: string }>({}, async ({ user, params, s }) =>
  Response.json(await s.attachments.remove(user.id, params.id, params.attachmentId)),
);
