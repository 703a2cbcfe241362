/**
 * Ids in one canonical form. Every id Stukwerk hands out is a UUID in lower case; PostgreSQL's `uuid` type compares
 * case-insensitively, but the server also uses ids as keys of its own (the live document map, rate limits, rooms),
 * where `ABC…` and `abc…` would be two different documents. So every id that arrives from outside (a URL, a path,
 * a body, a WebSocket room) goes through `canonicalId` before it is used for anything, and anything that is not a
 * UUID is refused.
 */
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The canonical (lower-case) form of a UUID, or `undefined` for anything else. */
export function canonicalId(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || !uuidPattern.test(raw)) return undefined;
  return raw.toLowerCase();
}

export const isCanonicalId = (raw: unknown): raw is string => typeof raw === 'string' && canonicalId(raw) === raw;
