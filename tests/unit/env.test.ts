import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvError, loadConfig } from '../../server/env';

describe('loadConfig', () => {
  it('defaults to 127.0.0.1:3000 and embedded PGlite in ./data', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: path.resolve('data'),
      database: { kind: 'pglite', dataDir: path.resolve('data/pglite') },
    });
    expect(c.authSecret).toBeUndefined();
    expect(c.seedDemo).toBeUndefined();
  });

  it('uses PostgreSQL with DATABASE_URL and then requires AUTH_SECRET', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u:p@db/stukwerk' })).toThrow(/AUTH_SECRET is required/);
    const c = loadConfig({ DATABASE_URL: 'postgres://u:p@db/stukwerk', AUTH_SECRET: 's'.repeat(32) });
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgres://u:p@db/stukwerk' });
  });

  it('treats an empty variable as unset and reads SEED_DEMO as a flag', () => {
    expect(loadConfig({ DATABASE_URL: '', SEED_DEMO: '0' })).toMatchObject({
      database: { kind: 'pglite' },
      seedDemo: false,
    });
    expect(loadConfig({ SEED_DEMO: '1' }).seedDemo).toBe(true);
  });

  it('reads SMTP_URL and MAIL_FROM, and refuses an SMTP_URL that is not smtp:// or smtps://', () => {
    expect(loadConfig({}).mail).toEqual({ smtpUrl: undefined, from: undefined });
    expect(
      loadConfig({ SMTP_URL: 'smtps://u:p@mail.vrtwente.nl:465', MAIL_FROM: 'Stukwerk <stukwerk@vrtwente.nl>' }).mail,
    ).toEqual({
      smtpUrl: 'smtps://u:p@mail.vrtwente.nl:465',
      from: 'Stukwerk <stukwerk@vrtwente.nl>',
    });
    expect(() => loadConfig({ SMTP_URL: 'http://mail.example.nl' })).toThrow(/SMTP_URL must look like/);
  });

  it('refuses bad values with a message naming the variable', () => {
    expect(() => loadConfig({ PORT: 'drieduizend' })).toThrow(EnvError);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL must start with postgres/);
    expect(() => loadConfig({ AUTH_SECRET: 'short' })).toThrow(/at least 32/);
    expect(() => loadConfig({ OIDC_ISSUER: 'https://login.example.nl/realms/twente' })).toThrow(/OIDC_CLIENT_ID/);
  });

  it('switches OpenID Connect on when issuer, client id and secret are set', () => {
    const c = loadConfig({
      OIDC_ISSUER: 'https://kc.example.nl/realms/vrt',
      OIDC_CLIENT_ID: 'stukwerk',
      OIDC_CLIENT_SECRET: 'geheim',
    });
    expect(c.oidc).toEqual({
      issuer: 'https://kc.example.nl/realms/vrt',
      clientId: 'stukwerk',
      clientSecret: 'geheim',
      name: 'Organisatie-account',
    });
  });

  it('switches several processes on with REDIS_URL, only on PostgreSQL with a shared AUTH_SECRET', () => {
    expect(() => loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(/REDIS_URL .*needs DATABASE_URL.*PGlite/);
    expect(() => loadConfig({ REDIS_URL: 'redis://r', DATABASE_URL: 'postgres://u:p@db/s' })).toThrow(
      /AUTH_SECRET is required/,
    );
    expect(() =>
      loadConfig({ REDIS_URL: 'http://r', DATABASE_URL: 'postgres://u:p@db/s', AUTH_SECRET: 's'.repeat(32) }),
    ).toThrow(/REDIS_URL must start/);
    const c = loadConfig({
      REDIS_URL: 'redis://r:6379/2',
      DATABASE_URL: 'postgres://u:p@db/s',
      AUTH_SECRET: 's'.repeat(32),
    });
    expect(c.redisUrl).toBe('redis://r:6379/2');
    expect(loadConfig({}).redisUrl).toBeUndefined();
  });
});
