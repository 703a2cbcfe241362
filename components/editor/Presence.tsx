import { useTranslations } from 'next-intl';

export interface Participant {
  clientId: number;
  id?: string;
  name: string;
  color: string;
  organisation?: string | null;
}

/** Who is here: one chip per open editor (a person with two tabs shows twice, as they have two carets). */
export function Presence({ participants }: { participants: Participant[] }) {
  const t = useTranslations('editor');
  return (
    <ul className="presence" aria-label={t('present')}>
      {participants.map((p) => (
        <li key={p.clientId} style={{ borderColor: p.color }} title={p.organisation ?? undefined}>
          <span className="dot" style={{ background: p.color }} /> {p.name}
        </li>
      ))}
    </ul>
  );
}
