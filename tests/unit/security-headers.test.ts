import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { applySecurityHeaders } from '../../server/http/security';

/** The headers `applySecurityHeaders` sets on a response, for a given PUBLIC_URL. */
function headersFor(publicUrl: string | undefined) {
  const set = new Map<string, string>();
  const req = { headers: {} } as IncomingMessage;
  const res = {
    setHeader: (name: string, value: string) => set.set(name.toLowerCase(), value),
  } as unknown as ServerResponse;
  applySecurityHeaders(req, res, false, publicUrl);
  return set;
}

describe('Strict-Transport-Security', () => {
  it('is sent for a year, subdomains included, when the public address is https', () => {
    expect(headersFor('https://stukwerk.vrtwente.nl').get('strict-transport-security')).toBe(
      'max-age=31536000; includeSubDomains',
    );
  });

  it('is not sent on http or without a public address (it would be ignored, or lock out a site without https)', () => {
    expect(headersFor('http://localhost:3000').has('strict-transport-security')).toBe(false);
    expect(headersFor(undefined).has('strict-transport-security')).toBe(false);
    expect(headersFor(undefined).get('x-frame-options')).toBe('DENY');
  });
});
