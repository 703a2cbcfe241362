'use client';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import type { Editor } from '@tiptap/core';
import { EditorContent, useEditor } from '@tiptap/react';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { CommentsSidebar } from '../comments/CommentsSidebar';
import type { Mentionable, Thread } from '../comments/types';
import { useThreads } from '../comments/useThreads';
import { SignedClosing } from '../SignedClosing';
import { suggestionsApi } from '../suggestions/api';
import { useSuggestingPreference } from '../suggestions/mode';
import { useOpenSuggestions } from '../suggestions/open-suggestions';
import { SuggestionsSidebar } from '../suggestions/SuggestionsSidebar';
import { SuggestionThread } from '../suggestions/SuggestionThread';
import { ModeToggle } from '../suggestions/ModeToggle';
import { SuggestionColors } from '../suggestions/SuggestionColors';
import { CommentHighlights, selectionAnchor, setHighlightThreads, type ThreadRanges } from './comment-highlights';
import type { EndReason, SessionInfo, SignedOffInfo } from './connection';
import { contentFragmentName, documentExtensions } from '@/common/schema/extensions';
import type { DocumentPolicy } from '@/common/policy';
import { Presence } from './Presence';
import { ClosingSignOffView, hasSignOffPart, SignOffContext } from './sign-off';
import { setSuggesting, SuggestionMode, type BlockedReason } from './suggestion-mode';
import { ReadingCaret } from './reading-caret';
import { useAnnounceChanges, useAnnouncer } from './useAnnouncements';
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
  const ta = useTranslations('a11y');
  const announcer = useAnnouncer(me.id, members);
  const { announceEvent } = announcer;
  const { onEvent: applyCommentEvent } = comments;
  // Every comment event is applied, and announced (politely) when someone else caused it.
  const onCommentEvent = useCallback(
    (event: unknown) => {
      applyCommentEvent(event);
      announceEvent(event);
    },
    [applyCommentEvent, announceEvent],
  );
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
    onCommentEvent,
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
  const signedOff = session.status === 'signed_off' ? (session.signedOff ?? null) : null;
  // The statement shows in the closing block's sign-off part; only a document without one gets it below the text.
  const [hasSignOffSlot, setHasSignOffSlot] = useState(true);
  const canWrite = can.comment;
  // Editors choose between editing and suggesting; whoever may suggest but not edit (commenters, the chair, while
  // the text is not locked) always suggests. The server computes both flags and checks every update.
  const [preferSuggesting, setPreferSuggesting] = useSuggestingPreference(documentId);
  const writable = !collab.ended && (can.edit || can.suggest);
  const suggesting = !can.edit || preferSuggesting;
  const suggestionItems = useOpenSuggestions(editor);
  const suggestionsClient = useMemo(() => suggestionsApi(documentId), [documentId]);
  // A thread that discusses an open suggestion is shown on the suggestion's card, not among the comments.
  const { threads } = comments;
  const { suggestionThreads, commentThreads } = useMemo(() => {
    const open = new Set(suggestionItems.map((s) => s.id));
    const bySuggestion = new Map<string, typeof threads extends Map<string, infer T> ? T : never>();
    const rest = new Map(threads);
    for (const [id, thread] of threads)
      if (thread.suggestionId && open.has(thread.suggestionId)) {
        bySuggestion.set(thread.suggestionId, thread);
        rest.delete(id);
      }
    return { suggestionThreads: bySuggestion, commentThreads: rest };
  }, [threads, suggestionItems]);
  const [blocked, setBlocked] = useState<BlockedReason | null>(null);
  const onBlocked = useCallback((reason: BlockedReason) => setBlocked(reason), []);
  useEffect(() => {
    if (!blocked) return;
    const timer = setTimeout(() => setBlocked(null), 5000);
    return () => clearTimeout(timer);
  }, [blocked]);
  const columnRef = useRef<HTMLDivElement>(null);
  const [floatAt, setFloatAt] = useState<{ top: number; left: number } | null>(null);
  useAnnounceChanges(announcer.say, me.id, session.status, collab.connection, collab.participants);

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
    const onUpdate = () => setHasSignOffSlot(hasSignOffPart(editor.state.doc));
    onUpdate();
    editor.on('update', onUpdate);
    return () => void editor.off('update', onUpdate);
  }, [editor]);

  useEffect(() => {
    if (!editor) return;
    const onSelection = () => {
      const { empty, to } = editor.state.selection;
      setHasSelection(!empty);
      const column = columnRef.current;
      if (empty || !column) return setFloatAt(null);
      // The floating comment button sits just under the end of the selection.
      try {
        const end = editor.view.coordsAtPos(to);
        const box = column.getBoundingClientRect();
        setFloatAt({
          top: end.bottom - box.top + 4,
          left: Math.max(0, Math.min(end.left - box.left, box.width - 220)),
        });
      } catch {
        setFloatAt(null);
      }
    };
    editor.on('selectionUpdate', onSelection);
    return () => void editor.off('selectionUpdate', onSelection);
  }, [editor]);

  function startComment() {
    const anchor = editor && selectionAnchor(editor.state);
    if (anchor) {
      setPending(anchor);
      setActiveId(null);
    } else announcer.say(ta('selectFirst'));
  }
  const startCommentRef = useRef(startComment);
  startCommentRef.current = startComment;

  // Ctrl+Alt+M comments on the selection, as in the word processors people know.
  useEffect(() => {
    if (!canWrite) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey && e.altKey && !e.metaKey && e.code === 'KeyM') {
        e.preventDefault();
        startCommentRef.current();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [canWrite]);

  function cancelComment() {
    setPending(null);
    editor?.commands.focus();
  }

  return (
    <div
      className="editor-shell"
      data-synced={collab.synced ? 'true' : 'false'}
      data-readonly={writable ? 'false' : 'true'}
      data-suggesting={writable && suggesting ? 'true' : 'false'}
      // On a phone the comments open as a panel over the text while a thread or a new comment is open.
      data-panel={activeId || pending ? 'open' : 'closed'}
    >
      <SuggestionColors authorIds={members.map((m) => m.userId)} />
      <div className="editor-status">
        {/* Not a live region of its own: changes are announced through the page's one region (useAnnouncements). */}
        <span className={`connection connection-${collab.connection}`}>● {t(`connection.${collab.connection}`)}</span>
        <Presence participants={collab.participants} />
      </div>
      {collab.ended && <EndedBanner reason={collab.ended} documentId={documentId} />}
      {collab.discarded && (
        <div className="banner banner-alert" role="alert" data-testid="offline-discarded">
          {t('discarded')}
        </div>
      )}
      {!writable && !collab.ended && <ReadOnlyBanner session={session} />}
      {writable && !can.edit && <SuggestingNote />}
      <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="announcer">
        {announcer.message}
      </div>
      <div className="editor-body">
        <div className="editor-column" ref={columnRef}>
          {canWrite && (
            <div className="comment-bar">
              <button
                type="button"
                className="secondary"
                disabled={!hasSelection}
                aria-keyshortcuts="Control+Alt+M"
                onMouseDown={(e) => e.preventDefault() /* keep the selection in the document */}
                onClick={startComment}
              >
                {t('commentOnSelection')}
              </button>
            </div>
          )}
          {canWrite && hasSelection && floatAt && !pending && (
            <button
              type="button"
              className="comment-float"
              style={{ top: floatAt.top, left: floatAt.left }}
              aria-keyshortcuts="Control+Alt+M"
              onMouseDown={(e) => e.preventDefault() /* keep the selection in the document */}
              onClick={startComment}
            >
              {ta('commentHere')} <kbd>{ta('commentShortcut')}</kbd>
            </button>
          )}
          {collab.ydoc && collab.provider && (
            <SignOffContext.Provider value={signedOff}>
              <BoundEditor
                key={collab.ydoc.guid}
                ydoc={collab.ydoc}
                provider={collab.provider}
                readOnly={!writable}
                userName={me.name}
                userId={me.id}
                suggesting={suggesting}
                onBlocked={onBlocked}
                modeToggle={
                  can.edit && can.suggest ? (
                    <ModeToggle suggesting={preferSuggesting} onChange={setPreferSuggesting} />
                  ) : undefined
                }
                onReady={setEditor}
                onSelectThread={setActiveId}
                onRanges={setRanges}
              />
            </SignOffContext.Provider>
          )}
          {blocked && writable && <BlockedNote reason={blocked} />}
          {signedOff && !hasSignOffSlot && <SignedClosing info={signedOff} />}
        </div>
        <div className="editor-side">
          {suggestionItems.length > 0 && (
            <SuggestionsSidebar
              items={suggestionItems}
              members={members}
              meId={me.id}
              api={suggestionsClient}
              canDecide={can.decideSuggestions}
              canDecideAll={can.decideSuggestions && can.edit}
              canWithdraw={can.suggest || can.edit}
              onShow={(item) =>
                editor?.chain().focus().setTextSelection({ from: item.from, to: item.to }).scrollIntoView().run()
              }
              mayStartThread={(item) => canWrite && !suggestionThreads.has(item.id)}
              renderThread={(item, replying, done) => (
                <SuggestionThread
                  item={item}
                  thread={suggestionThreads.get(item.id)}
                  editor={editor}
                  members={members}
                  api={comments.api}
                  run={comments.run}
                  meId={me.id}
                  canWrite={canWrite}
                  canResolveAny={can.resolveAny}
                  replying={replying}
                  onReplyDone={done}
                />
              )}
            />
          )}
          <CommentsSidebar
            threads={commentThreads}
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
            onPendingCancel={cancelComment}
            onClose={() => {
              setActiveId(null);
              editor?.commands.focus();
            }}
            meId={me.id}
            canWrite={canWrite}
            canResolveAny={can.resolveAny}
          />
        </div>
      </div>
    </div>
  );
}

interface BoundProps {
  ydoc: Y.Doc;
  provider: WebsocketProvider;
  readOnly: boolean;
  userName: string;
  userId: string;
  /** Typing and deleting become suggestions (suggestion-mode.ts). */
  suggesting: boolean;
  onBlocked: (reason: BlockedReason) => void;
  modeToggle?: React.ReactNode;
  onReady: (editor: Editor | null) => void;
  onSelectThread: (id: string) => void;
  onRanges: (ranges: ThreadRanges) => void;
}

function BoundEditor({
  ydoc,
  provider,
  readOnly,
  userName,
  userId,
  suggesting,
  onBlocked,
  modeToggle,
  onReady,
  onSelectThread,
  onRanges,
}: BoundProps) {
  // The extension is configured once per editor; the latest callback is read through a ref.
  const t = useTranslations('editor');
  const onBlockedRef = useRef(onBlocked);
  onBlockedRef.current = onBlocked;
  const editor = useEditor(
    {
      immediatelyRender: false,
      editable: !readOnly,
      extensions: [
        // The shared schema, with the closing block's sign-off part rendered from the signed-off record.
        ...documentExtensions().map((e) => (e.name === ClosingSignOffView.name ? ClosingSignOffView : e)),
        Collaboration.configure({ document: ydoc, field: contentFragmentName }),
        // The server replaces `user` with what it knows; this is only the local preview.
        CollaborationCaret.configure({ provider, user: { name: userName, color: '#1f6feb' } }),
        CommentHighlights.configure({ onSelectThread, onRanges }),
        SuggestionMode.configure({ authorId: userId, suggesting, onBlocked: (r) => onBlockedRef.current(r) }),
        ReadingCaret,
      ],
      editorProps: {
        attributes: {
          class: 'voorstel',
          role: 'textbox',
          'aria-label': t('textLabel'),
          // The skip link's target; one Tab stop also when read-only (reading-caret.ts).
          id: 'document-text',
          tabindex: '0',
          'aria-multiline': 'true',
        },
        // Keep the caret clear of the sticky status bar, comment button and toolbar when it scrolls into view.
        scrollMargin: { top: 180, bottom: 60, left: 0, right: 0 },
        scrollThreshold: { top: 180, bottom: 60, left: 0, right: 0 },
      },
    },
    [ydoc, provider],
  );
  useEffect(() => {
    editor?.setEditable(!readOnly);
    editor?.view.dom.setAttribute('aria-readonly', readOnly ? 'true' : 'false');
  }, [editor, readOnly]);
  useEffect(() => {
    if (editor && !editor.isDestroyed) setSuggesting(editor.view, suggesting);
  }, [editor, suggesting]);
  useEffect(() => {
    onReady(editor);
    return () => onReady(null);
  }, [editor, onReady]);
  return (
    <>
      {editor && !readOnly && (
        <Toolbar editor={editor} suggesting={suggesting}>
          {modeToggle}
        </Toolbar>
      )}
      <EditorContent editor={editor} className="editor-content" />
    </>
  );
}

function SuggestingNote() {
  const t = useTranslations('suggestions');
  return (
    <div className="banner suggestion-note" role="note" data-testid="suggesting-note">
      {t('note')}
    </div>
  );
}

function BlockedNote({ reason }: { reason: BlockedReason }) {
  const t = useTranslations('suggestions');
  return (
    <p className="suggestion-blocked" role="status" data-testid="suggestion-blocked">
      {t(`blocked.${reason}`)}
    </p>
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
