'use client';
import { useCallback, useEffect, useState } from 'react';
import { apiError, formatDateTime, roleLabel } from './labels';

interface Invitation {
  id: string;
  email: string;
  role: string;
  invitedBy: string | null;
  sentAt: string;
  expiresAt: string;
}

/** Invitations of people without an account yet, for editors: withdraw or send again (a new link, 7 more days). */
export function PendingInvitations({ documentId, refreshKey }: { documentId: string; refreshKey: number }) {
  const [invitations, setInvitations] = useState<Invitation[]>([]);
  const [message, setMessage] = useState('');

  const load = useCallback(async () => {
    const res = await fetch(`/api/documents/${documentId}/invitations`);
    if (res.ok) setInvitations(((await res.json()) as { invitations: Invitation[] }).invitations);
    else setMessage(await apiError(res));
  }, [documentId]);

  useEffect(() => {
    load().catch((err: unknown) => setMessage(String(err)));
  }, [load, refreshKey]);

  async function act(id: string, action: 'withdraw' | 'resend') {
    setMessage('');
    const res = await fetch(`/api/documents/${documentId}/invitations/${id}${action === 'resend' ? '/resend' : ''}`, {
      method: action === 'resend' ? 'POST' : 'DELETE',
    });
    if (!res.ok) setMessage(await apiError(res));
    else setMessage(action === 'resend' ? 'Uitnodiging opnieuw verstuurd.' : 'Uitnodiging ingetrokken.');
    await load();
  }

  if (!invitations.length && !message) return null;
  return (
    <div className="pending-invitations" aria-label="Openstaande uitnodigingen">
      <h3>
        Uitgenodigd <span className="en">(pending invitations)</span>
      </h3>
      <ul>
        {invitations.map((i) => (
          <li key={i.id} data-invitation={i.email}>
            <div>
              <strong>{i.email}</strong>
              <div className="muted">
                {roleLabel[i.role] ?? i.role} · verstuurd {formatDateTime(i.sentAt)} · geldig tot{' '}
                {formatDateTime(i.expiresAt)}
              </div>
            </div>
            <div className="member-actions">
              <button type="button" className="link-button" onClick={() => void act(i.id, 'resend')}>
                Opnieuw versturen
              </button>
              <button type="button" className="link-button danger" onClick={() => void act(i.id, 'withdraw')}>
                Intrekken
              </button>
            </div>
          </li>
        ))}
      </ul>
      {message && (
        <p role="status" className="muted">
          {message}
        </p>
      )}
    </div>
  );
}
