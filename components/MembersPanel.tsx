'use client';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { memberRoles, type MemberRole } from '@/common/policy';
import { AddGroupControl } from './AddGroupControl';
import { apiError } from './labels';
import { PendingInvitations } from './PendingInvitations';
import { useDocumentRequest } from './useDocumentRequest';
import { FormFeedback } from './FormError';
import { RoleSelect } from './RoleSelect';

export interface Member {
  userId: string;
  email: string;
  name: string;
  organisation: string | null;
  role: string;
}

/** Members and their roles; editors invite, change roles and remove (the server checks every one of these). */
export function MembersPanel({
  documentId,
  members,
  canManage,
  meId,
}: {
  documentId: string;
  members: Member[];
  canManage: boolean;
  meId: string;
}) {
  const t = useTranslations('members');
  const tRole = useTranslations('role');
  const tCommon = useTranslations('common');
  const router = useRouter();
  const { error, setError, busy, setBusy, send } = useDocumentRequest(documentId);
  const [notice, setNotice] = useState('');
  const [invited, setInvited] = useState(0);

  /** Never rejects (see useDocumentRequest). */
  const call = (path: string, method: string, body?: unknown) => send(`members${path}`, method, body);

  async function onInvite(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    setNotice('');
    const res = await fetch(`/api/documents/${documentId}/members`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: form.get('email'), role: form.get('role') }),
    });
    if (!res.ok) {
      setError(await apiError(res, tCommon('httpError', { status: res.status })));
      return;
    }
    const body = (await res.json()) as { invited?: boolean; email?: string };
    if (body.invited) {
      // No account yet: an invitation went out by e-mail; it shows below until it is accepted.
      setNotice(t('invitedByMail', { email: body.email ?? '' }));
      setInvited((n) => n + 1);
    }
    setError('');
    formEl.reset();
    router.refresh();
  }

  return (
    <section className="card members" aria-label={t('heading')}>
      <h2>{t('heading')}</h2>
      <ul>
        {members.map((m) => (
          <li key={m.userId} data-member={m.email}>
            <div>
              <strong>{m.name}</strong>
              {m.userId === meId ? ` ${t('me')}` : ''}
              <div className="muted">{m.organisation ?? m.email}</div>
            </div>
            {canManage ? (
              <div className="member-actions">
                <select
                  aria-label={t('roleOf', { name: m.name })}
                  disabled={busy}
                  value={m.role}
                  onChange={(e) => void call(`/${m.userId}`, 'PATCH', { role: e.target.value })}
                >
                  {memberRoles.map((r) => (
                    <option key={r} value={r}>
                      {tRole(r)}
                    </option>
                  ))}
                </select>
                <button
                  type="button"
                  className="link-button danger"
                  disabled={busy}
                  onClick={() => void call(`/${m.userId}`, 'DELETE')}
                >
                  {t('remove')}
                </button>
              </div>
            ) : (
              <span className="muted">{tRole(m.role as MemberRole)}</span>
            )}
          </li>
        ))}
      </ul>
      {canManage && <PendingInvitations documentId={documentId} refreshKey={invited} />}
      <FormFeedback notice={notice} error={error} />
      {canManage && (
        <form className="form" onSubmit={onInvite} aria-label={t('inviteLabel')}>
          <label>
            {t('inviteEmail')}
            <input name="email" type="email" required />
          </label>
          <RoleSelect label={t('role')} />
          <button type="submit" disabled={busy}>
            {t('invite')}
          </button>
        </form>
      )}
      {canManage && <AddGroupControl documentId={documentId} />}
    </section>
  );
}
