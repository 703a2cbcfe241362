import type { Database } from '../../db/client';
import { documentMembers, type MemberRole } from '../../db/schema';
import { recordAudit } from '../audit/audit';
import { yDocFromJSON } from '../content/prosemirror';
import { createDocument } from '../documents/documents';
import { countUsers, createUser } from '../users/users';
import { captureVersion, insertVersion } from '../versions/versions';
import { demoMemo } from './memo';

/** Fictional people in the real roles of a Twente voorstel; one shared password, printed by `npm start`. */
export const demoPassword = 'stukwerk-demo-2026';
export const demoPeople: { email: string; name: string; organisation: string; role: MemberRole; isAdmin?: boolean }[] =
  [
    {
      email: 'anne.devries@vrtwente.demo',
      name: 'Anne de Vries',
      organisation: 'Veiligheidsregio Twente',
      role: 'editor',
      isAdmin: true,
    },
    {
      email: 'bram.jansen@vrtwente.demo',
      name: 'Bram Jansen',
      organisation: 'Veiligheidsregio Twente',
      role: 'editor',
    },
    { email: 'voorzitter@vrtwente.demo', name: 'Carla Mulder', organisation: 'Veiligheidsregio Twente', role: 'chair' },
    { email: 'burgemeester@enschede.demo', name: 'Daan Visser', organisation: 'Gemeente Enschede', role: 'commenter' },
    { email: 'burgemeester@hengelo.demo', name: 'Eva Smit', organisation: 'Gemeente Hengelo', role: 'commenter' },
    { email: 'burgemeester@almelo.demo', name: 'Frank Bakker', organisation: 'Gemeente Almelo', role: 'commenter' },
  ];

/** Seeds the demo workspace; returns false (and does nothing) when the database already has users. */
export async function seedDemo(db: Database): Promise<{ documentId: string } | false> {
  if ((await countUsers(db)) > 0) return false;
  const people = [];
  for (const p of demoPeople) {
    people.push({ ...p, user: await createUser(db, { ...p, password: demoPassword }) });
  }
  const [author, ...others] = people;
  const memo = demoMemo();
  const doc = await createDocument(db, author!.user.id, {
    title: memo.title,
    template: 'voorstel',
    content: memo.doc,
    // The memo as adopted in 2022, with its own "Aldus vastgesteld" lines, stays readable in the history.
    within: async (tx, documentId) => {
      await insertVersion(tx, documentId, captureVersion({ ydoc: yDocFromJSON(memo.historical) }), {
        kind: 'named',
        name: '2022',
        createdAt: new Date('2022-02-17T12:00:00Z'),
      });
    },
  });
  await db.transaction(async (tx) => {
    for (const p of others) {
      await tx.insert(documentMembers).values({ documentId: doc.id, userId: p.user.id, role: p.role });
      await recordAudit(tx, {
        actorId: author!.user.id,
        action: 'member.added',
        documentId: doc.id,
        details: { userId: p.user.id, email: p.email, role: p.role },
      });
    }
  });
  return { documentId: doc.id };
}

export function demoSignInHelp(url: string): string {
  const rows = demoPeople.map((p) => `  ${p.email.padEnd(30)} ${p.role.padEnd(10)} ${p.name} (${p.organisation})`);
  return [`Demo: sign in at ${url}/signin with one of these accounts, password "${demoPassword}":`, ...rows].join('\n');
}
