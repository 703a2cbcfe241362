'use client';
import { useLocale, useTranslations } from 'next-intl';
import { useCallback, useEffect, useState } from 'react';
import type { MemberRole } from '@/common/policy';
import { apiError, formatDateTime } from './labels';
import { FormFeedback } from './FormError';

interface Invitation {
  id: string;
  email: string;
  role: MemberRole;
  invitedBy: string | null;
  sentAt: string;
  expiresAt: string;
}

/** Invitations of people without an account yet, for editors: withdraw or send again (a new link, 7 more days). */
export function PendingInvitations({ documentId, refreshKey }: { documentId: string; refreshKey: number }) {
  const t = useTranslations('invitations');
  const tRole = useTranslations('role');
  const tCommon = useTranslations('common');
  const locale = useLocale();
  const httpError = (res: Response) => apiError(res, tCommon('httpError', { status: res.status }));
  const [invitations, setInvitations] = useState<Invitation[]>([]);
  const [message, setMessage] = useState('');

  const load = useCallback(async () => {
    const res = await fetch(`/api/documents/${documentId}/invitations`);
    if (res.ok) setInvitations(((await res.json()) as { invitations: Invitation[] }).invitations);
    else setMessage(await httpError(res));
  }, [documentId]);

  useEffect(() => {
    load().catch((err: unknown) => setMessage(String(err)));
  }, [load, refreshKey]);

  async function act(id: string, action: 'withdraw' | 'resend') {
    setMessage('');
    const res = await fetch(`/api/documents/${documentId}/invitations/${id}${action === 'resend' ? '/resend' : ''}`, {
      method: action === 'resend' ? 'POST' : 'DELETE',
    });
    if (!res.ok) setMessage(await httpError(res));
    else setMessage(action === 'resend' ? t('resent') : t('withdrawn'));
    await load();
  }

  if (!invitations.length && !message) return null;
  return (
    <div className="pending-invitations" aria-label={t('label')}>
      <h3>{t('heading')}</h3>
      <ul>
        {invitations.map((i) => (
          <li key={i.id} data-invitation={i.email}>
            <div>
              <strong>{i.email}</strong>
              <div className="muted">
                {t('details', {
                  role: tRole(i.role),
                  sent: formatDateTime(i.sentAt, locale),
                  expires: formatDateTime(i.expiresAt, locale),
                })}
              </div>
            </div>
            <div className="member-actions">
              <button type="button" className="link-button" onClick={() => void act(i.id, 'resend')}>
                {t('resend')}
              </button>
              <button type="button" className="link-button danger" onClick={() => void act(i.id, 'withdraw')}>
                {t('withdraw')}
              </button>
            </div>
          </li>
        ))}
      </ul>
      <FormFeedback notice={message} />
    </div>
  );
}
