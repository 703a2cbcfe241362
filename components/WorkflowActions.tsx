'use client';
import type { DocumentPolicy } from '@/common/policy';
import { useDocumentRequest } from './useDocumentRequest';

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
  const { error, busy, send } = useDocumentRequest(documentId);

  async function post(path: string, body?: unknown, confirmText?: string) {
    if (confirmText && !window.confirm(confirmText)) return;
    // Focus goes to the new status (the button pressed may be gone); the live region announces it too.
    if (await send(path, 'POST', body)) document.getElementById('document-status')?.focus();
  }

  const actions: { label: string; run: () => void }[] = [];
  const targets = can.statusTargets ?? [];
  if (targets.includes('review'))
    actions.push({
      label: 'Ter bespreking aanbieden (to review)',
      run: () => void post('status', { status: 'review' }),
    });
  if (targets.includes('ready'))
    actions.push({
      label: 'Ter vaststelling aanbieden (lock the text for sign-off)',
      run: () =>
        void post(
          'status',
          { status: 'ready' },
          'De tekst vastzetten voor iedereen, zodat de voorzitter kan vaststellen? (Lock the text for everyone?)',
        ),
    });
  if (targets.includes('draft'))
    actions.push({
      label:
        status === 'ready'
          ? 'Tekst ontgrendelen, terug naar concept (unlock, back to draft)'
          : 'Terug naar concept (back to draft)',
      run: () => void post('status', { status: 'draft' }),
    });
  if (can.signOff)
    actions.push({
      label: 'Vaststellen (sign off)',
      run: () =>
        void post(
          'sign-off',
          undefined,
          'Het document vaststellen? De tekst wordt daarmee bevroren. (Sign off and freeze the text?)',
        ),
    });
  if (can.reopen) actions.push({ label: 'Heropenen (reopen)', run: () => void post('reopen') });

  return (
    <div className="workflow-actions">
      {actions.map((a) => (
        <button key={a.label} type="button" disabled={busy} onClick={a.run}>
          {a.label}
        </button>
      ))}
      <a href={`/documents/${documentId}/versions`}>Versies (versions)</a>
      <a href={`/documents/${documentId}/audit`}>Logboek (audit log)</a>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </div>
  );
}
