import { contentDisposition } from '@/server/export/formats';
import { route } from '@/server/http/route';

/** GET: the agenda as a PDF (rendered in the worker pool), with the items the reader may see. */
export const GET = route<{ meetingId: string }>({}, async ({ user, params, s }) => {
  s.rateLimit.take(user.id, 'export');
  const file = await s.meetings.exportPdf(user, params.meetingId);
  return new Response(new Uint8Array(file.bytes), {
    headers: {
      'content-type': 'application/pdf',
      'content-disposition': contentDisposition(file.fileName),
      'content-length': String(file.bytes.length),
      'cache-control': 'private, no-store',
    },
  });
});
