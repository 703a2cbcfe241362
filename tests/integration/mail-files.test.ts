import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiClient, signIn } from '../helpers/http';
import { makeUser, startTestServer, type TestServer } from '../helpers/server';

/** Without SMTP_URL (the embedded default and the demo) every mail becomes an .eml file under DATA_DIR/mail/. */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ mail: { pollMs: 50 } });
});
afterAll(() => server?.dispose());

describe('mail without an SMTP server', () => {
  it('writes each mail as a complete .eml file (multipart, Message-ID) named by its outbox row, with working links', async () => {
    const editor = await makeUser(server, 'Anne');
    const api = apiClient(server.url, await signIn(server.url, editor.email));
    const { body: doc } = await api.post('/api/documents', { title: 'Zonder SMTP', template: 'blank' });
    const address = `nieuw.${Date.now()}@tubbergen.nl`;
    expect((await api.post(`/api/documents/${doc.id}/members`, { email: address, role: 'viewer' })).status).toBe(201);

    const dir = path.join(server.config.dataDir, 'mail');
    const file = await vi.waitFor(
      () => {
        const found = readdirSync(dir).filter((f) => f.endsWith('.eml'));
        expect(found).toHaveLength(1);
        return path.join(dir, found[0]!);
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(path.basename(file)).toMatch(/^[0-9a-f-]{36}\.eml$/);
    const mail = await simpleParser(readFileSync(file));
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe(address);
    // No PUBLIC_URL with a host name: the default sender uses the reserved domain `.invalid`, never an IP address.
    expect(mail.from?.value[0]).toMatchObject({ name: 'Stukwerk', address: 'no-reply@stukwerk.invalid' });
    expect(mail.messageId).toMatch(/^<[0-9a-f-]{36}@stukwerk\.invalid>$/);
    expect(mail.subject).toBe('[Stukwerk] Anne nodigt je uit voor "Zonder SMTP"');
    expect(mail.text).toMatch(new RegExp(`${server.url}/invite/[A-Za-z0-9_-]{43}`));
    expect(mail.html).toContain('Uitnodiging aannemen');
    const link = /(http:\/\/\S+\/invite\/[A-Za-z0-9_-]{43})/.exec(mail.text ?? '')![1]!;
    expect(await (await fetch(link)).text()).toContain('nodigt je uit voor het document');
  });
});
