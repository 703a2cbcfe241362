import Link from 'next/link';
import { InviteAcceptForm } from '@/components/InviteAcceptForm';
import { roleLabel } from '@/components/labels';
import { services } from '@/server/registry';

export const dynamic = 'force-dynamic';

/** Refusals in plain Dutch (with English beside), never an error page with details. */
const refusals = {
  unknown: [
    'Deze uitnodiging bestaat niet',
    'Controleer de link in de e-mail, of vraag degene die je uitnodigde om een nieuwe uitnodiging. (This invitation does not exist.)',
  ],
  expired: [
    'Deze uitnodiging is verlopen',
    'Een uitnodiging is zeven dagen geldig. Vraag degene die je uitnodigde om haar opnieuw te versturen. (This invitation has expired.)',
  ],
  used: [
    'Deze uitnodiging is al gebruikt',
    'Je account bestaat al: meld je aan met je e-mailadres en wachtwoord. (This invitation was used already; sign in.)',
  ],
  withdrawn: [
    'Deze uitnodiging is ingetrokken',
    'Neem contact op met degene die je uitnodigde als je toch mee wilt werken. (This invitation was withdrawn.)',
  ],
} as const;

/** `/invite/<token>`: who invites you to which document with which role, and a form for your name and password. */
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const info = await services().invitations.describe(token);
  if (info.state !== 'pending') {
    const [title, text] = refusals[info.state];
    return (
      <section className="signin">
        <h1>{title}</h1>
        <p className="card">{text}</p>
        <p>
          <Link href="/signin">Naar aanmelden</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="signin">
      <h1>Uitnodiging voor Stukwerk</h1>
      <p className="en">Invitation</p>
      <p className="card" data-testid="invitation">
        <strong>{info.inviterName ?? 'Een collega'}</strong> nodigt je uit voor het document{' '}
        <strong>{info.documentTitle}</strong> als <strong>{roleLabel[info.role!] ?? info.role}</strong>.<br />
        Je account wordt aangemaakt voor <strong>{info.email}</strong>.
      </p>
      <InviteAcceptForm
        token={token}
        email={info.email!}
        documentId={info.documentId!}
        oidcName={services().config.oidc?.name}
      />
    </section>
  );
}
