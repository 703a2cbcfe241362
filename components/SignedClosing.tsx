import type { SignedOffInfo } from './editor/connection';

const longDate = (iso: string) =>
  new Intl.DateTimeFormat('nl-NL', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/Amsterdam',
  }).format(new Date(iso));

/** The closing line of a signed-off voorstel: not part of the frozen text, but of its signed version. */
export function SignedClosing({ info }: { info: SignedOffInfo }) {
  return (
    <section className="signed-closing" data-testid="signed-closing" aria-label="Vaststelling">
      <p>
        <strong>
          Aldus vastgesteld in de vergadering van het algemeen bestuur d.d.{' '}
          {info.meetingDate.trim() || longDate(info.signedAt)}.
        </strong>
      </p>
      <p>
        De voorzitter,
        <br />
        {info.signedBy}
      </p>
      <p className="muted">Vastgesteld op {longDate(info.signedAt)} (signed on that date)</p>
      <p className="muted hash">
        SHA-256 van de vastgestelde versie (of the signed version): <code>{info.sha256}</code>
      </p>
    </section>
  );
}
