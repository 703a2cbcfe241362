import { z } from 'zod';

/** `POST /api/documents/:id/attachments?name=…`: the file's name, 1–255 characters (cleaned before it is stored). */
export const attachmentUploadQuery = z.strictObject({
  name: z.string({ message: 'file name missing (?name=)' }).min(1, 'file name is empty').max(255, 'file name too long'),
});

/**
 * `Content-Disposition: attachment` with an ASCII fallback (quotes, backslashes and anything outside printable
 * ASCII replaced) and the exact name as RFC 5987 `filename*`.
 */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
