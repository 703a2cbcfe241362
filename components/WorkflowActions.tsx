'use client';
import { useTranslations } from 'next-intl';
import type { DocumentPolicy } from '@/common/policy';
import { useState } from 'react';
import { SignOffDialog } from './rounds/SignOffDialog';
import { useDocumentRequest } from './useDocumentRequest';
import { FormError } from './FormError';

/** The buttons that move a document through draft → review → ready → signed off (and back), as the server says this person may. */
export function WorkflowActions({
  documentId,
  status,
  can,
}: {
  documentId: string;
  status: string;
  can: DocumentPolicy;
}) {
  const t = useTranslations('workflow');
  const { error, busy, send } = useDocumentRequest(documentId);
  const [signing, setSigning] = useState(false);

  async function post(path: string, body?: unknown, confirmText?: string) {
    if (confirmText && !window.confirm(confirmText)) return;
    // Focus goes to the new status (the button pressed may be gone); the live region announces it too.
    if (await send(path, 'POST', body)) document.getElementById('document-status')?.focus();
  }

  const actions: { label: string; run: () => void }[] = [];
  const targets = can.statusTargets ?? [];
  if (targets.includes('review'))
    actions.push({
      label: t('toReview'),
      run: () => void post('status', { status: 'review' }),
    });
  if (targets.includes('ready'))
    actions.push({
      label: t('toReady'),
      run: () => void post('status', { status: 'ready' }, t('confirmReady')),
    });
  if (targets.includes('draft'))
    actions.push({
      label: status === 'ready' ? t('unlock') : t('toDraft'),
      run: () => void post('status', { status: 'draft' }),
    });
  if (can.signOff)
    actions.push({
      label: t('signOff'),
      run: () => setSigning(true), // the dialog shows what is open first (components/rounds/SignOffDialog.tsx)
    });
  if (can.reopen) actions.push({ label: t('reopen'), run: () => void post('reopen') });

  return (
    <div className="workflow-actions">
      {actions.map((a) => (
        <button key={a.label} type="button" disabled={busy} onClick={a.run}>
          {a.label}
        </button>
      ))}
      <a href={`/documents/${documentId}/versions`}>{t('versions')}</a>
      <a href={`/documents/${documentId}/audit`}>{t('audit')}</a>
      {signing && <SignOffDialog documentId={documentId} onClose={() => setSigning(false)} />}
      <FormError error={error} />
    </div>
  );
}
