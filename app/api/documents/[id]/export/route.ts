import { z } from 'zod';
import { AppError } from '@/server/errors';
import { contentDisposition, exportFormats } from '@/server/export/formats';
import { route } from '@/server/http/route';

const formatSchema = z.enum(exportFormats);

/**
 * GET /api/documents/:id/export?format=pdf|docx|html|md[&responses=1] — the stored document as a file (members);
 * `responses=1` adds the municipalities' responses to the latest consultation round as an appendix table.
 */
export const GET = route<{ id: string }>({}, async ({ user, params, s, req }) => {
  s.rateLimit.take(user.id, 'export');
  const format = formatSchema.safeParse(new URL(req.url).searchParams.get('format') ?? 'pdf');
  if (!format.success) {
    throw new AppError(
      'bad_request:format',
      `Onbekend formaat; kies uit ${exportFormats.join(', ')}. / Unknown format.`,
    );
  }
  const responses = new URL(req.url).searchParams.get('responses') === '1';
  const file = await s.export.render(user.id, params.id, format.data, { responses });
  return new Response(new Uint8Array(file.bytes), {
    headers: {
      'content-type': file.contentType,
      'content-disposition': contentDisposition(file.fileName),
      'content-length': String(file.bytes.length),
      // A member's export must not be kept by shared caches, and a signed-off export is audited per download.
      'cache-control': 'private, no-store',
    },
  });
});
