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
export const documentHash = (json: SuggestionJSONNode) =>
  sha256Hex(canonicalJson(hasOpenSuggestions(json) ? acceptedJSON(json) : json));
