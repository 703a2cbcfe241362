import type { z } from 'zod';
import { isLocale } from '../../common/i18n';
import { canonicalId } from '../../common/ids';
import { AppError, toResponse, type ErrorCode } from '../errors';
import { services } from '../registry';
import type { Services } from '../services';
import type { PublicUser } from '../users/users';
import { localeOfRequest } from './locale';

/**
 * The one wrapper for route handlers: it resolves the signed-in user (re-checked in the database on every
 * request), and for state-changing requests demands a same-origin `Origin` header and a JSON body of at most
 * `maxBodyBytes`, validated with zod. Errors become the API's JSON error format. A route that takes a file
 * says so with `multipart` (and its own byte cap); it gets the parsed form instead of a JSON body, with the same
 * Origin check and user.
 */
export const maxBodyBytes = 64 * 1024;

interface Context<B, P> {
  user: PublicUser;
  body: B;
  params: P;
  s: Services;
  req: Request;
  /** The parsed multipart/form-data body, for routes with the `multipart` option. */
  form: FormData | undefined;
}

type Options<S extends z.ZodType | undefined> = {
  body?: S;
  maxBytes?: number;
  multipart?: { maxBytes: number; tooLargeMessage?: string };
};

export function route<P = Record<string, string>, S extends z.ZodType | undefined = undefined>(
  options: Options<S>,
  handler: (ctx: Context<S extends z.ZodType ? z.infer<S> : undefined, P>) => Promise<Response>,
) {
  return async (req: Request, ctx: { params: Promise<P> }): Promise<Response> => {
    // Errors before sign-in is known speak the language of the cookie or the browser; after it, the person's own.
    let locale = localeOfRequest(req);
    try {
      const s = services();
      const mutating = !['GET', 'HEAD', 'OPTIONS'].includes(req.method);
      if (mutating) assertSameOrigin(req, s.config.publicUrl);
      const user = await s.currentUser(req.headers.get('cookie'));
      if (!user) throw new AppError('unauthorized', 'Not signed in.');
      if (isLocale(user.locale)) locale = user.locale;
      const body = options.body ? await readJson(req, options.body, options.maxBytes ?? maxBodyBytes) : undefined;
      const form = options.multipart
        ? await readMultipart(req, options.multipart.maxBytes, options.multipart.tooLargeMessage)
        : undefined;
      return await handler({ user, body: body as never, params: canonicalParams(await ctx.params), s, req, form });
    } catch (err) {
      return toResponse(err, locale);
    }
  };
}

/** What a malformed id in each path segment is: the same 404 as a well-formed id that does not exist. */
const unknownId: Record<string, [ErrorCode, string]> = {
  id: ['not_found:document', 'Document not found.'],
  threadId: ['not_found:thread', 'Thread not found.'],
  commentId: ['not_found:comment', 'Comment not found.'],
  userId: ['not_found:member', 'Not a member of this document.'],
  versionId: ['not_found:version', 'Version not found.'],
  notificationId: ['not_found:notification', 'Notification not found.'],
  roundId: ['not_found:round', 'Round not found.'],
  attachmentId: ['not_found:attachment', 'Attachment not found.'],
  groupId: ['not_found:group', 'Group not found.'],
  meetingId: ['not_found:meeting', 'Meeting not found.'],
};

/**
 * Path ids in their canonical form before anything uses them: `id` and every `…Id` segment must be a UUID and
 * become lower case; anything else is a 404, as for an id that does not exist.
 */
export function canonicalParams<P>(params: P): P {
  if (!params || typeof params !== 'object') return params;
  const out: Record<string, unknown> = { ...(params as Record<string, unknown>) };
  for (const [key, value] of Object.entries(out)) {
    if (key !== 'id' && !key.endsWith('Id')) continue;
    const id = canonicalId(value);
    if (!id) {
      const [code, message] = unknownId[key] ?? ['not_found', 'Not found.'];
      throw new AppError(code, message);
    }
    out[key] = id;
  }
  return out as P;
}

/** No cross-site request rides on the session cookie: the browser's Origin must be this site. */
export function assertSameOrigin(req: Request, publicUrl: string | undefined) {
  const origin = req.headers.get('origin');
  const host = req.headers.get('host');
  const allowed = new Set<string>();
  if (publicUrl) allowed.add(new URL(publicUrl).origin);
  if (host) {
    allowed.add(`http://${host}`);
    allowed.add(`https://${host}`);
  }
  if (!origin || !allowed.has(origin)) {
    throw new AppError('forbidden:origin', 'Cross-origin request refused.');
  }
}

export async function readJson<S extends z.ZodType>(req: Request, schema: S, maxBytes: number): Promise<z.infer<S>> {
  const type = req.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new AppError('unsupported_media_type', 'Body must be JSON (Content-Type: application/json).', {
      details: { expected: 'application/json' },
    });
  }
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const raw = new TextDecoder().decode(await readCapped(req, maxBytes));
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (cause) {
    throw new AppError('bad_request:json', 'Malformed JSON.', { cause });
  }
  assertStorableText(data);
  return validate(schema, data, 'body');
}

/** The query string (`?limit=…&cursor=…`), validated like a body: 400 `bad_request:validation` when it does not fit. */
export function readQuery<S extends z.ZodType>(req: Request, schema: S): z.infer<S> {
  return validate(schema, Object.fromEntries(new URL(req.url).searchParams), 'query');
}

function validate<S extends z.ZodType>(schema: S, data: unknown, what: 'body' | 'query'): z.infer<S> {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new AppError(
      'bad_request:validation',
      `Invalid input: ${issues.map((i) => `${i.path || what}: ${i.message}`).join('; ')}`,
      { details: issues },
    );
  }
  return parsed.data;
}

/** A NUL, or half of a UTF-16 surrogate pair without its other half. */
const unstorableChar = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * PostgreSQL text cannot hold NUL, and a lone surrogate is no character at all (it fails as UTF-8 on the way to the
 * database, in Yjs and in exports). JSON can carry both (`"\u0000"`, `"\uD800"`), so every string and key of every
 * body is checked once here, rather than each field failing somewhere deeper with a 500. Iterative: a deeply
 * nested body must not overflow the stack.
 */
export function assertStorableText(data: unknown): void {
  const stack: unknown[] = [data];
  while (stack.length) {
    const value = stack.pop();
    if (typeof value === 'string') {
      if (unstorableChar.test(value)) {
        throw new AppError('bad_request:text', 'Text contains an invalid character (NUL or a lone surrogate).');
      }
    } else if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
    } else if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) stack.push(key, v);
    }
  }
}

/** A multipart/form-data body of at most `maxBytes` (the cap holds whatever Content-Length claimed). */
export async function readMultipart(req: Request, maxBytes: number, tooLargeMessage?: string): Promise<FormData> {
  const type = req.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data\b/i.test(type)) {
    throw new AppError('unsupported_media_type', 'Body must be multipart/form-data.', {
      details: { expected: 'multipart/form-data' },
    });
  }
  if (Number(req.headers.get('content-length') ?? '0') > maxBytes) throw tooLarge(maxBytes, tooLargeMessage);
  const bytes = await readCapped(req, maxBytes, tooLargeMessage);
  try {
    return await new Response(new Uint8Array(bytes), { headers: { 'content-type': type } }).formData();
  } catch (cause) {
    throw new AppError('bad_request:multipart', 'Malformed multipart body.', {
      cause,
    });
  }
}

const tooLarge = (max: number, message?: string) =>
  new AppError('too_large', message ?? `Request body larger than ${max} bytes.`, {
    details: { maxBytes: max, maxMB: Math.max(1, Math.round(max / 2 ** 20)) },
  });

/** Reads the body but stops at `maxBytes`, whatever Content-Length claimed. */
async function readCapped(req: Request, maxBytes: number, tooLargeMessage?: string): Promise<Buffer> {
  if (!req.body) return Buffer.alloc(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes, tooLargeMessage);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
