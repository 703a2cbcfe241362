'use client';
import { useFormatter, useTranslations } from 'next-intl';
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import type { DocumentPolicy } from '@/common/policy';
import {
  maxQuestionChars,
  maxRemarkChars,
  positionsNeedingRemark,
  roundPositions,
  type RoundPosition,
  type RoundView,
} from '@/common/rounds';
import { apiError } from '../labels';
import { onRoundSignal } from './round-events';
import styles from './RoundPanel.module.css';
import { FormError } from '../FormError';

/**
 * The consultation round on the document page (issue 13): for everyone the question, due date, every reviewer's
 * position, remark and time, and the counts; for a reviewer the answer form first; for editors opening and
 * closing a round. Kept current by the round events on the collaboration connection (round-events.ts).
 */
export function RoundPanel({
  documentId,
  meId,
  role,
  can,
}: {
  documentId: string;
  meId: string;
  role: string;
  can: DocumentPolicy;
}) {
  const t = useTranslations('rounds');
  const [rounds, setRounds] = useState<RoundView[] | null>(null);
  const [error, setError] = useState('');

  const load = useCallback(async () => {
    try {
      const res = await fetch(`/api/documents/${documentId}/rounds`, { cache: 'no-store' });
      if (!res.ok) return setError(await apiError(res));
      setRounds(((await res.json()) as { rounds: RoundView[] }).rounds);
    } catch {
      setError(t('loadFailed'));
    }
  }, [documentId, t]);

  useEffect(() => {
    void load();
    return onRoundSignal(documentId, (signal) => {
      if (signal.kind === 'synced') return void load();
      const { round } = signal.event;
      setRounds((list) => [round, ...(list ?? []).filter((r) => r.id !== round.id)]);
    });
  }, [documentId, load]);

  const replace = (round: RoundView) => setRounds((list) => [round, ...(list ?? []).filter((r) => r.id !== round.id)]);
  const current = rounds?.[0];
  const earlier = rounds?.slice(1) ?? [];
  const open = current?.status === 'open' ? current : undefined;

  return (
    <section
      className={`panel ${styles.panel}`}
      aria-labelledby={`${documentId}-round-title`}
      data-testid="round-panel"
    >
      <h2 id={`${documentId}-round-title`}>{t('title')}</h2>
      <FormError error={error} />
      {rounds && !current && <p className="muted">{t('none')}</p>}
      {open && open.reviewers.some((r) => r.user.id === meId) && (
        <AnswerForm documentId={documentId} round={open} meId={meId} onSaved={replace} />
      )}
      {current && <RoundSummary round={current} chairFirst={role === 'chair'} />}
      {open && can.closeRound && <CloseButton documentId={documentId} round={open} onClosed={replace} />}
      {!open && can.openRound && rounds && <OpenForm documentId={documentId} onOpened={replace} />}
      {earlier.length > 0 && (
        <details>
          <summary>{t('earlier')}</summary>
          {earlier.map((r) => (
            <RoundSummary key={r.id} round={r} chairFirst={false} />
          ))}
        </details>
      )}
    </section>
  );
}

function Waiting({ round }: { round: RoundView }) {
  const t = useTranslations('rounds');
  const total = round.reviewers.length;
  return (
    <p className={styles.waiting} data-testid="round-waiting">
      {round.counts.none ? t('waiting', { count: round.counts.none, total }) : t('allAnswered', { total })}
    </p>
  );
}

function RoundSummary({ round, chairFirst }: { round: RoundView; chairFirst: boolean }) {
  const t = useTranslations('rounds');
  const format = useFormatter();
  const when = (iso: string) => format.dateTime(new Date(iso), { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <div className={styles.round} data-round-id={round.id}>
      {chairFirst && <Waiting round={round} />}
      <p className={styles.question}>
        <span className="muted">{t('question')}: </span>
        {round.question}
      </p>
      <p className="muted">
        {round.status === 'open'
          ? t('dueAt', { due: when(round.dueAt) })
          : t('closedAt', { date: when(round.closedAt ?? round.dueAt) })}
      </p>
      {!chairFirst && <Waiting round={round} />}
      <h3 className={styles.subheading}>{t('counts')}</h3>
      <ul className={styles.counts}>
        {[...roundPositions, 'none' as const].map((p) => (
          <li key={p} data-position={p}>
            {t(`position.${p}`)}: <strong>{round.counts[p]}</strong>
          </li>
        ))}
      </ul>
      <h3 className={styles.subheading}>{t('table.caption')}</h3>
      <ul className={styles.responses} data-testid="round-responses">
        {round.reviewers.map((r) => (
          <li key={r.user.id} className={r.position ? undefined : styles.unanswered} data-user-id={r.user.id}>
            <span className={styles.who}>
              {r.user.organisation ?? r.user.name}
              {r.user.organisation && <span className="muted"> · {r.user.name}</span>}
            </span>
            <span className={styles.position}>{t(`position.${r.position ?? 'none'}`)}</span>
            {r.respondedAt && (
              <time className="muted" dateTime={r.respondedAt}>
                {when(r.respondedAt)}
              </time>
            )}
            {r.remark && <p className={styles.remark}>{r.remark}</p>}
          </li>
        ))}
      </ul>
    </div>
  );
}

function AnswerForm({
  documentId,
  round,
  meId,
  onSaved,
}: {
  documentId: string;
  round: RoundView;
  meId: string;
  onSaved: (round: RoundView) => void;
}) {
  const t = useTranslations('rounds');
  const id = useId();
  const mine = round.reviewers.find((r) => r.user.id === meId);
  const [position, setPosition] = useState<RoundPosition | null>(mine?.position ?? null);
  const [remark, setRemark] = useState(mine?.remark ?? '');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const needsRemark = !!position && positionsNeedingRemark.includes(position);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!position) return;
    if (needsRemark && !remark.trim()) return setMessage({ error: true, text: t('answer.remarkMissing') });
    setBusy(true);
    setMessage(null);
    try {
      const res = await fetch(`/api/documents/${documentId}/rounds/${round.id}/response`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(remark.trim() ? { position, remark } : { position }),
      });
      if (!res.ok) return setMessage({ error: true, text: await apiError(res) });
      onSaved(((await res.json()) as { round: RoundView }).round);
      setMessage({ error: false, text: t('answer.saved') });
    } catch {
      setMessage({ error: true, text: t('loadFailed') });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className={styles.answer} onSubmit={(e) => void submit(e)} aria-label={t('answer.legend')}>
      <fieldset>
        <legend>{t('answer.legend')}</legend>
        {roundPositions.map((p) => (
          <label key={p} className={styles.choice}>
            <input
              type="radio"
              name={`${id}-position`}
              value={p}
              checked={position === p}
              onChange={() => setPosition(p)}
              required
            />{' '}
            {t(`position.${p}`)}
          </label>
        ))}
      </fieldset>
      <label htmlFor={`${id}-remark`}>
        {t('answer.remark')}
        {needsRemark && <span className="muted"> ({t('answer.remarkRequired')})</span>}
      </label>
      <textarea
        id={`${id}-remark`}
        value={remark}
        onChange={(e) => setRemark(e.target.value)}
        maxLength={maxRemarkChars}
        required={needsRemark}
        rows={3}
      />
      <button type="submit" disabled={busy || !position}>
        {mine?.position ? t('answer.change') : t('answer.submit')}
      </button>
      {message && (
        <p role={message.error ? 'alert' : 'status'} className={message.error ? 'error' : 'muted'}>
          {message.text}
        </p>
      )}
    </form>
  );
}

/** A week from now at 17:00 local time, as a `datetime-local` value. */
function defaultDue(): string {
  const d = new Date(Date.now() + 7 * 24 * 3_600_000);
  d.setHours(17, 0, 0, 0);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function OpenForm({ documentId, onOpened }: { documentId: string; onOpened: (round: RoundView) => void }) {
  const t = useTranslations('rounds');
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError('');
    try {
      const res = await fetch(`/api/documents/${documentId}/rounds`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          question: form.get('question'),
          dueAt: new Date(String(form.get('dueAt'))).toISOString(),
        }),
      });
      if (!res.ok) return setError(await apiError(res));
      onOpened(((await res.json()) as { round: RoundView }).round);
    } catch {
      setError(t('loadFailed'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className={styles.openForm} onSubmit={(e) => void submit(e)}>
      <h3 className={styles.subheading}>{t('openForm.title')}</h3>
      <label htmlFor={`${id}-question`}>{t('openForm.question')}</label>
      <textarea id={`${id}-question`} name="question" required maxLength={maxQuestionChars} rows={3} />
      <label htmlFor={`${id}-due`}>{t('openForm.dueAt')}</label>
      <input id={`${id}-due`} name="dueAt" type="datetime-local" required defaultValue={defaultDue()} />
      <p className="muted">{t('openForm.reviewers')}</p>
      <button type="submit" disabled={busy}>
        {t('openForm.submit')}
      </button>
      <FormError error={error} />
    </form>
  );
}

function CloseButton({
  documentId,
  round,
  onClosed,
}: {
  documentId: string;
  round: RoundView;
  onClosed: (round: RoundView) => void;
}) {
  const t = useTranslations('rounds');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  async function close() {
    setBusy(true);
    setError('');
    try {
      const res = await fetch(`/api/documents/${documentId}/rounds/${round.id}/close`, { method: 'POST' });
      if (!res.ok) return setError(await apiError(res));
      onClosed(((await res.json()) as { round: RoundView }).round);
    } catch {
      setError(t('loadFailed'));
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <button type="button" disabled={busy} onClick={() => void close()}>
        {t('close')}
      </button>
      <FormError error={error} />
    </>
  );
}
