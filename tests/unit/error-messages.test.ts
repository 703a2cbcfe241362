import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogues } from '../../common/i18n';
import { AppError, localizedMessage } from '../../server/errors';

/** Every `.ts` file under a folder. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('API error messages', () => {
  it('every error code the server throws has its own text in both languages', () => {
    const codes = new Set<string>();
    for (const file of [...sources('server'), ...sources('app')]) {
      for (const match of readFileSync(file, 'utf8').matchAll(/AppError\(\s*'([a-z_]+(?::[a-z_]+)?)'/g)) {
        codes.add(match[1]!);
      }
    }
    expect(codes.size).toBeGreaterThan(40);
    const missing = [...codes].filter((code) => !(code in catalogues.nl.errors) || !(code in catalogues.en.errors));
    expect(missing).toEqual([]);
  });

  it('reads the code in the person’s language, with the values from details', () => {
    const limited = new AppError('rate_limited', 'too many', { details: { action: 'comment', retryAfterSeconds: 7 } });
    expect(limited.toJSON('nl').error.message).toBe('Te veel reacties in korte tijd; probeer het over 7 s opnieuw.');
    expect(limited.toJSON('en').error.message).toBe('Too many comments in a short time; try again in 7 s.');
    const invalid = new AppError('bad_request:validation', 'x', { details: [{ path: 'title', message: 'too long' }] });
    expect(invalid.toJSON('en').error.message).toBe('Invalid input in: title.');
    expect(invalid.toJSON('en').error.details).toEqual([{ path: 'title', message: 'too long' }]);
  });

  it('falls back to the kind (also when the code’s text lacks a value), then to the server’s own words', () => {
    expect(localizedMessage('not_found:something_new', 'x', undefined, 'nl')).toBe('Niet gevonden.');
    expect(localizedMessage('too_large', 'server words', undefined, 'en')).toBe('server words');
    // A code's text that needs a value the error did not carry: the kind's text, still in the person's language.
    expect(localizedMessage('bad_request:validation', 'server words', undefined, 'nl')).toBe('Ongeldig verzoek.');
  });
});
