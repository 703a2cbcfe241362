/**
 * The consultation round and the sign-off in Chromium, on the demo memo with the demo people: an editor opens a
 * round in the round panel, a mayor answers in theirs and the editors' open pages show it at once (the type-102
 * events, no polling); the chair's panel leads with how many have not answered; after the text is locked, the
 * chair's sign-off dialog (a real <dialog>: focus inside, Escape closes, focus returns) lists what is open, and
 * signing leaves every browser with one signed closing block and a hash equal to the one recomputed from storage.
 */
import type { Page } from 'playwright-core';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { auditEvents, documentVersions } from '../../db/schema';
import { demoPeople } from '../../server/demo/seed';
import { loadDocument } from '../../server/collab/persistence';
import { captureVersion } from '../../server/versions/versions';
import { demoInBrowser } from '../helpers/demo';

const [anne, bram, chair, enschede, hengelo, almelo] = demoPeople;
const demo = demoInBrowser();
const panel = (page: Page) => page.locator('[data-testid="round-panel"]');
const row = (page: Page, userId: string) => panel(page).locator(`[data-user-id="${userId}"]`);

describe('the consultation round and the sign-off in the browser', () => {
  it('a mayor’s answer reaches the editors’ open pages live; the chair sees the open items in the dialog, signs, and every browser shows one signed closing block', async () => {
    const [a, b] = await Promise.all([demo.openMemo(anne!.email), demo.openMemo(bram!.email)]);
    const id = (email: string) => demo.userIdOf(email);

    // Anne opens the round in her panel; Bram's panel shows it without a reload.
    await panel(a).getByLabel('Vraag aan de gemeenten').fill('Kunt u instemmen met de regionale input?');
    await panel(a).getByRole('button', { name: 'Ronde starten' }).click();
    await panel(b).getByText('4 van 4 gemeenten hebben nog niet gereageerd').waitFor({ timeout: 10_000 });

    // The mayor of Enschede answers in his own panel, with a remark.
    const d = await demo.openMemo(enschede!.email);
    await panel(d).getByLabel('Stemt in met opmerkingen').check();
    await panel(d)
      .getByLabel(/Toelichting/)
      .fill('Graag de veiligheidsregio als geheel noemen.');
    await panel(d).getByRole('button', { name: 'Standpunt geven' }).click();
    await panel(d).getByText('Je standpunt is opgeslagen.').waitFor();
    for (const page of [a, b]) {
      await row(page, await id(enschede!.email))
        .getByText('Stemt in met opmerkingen')
        .waitFor({ timeout: 10_000 });
      await row(page, await id(enschede!.email))
        .getByText('Graag de veiligheidsregio als geheel noemen.')
        .waitFor();
      await panel(page).getByText('3 van 4 gemeenten hebben nog niet gereageerd').waitFor();
    }

    // Hengelo and Almelo answer (through the service, as their browsers would); the pages follow.
    const round = (await demo.server.services.rounds.list(await id(anne!.email), demo.memoId))[0]!;
    await demo.server.services.rounds.respond(await id(hengelo!.email), demo.memoId, round.id, { position: 'agree' });
    await demo.server.services.rounds.respond(await id(almelo!.email), demo.memoId, round.id, {
      position: 'disagree',
      remark: 'De financiële paragraaf ontbreekt.',
    });
    await panel(a).getByText('1 van 4 gemeenten heeft nog niet gereageerd').waitFor({ timeout: 10_000 });
    expect(await row(a, await id(chair!.email)).getAttribute('class')).toMatch(/unanswered/);

    // The chair's panel leads with who has not answered.
    const c = await demo.openMemo(chair!.email);
    const first = panel(c).locator('[data-round-id] > *').first();
    expect(await first.textContent()).toBe('1 van 4 gemeenten heeft nog niet gereageerd');

    // The text is locked (this closes the round); the chair opens the sign-off dialog.
    await demo.server.services.workflow.changeStatus(await id(anne!.email), demo.memoId, 'ready');
    await c.reload();
    await c.waitForSelector('.editor-shell[data-synced="true"] .ProseMirror');
    const signButton = c.getByRole('button', { name: 'Vaststellen', exact: true });
    await signButton.click();
    const dialog = c.locator('dialog[data-testid="signoff-dialog"]');
    await dialog.waitFor();
    await dialog.getByTestId('signoff-round').waitFor();
    expect(await c.evaluate(() => !!document.activeElement?.closest('dialog'))).toBe(true);
    const items = await dialog.getByTestId('signoff-open-items').textContent();
    expect(items).toContain('Niet gereageerd in de consultatieronde: Veiligheidsregio Twente');
    expect(await dialog.getByRole('link', { name: /Vergelijk/ }).getAttribute('href')).toMatch(
      new RegExp(`^/documents/${demo.memoId}/compare\\?from=[0-9a-f-]{36}$`),
    );
    await c.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await c.evaluate(() => document.activeElement?.textContent)).toBe('Vaststellen');

    // Again, this time signing: with an open item the tick is needed, and it is recorded.
    await signButton.click();
    await dialog.waitFor();
    const confirm = dialog.getByRole('button', { name: 'Vaststellen' });
    await dialog.getByTestId('signoff-round').waitFor();
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel(/Ik stel vast ondanks/).check();
    await confirm.click();
    for (const page of [a, b, c, d]) {
      await page.waitForSelector('[data-testid="signed-closing"]', { timeout: 10_000 });
      expect(await page.locator('[data-testid="signed-closing"]').count()).toBe(1);
    }

    // The hash of the signed version equals the one recomputed from what storage holds now.
    const [signed] = await demo.server.services.db
      .select()
      .from(documentVersions)
      .where(and(eq(documentVersions.documentId, demo.memoId), eq(documentVersions.kind, 'signed')));
    await demo.server.collab.flush();
    const stored = await loadDocument(demo.server.services.db, demo.memoId);
    expect(captureVersion(stored!).sha256).toBe(signed!.sha256);
    const [event] = await demo.server.services.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.documentId, demo.memoId), eq(auditEvents.action, 'document.signed_off')));
    expect(event!.details).toMatchObject({ sha256: signed!.sha256, acknowledged: true, signedWithOpenItems: true });
    await Promise.all([a, b, c, d].map((p) => p.context().close()));
  }, 240_000);
});
