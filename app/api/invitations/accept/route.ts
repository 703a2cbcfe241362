import { toResponse } from '@/server/errors';
import { localeOfRequest } from '@/server/http/locale';
import { assertSameOrigin, maxBodyBytes, readJson } from '@/server/http/route';
import { acceptInvitationSchema } from '@/server/invitations/accept';
import { services } from '@/server/registry';

/**
 * Accepts an invitation: `{token, name, password}` → 201 `{email, documentId}`. No session is needed (the token is
 * the proof); the page then signs in through the credentials provider with the new password.
 */
export async function POST(req: Request): Promise<Response> {
  try {
    const s = services();
    assertSameOrigin(req, s.config.publicUrl);
    const body = await readJson(req, acceptInvitationSchema, maxBodyBytes);
    const { email, documentId } = await s.invitations.accept(body);
    return Response.json({ email, documentId }, { status: 201 });
  } catch (err) {
    return toResponse(err, localeOfRequest(req));
  }
}
