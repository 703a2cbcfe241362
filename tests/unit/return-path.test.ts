import { describe, expect, it } from 'vitest';
import { safeReturnPath } from '../../server/http/return-path';

describe('safeReturnPath (after sign-in)', () => {
  it('keeps a path on this site with its query', () => {
    expect(safeReturnPath('/documents/abc?thread=1')).toBe('/documents/abc?thread=1');
    expect(safeReturnPath(undefined)).toBe('/');
    expect(safeReturnPath(['/a', '/b'])).toBe('/a');
  });

  it.each([
    'https://evil.example/x',
    '//evil.example',
    '/.//evil.example',
    '/..//evil.example',
    '/%2e//evil.example',
    '/\\evil.example',
    'javascript:alert(1)',
  ])('never leaves the site for %s', (input) => {
    const path = safeReturnPath(input);
    expect(path.startsWith('/')).toBe(true);
    expect(path.startsWith('//')).toBe(false);
    expect(path.startsWith('/\\')).toBe(false);
    expect(new URL(path, 'https://stukwerk.example').origin).toBe('https://stukwerk.example');
  });

  it('accepts a full URL on the public address', () => {
    expect(safeReturnPath('https://stukwerk.vrtwente.nl/documents/x', 'https://stukwerk.vrtwente.nl')).toBe(
      '/documents/x',
    );
  });
});
