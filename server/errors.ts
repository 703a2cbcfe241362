/**
 * The one error type of the domain. Codes read `<kind>:<subject>` (e.g. `forbidden:document`); the kind picks the
 * HTTP status, so adding a code never needs a new mapping. Messages are safe to show a person (Dutch first);
 * the `cause` stays on the server.
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
    options?: { cause?: unknown; details?: unknown; retryAfterSeconds?: number },
  ) {
    super(message, options);
    this.details = options?.details;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
  readonly details: unknown;
  /** For `unavailable:*`: when a client may try again (sent as `Retry-After`). */
  readonly retryAfterSeconds: number | undefined;

  get status(): number {
    return statusByKind[this.code.split(':')[0] as ErrorKind] ?? 500;
  }

  toJSON() {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } };
  }
}

export function isAppError(err: unknown): err is AppError {
  return typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[brand] === true;
}

/** Maps any thrown value to the JSON error of CONTRACT.md; unknown errors are logged and never shown. */
export function toResponse(err: unknown): Response {
  if (isAppError(err)) {
    const headers = err.retryAfterSeconds !== undefined ? { 'retry-after': String(Math.ceil(err.retryAfterSeconds)) } : undefined;
    return Response.json(err.toJSON(), { status: err.status, headers });
  }
  console.error('[http] unexpected error', err);
  return Response.json(
    { error: { code: 'internal', message: 'Er ging iets mis op de server. / Something went wrong on the server.' } },
    { status: 500 },
  );
}

export const notFoundDocument = () =>
  new AppError('not_found:document', 'Document niet gevonden. / Document not found.');
