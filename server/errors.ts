import { catalogues, defaultLocale, translator, type Locale } from '../common/i18n';

/**
 * The one error type of the domain. Codes read `<kind>:<subject>` (e.g. `forbidden:document`); the kind picks the
 * HTTP status, so adding a code never needs a new mapping. What a person reads is the code's text in their
 * language from the catalogues (`errors.<code>`, else `errors.<kind>`), filled in from `details`; the message given
 * here is the server's own description (logs, and the text when a catalogue has neither). The `cause` stays on the
 * server.
 */
const statusByKind = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media_type: 415,
  invalid: 422,
  /** Too many writes by one person in a short time (server/http/rate-limit.ts); comes with `Retry-After`. */
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorKind = keyof typeof statusByKind;
export type ErrorCode = ErrorKind | `${ErrorKind}:${string}`;

/** A brand instead of `instanceof`: Next.js bundles its own copy of this module beside the server's. */
const brand = Symbol.for('stukwerk.AppError');

export class AppError extends Error {
  override name = 'AppError';
  readonly [brand] = true;
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; details?: unknown; headers?: Record<string, string>; retryAfterSeconds?: number },
  ) {
    super(message, options);
    this.details = options?.details;
    this.retryAfterSeconds = options?.retryAfterSeconds;
    const headers: Record<string, string> = { ...options?.headers };
    if (this.retryAfterSeconds !== undefined) headers['retry-after'] = String(Math.ceil(this.retryAfterSeconds));
    this.headers = Object.keys(headers).length ? headers : undefined;
  }
  readonly details: unknown;
  /** With 429 `rate_limited` and 503 `unavailable:*`: when a client may try again (sent as `Retry-After`). */
  readonly retryAfterSeconds: number | undefined;
  /** Response headers that belong to the error, e.g. `Retry-After`. */
  readonly headers: Record<string, string> | undefined;

  get status(): number {
    return statusByKind[this.code.split(':')[0] as ErrorKind] ?? 500;
  }

  toJSON(locale: Locale = defaultLocale) {
    return {
      error: {
        code: this.code,
        message: localizedMessage(this.code, this.message, this.details, locale),
        ...(this.details ? { details: this.details } : {}),
      },
    };
  }
}

/**
 * The text for an error code in a language: `errors.<kind>:<subject>`, else `errors.<kind>`, with the scalar
 * values of `details` as ICU arguments (`{maxMB}`, `{retryAfterSeconds}`, …).
 */
export function localizedMessage(code: string, fallback: string, details: unknown, locale: Locale): string {
  const messages = catalogues[locale].errors as Record<string, string>;
  const key = code in messages ? code : code.split(':')[0]!;
  if (!(key in messages)) return fallback;
  const values: Record<string, string | number> = {};
  if (Array.isArray(details)) {
    // Validation issues (`[{path, message}]`): the fields that were wrong, named as the API names them.
    values.fields = [...new Set(details.map((d: { path?: unknown }) => String(d?.path ?? '') || '—'))].join(', ');
  } else if (details && typeof details === 'object') {
    for (const [name, value] of Object.entries(details)) {
      if (typeof value === 'string' || typeof value === 'number') values[name] = value;
    }
  }
  const t = translator(locale);
  // Keys hold a colon, which next-intl's typed keys do not model; the lookups check that they exist.
  const attempt = (k: string) => {
    try {
      return t(`errors.${k}` as never, values as never);
    } catch {
      return undefined; // an argument the message needs is missing
    }
  };
  // Then the kind's general text in the person's language; the server's own (English) words only as a last resort.
  const kind = code.split(':')[0]!;
  return attempt(key) ?? (kind !== key && kind in messages ? attempt(kind) : undefined) ?? fallback;
}

export function isAppError(err: unknown): err is AppError {
  return typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[brand] === true;
}

/**
 * Errors that mean "the database cannot be reached now", not "this request is wrong": node-postgres' socket errors
 * and messages, PostgreSQL's connection-exception class (08…) and shutdown codes (57P01–57P03), and the embedded
 * database's thread having stopped or closed (db/pglite-thread.ts). Drizzle wraps driver errors, so the whole
 * `cause` chain is searched (and an AggregateError's errors: Node reports a refused dual-stack connect as one).
 */
const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  '57P01',
  '57P02',
  '57P03',
]);
const unavailableMessages =
  /Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|Cannot use a pool after calling end|database thread stopped|database is closed|PGlite is closed/i;

export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (depth > 8 || typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && (unavailableCodes.has(e.code) || e.code.startsWith('08'))) return true;
  if (typeof e.message === 'string' && unavailableMessages.test(e.message)) return true;
  if (Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}

export const databaseUnavailable = (cause: unknown) =>
  new AppError('unavailable:database', 'The database is unavailable; try again shortly.', {
    cause,
  });

/** Maps any thrown value to the API's JSON error (`{error: {code, message}}`); unknown errors are logged and never shown. */
export function toResponse(err: unknown, locale: Locale = defaultLocale): Response {
  if (isAppError(err)) {
    return Response.json(err.toJSON(locale), { status: err.status, headers: err.headers });
  }
  if (isDatabaseUnavailable(err)) {
    // Logged with its cause for the operator; the client learns only that it may try again.
    console.error('[http] database unavailable:', describeError(err));
    const unavailable = databaseUnavailable(err);
    return Response.json(unavailable.toJSON(locale), { status: unavailable.status, headers: { 'retry-after': '5' } });
  }
  // The cause in one line and where it was thrown; never the whole error, whose query parameters are people's text.
  console.error('[http] unexpected error:', describeError(err), stackFrames(err));
  return Response.json(
    { error: { code: 'internal', message: localizedMessage('internal', 'internal error', undefined, locale) } },
    { status: 500 },
  );
}

export const notFoundDocument = () => new AppError('not_found:document', 'Document not found.');

/**
 * A short, safe description of an error for the server log: its name, code and message (the innermost cause's),
 * cut to one line. Never the whole object: a failed query's error carries its parameters, and those are document
 * updates and comment texts, which must not end up in a log (nor megabytes of them during an outage).
 */
export function describeError(err: unknown): string {
  let inner: unknown = err;
  for (let depth = 0; depth < 5 && inner instanceof Error && inner.cause instanceof Error; depth++) inner = inner.cause;
  if (!(inner instanceof Error)) return String(inner).slice(0, 200);
  const code = (inner as { code?: unknown }).code;
  const message = inner.message.split(/\n|params:/)[0]!.slice(0, 200);
  return `${inner.name}${typeof code === 'string' ? ` ${code}` : ''}: ${message}`;
}

/** The stack's frames without its first line (which repeats the message, query parameters and all). */
function stackFrames(err: unknown): string {
  return err instanceof Error && err.stack
    ? err.stack
        .split('\n')
        .filter((line) => /^\s+at /.test(line))
        .slice(0, 5)
        .join('\n')
    : '';
}
