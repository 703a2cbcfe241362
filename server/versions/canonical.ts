import { createHash } from 'node:crypto';
import { acceptedJSON, hasOpenSuggestions, type SuggestionJSONNode } from '../../common/suggestions';

/**
 * The rendered document of a version is its ProseMirror JSON serialised canonically: object keys sorted, no
 * whitespace. PostgreSQL's jsonb reorders keys, so the hash is always computed over this form, never over the
 * stored bytes; anyone can recompute it from the stored JSON.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The hash covers the accepted text only: a document with open suggestions hashes as its accepted view (every
 * suggestion rejected), so proposing wording never changes what a hash attests. Without suggestions that view is
 * the JSON itself.
 */
export function documentHash(json: unknown): string {
  const doc = json as SuggestionJSONNode; // stored ProseMirror JSON: the walk reads only type, content and marks
  return sha256Hex(canonicalJson(hasOpenSuggestions(doc) ? acceptedJSON(doc) : doc));
}

/**
 * The hash of a signed version. Without attachments it is the document's own hash (as before attachments
 * existed); with them, the canonical JSON of `{attachments: [{name, size, sha256}], document}` is hashed, so a
 * file swapped in storage, renamed, added or removed no longer matches the signed hash.
 */
export const signedHash = (json: unknown, attachments: readonly { name: string; size: number; sha256: string }[]) =>
  attachments.length
    ? sha256Hex(
        canonicalJson({
          attachments: attachments.map(({ name, size, sha256 }) => ({ name, size, sha256 })),
          document: json,
        }),
      )
    : documentHash(json);
