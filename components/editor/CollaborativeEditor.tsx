'use client';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import type { Editor } from '@tiptap/core';
import { EditorContent, useEditor } from '@tiptap/react';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { CommentsSidebar } from '../comments/CommentsSidebar';
import type { Mentionable } from '../comments/types';
import { useThreads } from '../comments/useThreads';
import { SignedClosing } from '../SignedClosing';
import { CommentHighlights, selectionAnchor, setHighlightThreads, type ThreadRanges } from './comment-highlights';
import type { EndReason, SessionInfo, SignedOffInfo } from './connection';
import { contentFragmentName, documentExtensions } from '@/common/schema/extensions';
import type { DocumentPolicy } from '@/common/policy';
import { Presence } from './Presence';
import { Toolbar } from './Toolbar';
import { useCollaboration } from './useCollaboration';

interface Props {
  documentId: string;
  initialRole: string;
  /** What this person may do, as the server computed it; live changes arrive with the session messages. */
  initialCan: DocumentPolicy;
  initialStatus: string;
  initialSignedOff: SignedOffInfo | null;
  me: { id: string; name: string };
  members: Mentionable[];
  /** A thread to open (from a notification's link). */
  initialThreadId?: string | null;
}

export function CollaborativeEditor({
  documentId,
  initialRole,
  initialCan,
  initialStatus,
  initialSignedOff,
  me,
  members,
  initialThreadId,
}: Props) {
  const t = useTranslations('editor');
  const comments = useThreads(documentId, me.id);
  const collab = useCollaboration(
    documentId,
    me.id,
    {
      role: initialRole,
      status: initialStatus,
      readOnly: !initialCan.edit,
      can: initialCan,
      signedOff: initialSignedOff ?? undefined,
    },
    comments.onEvent,
  );
  const { session } = collab;
  const router = useRouter();
  // A status change pushed by the server (sign-off, reopen) also refreshes the page's status and buttons.
  useEffect(() => {
    if (session.status !== initialStatus) router.refresh();
  }, [session.status, initialStatus, router]);
  const [editor, setEditor] = useState<Editor | null>(null);
  const [ranges, setRanges] = useState<ThreadRanges>(new Map());
  const [activeId, setActiveId] = useState<string | null>(initialThreadId ?? null);
  const [pending, setPending] = useState<{ start: string; end: string; quote: string } | null>(null);
  const [hasSelection, setHasSelection] = useState(false);
  const can = session.can ?? initialCan;
  const canWrite = can.comment;

  // Every (re)connection reloads the threads: events missed while offline are caught up, nothing polls.
  const { load } = comments;
  useEffect(() => {
    if (collab.synced) void load();
  }, [collab.synced, load]);

  useEffect(() => {
    if (editor && !editor.isDestroyed) setHighlightThreads(editor.view, [...comments.threads.values()], activeId);
  }, [editor, comments.threads, activeId]);

  useEffect(() => {
    if (!editor) return;
    const onSelection = () => setHasSelection(!editor.state.selection.empty);
    editor.on('selectionUpdate', onSelection);
    return () => void editor.off('selectionUpdate', onSelection);
  }, [editor]);

  function startComment() {
    const anchor = editor && selectionAnchor(editor.state);
    if (anchor) {
      setPending(anchor);
      setActiveId(null);
    }
  }

  return (
    <div
      className="editor-shell"
      data-synced={collab.synced ? 'true' : 'false'}
      data-readonly={session.readOnly ? 'true' : 'false'}
    >
      <div className="editor-status">
        <span className={`connection connection-${collab.connection}`} role="status" aria-live="polite">
          ● {t(`connection.${collab.connection}`)}
        </span>
        <Presence participants={collab.participants} />
      </div>
      {collab.ended && <EndedBanner reason={collab.ended} documentId={documentId} />}
      {collab.discarded && (
        <div className="banner banner-alert" role="alert" data-testid="offline-discarded">
          {t('discarded')}
        </div>
      )}
      {session.readOnly && !collab.ended && <ReadOnlyBanner session={session} />}
      <div className="editor-body">
        <div className="editor-column">
          {canWrite && (
            <div className="comment-bar">
              <button
                type="button"
                className="secondary"
                disabled={!hasSelection}
                onMouseDown={(e) => e.preventDefault() /* keep the selection in the document */}
                onClick={startComment}
              >
                {t('commentOnSelection')}
              </button>
            </div>
          )}
          {collab.ydoc && collab.provider && (
            <BoundEditor
              key={collab.ydoc.guid}
              ydoc={collab.ydoc}
              provider={collab.provider}
              readOnly={session.readOnly || Boolean(collab.ended)}
              userName={me.name}
              onReady={setEditor}
              onSelectThread={setActiveId}
              onRanges={setRanges}
            />
          )}
          {session.status === 'signed_off' && session.signedOff && <SignedClosing info={session.signedOff} />}
        </div>
        <CommentsSidebar
          threads={comments.threads}
          ranges={ranges}
          editor={editor}
          members={members}
          api={comments.api}
          run={comments.run}
          error={comments.error}
          activeId={activeId}
          onActivate={setActiveId}
          pending={pending}
          onPendingDone={() => setPending(null)}
          meId={me.id}
          canWrite={canWrite}
          canResolveAny={can.resolveAny}
        />
      </div>
    </div>
  );
}

interface BoundProps {
  ydoc: Y.Doc;
  provider: WebsocketProvider;
  readOnly: boolean;
  userName: string;
  onReady: (editor: Editor | null) => void;
  onSelectThread: (id: string) => void;
  onRanges: (ranges: ThreadRanges) => void;
}

function BoundEditor({ ydoc, provider, readOnly, userName, onReady, onSelectThread, onRanges }: BoundProps) {
  const t = useTranslations('editor');
  const editor = useEditor(
    {
      immediatelyRender: false,
      editable: !readOnly,
      extensions: [
        ...documentExtensions(),
        Collaboration.configure({ document: ydoc, field: contentFragmentName }),
        // The server replaces `user` with what it knows; this is only the local preview.
        CollaborationCaret.configure({ provider, user: { name: userName, color: '#1f6feb' } }),
        CommentHighlights.configure({ onSelectThread, onRanges }),
      ],
      editorProps: { attributes: { class: 'voorstel', 'aria-label': t('textLabel') } },
    },
    [ydoc, provider],
  );
  useEffect(() => {
    editor?.setEditable(!readOnly);
  }, [editor, readOnly]);
  useEffect(() => {
    onReady(editor);
    return () => onReady(null);
  }, [editor, onReady]);
  return (
    <>
      {editor && !readOnly && <Toolbar editor={editor} />}
      <EditorContent editor={editor} className="editor-content" />
    </>
  );
}

function ReadOnlyBanner({ session }: { session: SessionInfo }) {
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

/** After the server ended the connection for good: why, and where to go (nothing reconnects by itself any more). */
function EndedBanner({ reason, documentId }: { reason: EndReason; documentId: string }) {
  const t = useTranslations('editor.ended');
  return (
    <div className="banner banner-alert" role="alert" data-testid="connection-ended">
      {reason === 'unauthorized' ? (
        <>
          {t('unauthorized')}{' '}
          <a href={`/signin?callbackUrl=${encodeURIComponent(`/documents/${documentId}`)}`}>{t('signInAgain')}</a>
        </>
      ) : (
        <>
          {t('forbidden')} <a href="/">{t('toDocuments')}</a>
        </>
      )}
    </div>
  );
}
