'use client';
import type { Editor } from '@tiptap/core';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import type { SessionInfo } from './connection';
import { hasSignOffPart } from './sign-off';

/**
 * The document's status as the live session reports it (a sign-off or a reopening locks or unlocks the text for
 * everyone at once): the page's own status and buttons are refreshed, and the signed-off record is shown in the
 * closing block's sign-off part, or below the text when the document has none.
 */
export function useStatusLock(session: SessionInfo, initialStatus: string, editor: Editor | null) {
  const router = useRouter();
  // A status change pushed by the server (sign-off, reopen) also refreshes the page's status and buttons.
  useEffect(() => {
    if (session.status !== initialStatus) router.refresh();
  }, [session.status, initialStatus, router]);
  const signedOff = session.status === 'signed_off' ? (session.signedOff ?? null) : null;
  // The statement shows in the closing block's sign-off part; only a document without one gets it below the text.
  const [hasSignOffSlot, setHasSignOffSlot] = useState(true);
  useEffect(() => {
    if (!editor) return;
    const onUpdate = () => setHasSignOffSlot(hasSignOffPart(editor.state.doc));
    onUpdate();
    editor.on('update', onUpdate);
    return () => void editor.off('update', onUpdate);
  }, [editor]);
  return { signedOff, hasSignOffSlot };
}

/** Why the text cannot be changed here: the document is locked by its status, or this person only reads. */
export function ReadOnlyBanner({ session }: { session: SessionInfo }) {
  const t = useTranslations('editor.readOnly');
  const text =
    session.status === 'signed_off' || session.status === 'ready'
      ? t(session.status)
      : session.can?.comment
        ? t('commenter')
        : t('viewer');
  return (
    <div className="banner banner-readonly" role="note" data-testid="readonly-banner">
      {text}
    </div>
  );
}
