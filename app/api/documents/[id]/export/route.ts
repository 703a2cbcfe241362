import { z } from 'zod';
import { isLocale } from '@/common/i18n';
import { AppError } from '@/server/errors';
import { contentDisposition, exportFormats } from '@/server/export/formats';
import { route } from '@/server/http/route';

const formatSchema = z.enum(exportFormats);
const suggestionsSchema = z.enum(['0', '1']);

/**
 * GET /api/documents/:id/export?format=pdf|docx|html|md[&suggestions=1][&responses=1] — the stored document as a
 * file (members): the accepted text; with `suggestions=1` a Word file shows open suggestions as tracked changes and
 * the comment threads as Word comments; `responses=1` adds the municipalities' responses to the latest consultation
 * round as an appendix table.
 */
export const GET = route<{ id: string }>({}, async ({ user, params, s, req }) => {
  s.rateLimit.take(user.id, 'export');
  const query = new URL(req.url).searchParams;
  const format = formatSchema.safeParse(query.get('format') ?? 'pdf');
  if (!format.success) {
    throw new AppError('bad_request:format', `Unknown format; choose one of ${exportFormats.join(', ')}.`);
  }
  const suggestions = suggestionsSchema.safeParse(query.get('suggestions') ?? '0');
  if (!suggestions.success) throw new AppError('bad_request:suggestions', 'suggestions must be 0 or 1.');
  if (suggestions.data === '1' && format.data !== 'docx')
    throw new AppError('bad_request:suggestions', 'suggestions=1 needs format=docx.');
  const file = await s.export.render(user.id, params.id, format.data, {
    suggestions: suggestions.data === '1',
    responses: query.get('responses') === '1',
  });
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
