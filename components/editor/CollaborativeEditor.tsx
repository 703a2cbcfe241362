'use client';
import type { Editor } from '@tiptap/core';
import { useTranslations } from 'next-intl';
import { useRef, useState } from 'react';
import { CommentsSidebar } from '../comments/CommentsSidebar';
import type { Mentionable } from '../comments/types';
import { useThreads } from '../comments/useThreads';
import { SignedClosing } from '../SignedClosing';
import { SuggestionsSidebar } from '../suggestions/SuggestionsSidebar';
import { SuggestionThread } from '../suggestions/SuggestionThread';
import { ModeToggle } from '../suggestions/ModeToggle';
import { SuggestionColors } from '../suggestions/SuggestionColors';
import type { SignedOffInfo } from './connection';
import type { DocumentPolicy } from '@/common/policy';
import { BoundEditor } from './BoundEditor';
import { CommentButtons } from './CommentButtons';
import { useCommentWiring } from './comment-wiring';
import { EndedBanner } from './EndedBanner';
import { Presence } from './Presence';
import { SignOffContext } from './sign-off';
import { ReadOnlyBanner, useStatusLock } from './status-lock';
import { BlockedNote, SuggestingNote, useSuggestionWiring } from './suggestion-wiring';
import { useAnnounceChanges, useAnnouncedCommentEvents, useAnnouncer } from './useAnnouncements';
import { useCollaboration } from './useCollaboration';

/**
 * The document page's editor: the live connection, the text, and the comments and suggestions beside it. It only
 * composes; each concern lives in its own module (BoundEditor, comment-wiring, CommentButtons, suggestion-wiring,
 * status-lock, useAnnouncements, useCollaboration).
 */
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
  const announcer = useAnnouncer(me.id, members);
  const onCommentEvent = useAnnouncedCommentEvents(comments.onEvent, announcer.announceEvent);
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
  const [editor, setEditor] = useState<Editor | null>(null);
  const { signedOff, hasSignOffSlot } = useStatusLock(session, initialStatus, editor);
  const can = session.can ?? initialCan;
  const canWrite = can.comment;
  const suggestions = useSuggestionWiring(documentId, editor, can, collab.ended, comments.threads);
  const { writable, suggesting, suggestionThreads } = suggestions;
  const columnRef = useRef<HTMLDivElement>(null);
  useAnnounceChanges(announcer.say, me.id, session.status, collab.connection, collab.participants);
  const commenting = useCommentWiring({
    editor,
    comments,
    synced: collab.synced,
    canWrite,
    initialThreadId,
    say: announcer.say,
  });

  return (
    <div
      className="editor-shell"
      data-synced={collab.synced ? 'true' : 'false'}
      data-readonly={writable ? 'false' : 'true'}
      data-suggesting={writable && suggesting ? 'true' : 'false'}
      // On a phone the comments open as a panel over the text while a thread or a new comment is open.
      data-panel={commenting.activeId || commenting.pending ? 'open' : 'closed'}
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
          {/* Someone who may suggest lost changes the suggestion guard refused: say what they can still do. */}
          {can.suggest && !can.edit ? t('discardedSuggesting') : t('discarded')}
        </div>
      )}
      {!writable && !collab.ended && <ReadOnlyBanner session={session} />}
      {writable && !can.edit && <SuggestingNote />}
      <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="announcer">
        {announcer.message}
      </div>
      <div className="editor-body">
        <div className="editor-column" ref={columnRef}>
          <CommentButtons
            editor={editor}
            columnRef={columnRef}
            canWrite={canWrite}
            pending={!!commenting.pending}
            onStart={commenting.startComment}
          />
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
                onBlocked={suggestions.onBlocked}
                modeToggle={
                  can.edit && can.suggest ? (
                    <ModeToggle suggesting={suggestions.preferSuggesting} onChange={suggestions.setPreferSuggesting} />
                  ) : undefined
                }
                onReady={setEditor}
                onSelectThread={commenting.setActiveId}
                onRanges={commenting.setRanges}
              />
            </SignOffContext.Provider>
          )}
          {suggestions.blocked && writable && <BlockedNote reason={suggestions.blocked} />}
          {signedOff && !hasSignOffSlot && <SignedClosing info={signedOff} />}
        </div>
        <div className="editor-side">
          {suggestions.items.length > 0 && (
            <SuggestionsSidebar
              items={suggestions.items}
              members={members}
              meId={me.id}
              api={suggestions.api}
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
            threads={suggestions.commentThreads}
            ranges={commenting.ranges}
            editor={editor}
            members={members}
            api={comments.api}
            run={comments.run}
            error={comments.error}
            activeId={commenting.activeId}
            onActivate={commenting.setActiveId}
            pending={commenting.pending}
            onPendingDone={() => commenting.setPending(null)}
            onPendingCancel={commenting.cancelComment}
            onClose={commenting.closeThread}
            meId={me.id}
            canWrite={canWrite}
            canResolveAny={can.resolveAny}
          />
        </div>
      </div>
    </div>
  );
}
