import { describe, expect, it } from 'vitest';
import { organisationFromClaims } from '../../server/auth/oidc-organisation';
import { loadConfig } from '../../server/env';

/**
 * OIDC_ORGANISATION_CLAIM without an identity provider: the mapping from ID-token claims to an organisation, and
 * the configuration. The sign-in callback that calls it (server/auth/options.ts) needs a real IdP and is not
 * exercised here.
 */
describe('organisationFromClaims', () => {
  it('takes a string claim, trimmed and with single spaces', () => {
    expect(organisationFromClaims({ organisation: '  Gemeente   Enschede ' }, 'organisation')).toBe(
      'Gemeente Enschede',
    );
  });

  it('takes the first entry of a list (Keycloak multi-valued attributes)', () => {
    expect(organisationFromClaims({ org: ['Veiligheidsregio Twente', 'Gemeente Almelo'] }, 'org')).toBe(
      'Veiligheidsregio Twente',
    );
  });

  it('follows a dotted path into nested claims, and prefers a claim literally named with dots', () => {
    expect(organisationFromClaims({ org: { name: 'Gemeente Hengelo' } }, 'org.name')).toBe('Gemeente Hengelo');
    expect(organisationFromClaims({ 'org.name': 'Letterlijk', org: { name: 'Genest' } }, 'org.name')).toBe(
      'Letterlijk',
    );
  });

  it.each([
    ['no claim configured', { organisation: 'X' }, undefined],
    ['a missing claim', {}, 'organisation'],
    ['an empty string', { organisation: '   ' }, 'organisation'],
    ['a number', { organisation: 42 }, 'organisation'],
    ['an object', { organisation: { a: 1 } }, 'organisation'],
    ['an empty list', { organisation: [] }, 'organisation'],
    ['more than 200 characters', { organisation: 'x'.repeat(201) }, 'organisation'],
    ['a path through the prototype', {}, 'constructor.name'],
  ])('ignores %s', (_what, claims, claim) => {
    expect(organisationFromClaims(claims as Record<string, unknown>, claim)).toBeUndefined();
  });
});

describe('OIDC_ORGANISATION_CLAIM', () => {
  const oidc = { OIDC_ISSUER: 'https://sso.example.nl/realms/twente', OIDC_CLIENT_ID: 'c', OIDC_CLIENT_SECRET: 's' };
  it('is read into the OIDC configuration, and is optional', () => {
    expect(loadConfig({ ...oidc, OIDC_ORGANISATION_CLAIM: 'organisation' }).oidc?.organisationClaim).toBe(
      'organisation',
    );
    expect(loadConfig(oidc).oidc?.organisationClaim).toBeUndefined();
  });
  it('refuses a value that is not a claim name', () => {
    expect(() => loadConfig({ ...oidc, OIDC_ORGANISATION_CLAIM: 'two words' })).toThrow(/OIDC_ORGANISATION_CLAIM/);
  });
});
