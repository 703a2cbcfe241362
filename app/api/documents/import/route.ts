import { isLocale } from '@/common/i18n';
import { AppError } from '@/server/errors';
import { route } from '@/server/http/route';
import { importLimits } from '@/server/import/limits';

/**
 * POST /api/documents/import — multipart/form-data with `file` (.docx, at most 10 MB) and optional `title`:
 * a new document from a Word file. The cap leaves room for the multipart framing around a 10 MB file.
 */
export const POST = route(
  {
    multipart: {
      maxBytes: importLimits.maxFileBytes + 64 * 1024,
      tooLargeMessage: 'The file is larger than 10 MB.',
    },
  },
  async ({ user, form, s }) => {
    s.rateLimit.take(user.id, 'import');
    const file = form?.get('file');
    if (!(file instanceof File)) throw new AppError('bad_request:file', 'Choose a .docx file.');
    const title = form?.get('title');
    if (title !== null && (typeof title !== 'string' || title.length > 300)) {
      throw new AppError('bad_request:validation', 'Title: at most 300 characters.', {
        details: [{ path: 'title', message: 'at most 300 characters' }],
      });
    }
    const bytes = Buffer.from(await file.arrayBuffer());
    const created = await s.import.docx(
      user.id,
      { name: file.name, bytes },
      { title: title ?? undefined, locale: isLocale(user.locale) ? user.locale : undefined },
    );
    return Response.json(created, { status: 201 });
  },
);
