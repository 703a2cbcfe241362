'use client';
import { useLocale, useTranslations } from 'next-intl';
import { useEffect, useRef, useState } from 'react';
import { formatDateTime } from '../labels';
import type { CommentsApi } from './api';
import { CommentBody } from './CommentBody';
import { emptyDraft, MentionInput, mentionsIn, type MentionDraft } from './MentionInput';
import type { CommentItem, Mentionable, Thread } from './types';

export interface ThreadPermissions {
  meId: string;
  /** Editors, commenters and the chair, while the document is not signed off. */
  canWrite: boolean;
  /** Editors and the chair resolve any thread; others only their own. */
  canResolveAny: boolean;
}

interface Props extends ThreadPermissions {
  thread: Thread;
  detached: boolean;
  active: boolean;
  members: Mentionable[];
  api: CommentsApi;
  run: (action: () => Promise<Thread>) => Promise<Thread | undefined>;
  onActivate: () => void;
}

/** One thread beside its passage: the quote, every comment with author and municipality, a reply box, resolve. */
export function ThreadCard({ thread, detached, active, members, api, run, onActivate, ...can }: Props) {
  const t = useTranslations('comments');
  const [reply, setReply] = useState<MentionDraft>(emptyDraft);
  const ta = useTranslations('a11y');
  const cardRef = useRef<HTMLElement>(null);
  // Enter on a focused card opens it and puts the caret in its reply box (once the box is there).
  const [focusReply, setFocusReply] = useState(false);
  useEffect(() => {
    if (!focusReply || !active) return;
    cardRef.current?.querySelector<HTMLTextAreaElement>('.thread-reply textarea')?.focus();
    setFocusReply(false);
  }, [focusReply, active]);
  const mayResolve = can.canWrite && (can.canResolveAny || thread.createdBy?.id === can.meId);
  const resolved = thread.status === 'resolved';
  // A long thread arrives with its first and latest comments; the ones between load on request.
  const hidden = thread.commentCount - thread.comments.length;

  async function sendReply() {
    if (!reply.text.trim()) return;
    if (await run(() => api.reply(thread.id, reply.text, mentionsIn(reply, members)))) {
      setReply(emptyDraft);
      // The reply button turns disabled with the box empty: focus goes back to the box, not to the page.
      cardRef.current?.querySelector<HTMLTextAreaElement>('.thread-reply textarea')?.focus();
    }
  }

  return (
    <article
      className={`thread${active ? ' thread-active' : ''}${resolved ? ' thread-resolved' : ''}${detached ? ' thread-detached' : ''}`}
      data-thread-id={thread.id}
      data-status={thread.status}
      data-detached={detached ? 'true' : 'false'}
      ref={cardRef}
      // One Tab stop per thread; Enter opens it (a screen reader hears who commented on which passage).
      tabIndex={0}
      aria-label={ta('threadCard', { name: thread.comments[0]?.author?.name ?? '…', quote: thread.quote.slice(0, 80) })}
      aria-describedby={active ? undefined : `${thread.id}-hint`}
      onClick={onActivate}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && e.target === e.currentTarget) {
          e.preventDefault();
          onActivate();
          setFocusReply(true);
        }
      }}
    >
      {!active && (
        <span id={`${thread.id}-hint`} hidden>
          {ta('threadOpenHint')}
        </span>
      )}
      <blockquote className="thread-quote" title={t('quoted')}>
        {thread.quote}
      </blockquote>
      {detached && <p className="thread-note">{t('passageDeleted')}</p>}
      {resolved && (
        <p className="thread-note" data-testid="thread-resolved">
          {thread.resolvedBy ? t('resolvedBy', { name: thread.resolvedBy.name }) : t('resolved')}
        </p>
      )}
      <ol className="thread-comments">
        {thread.comments.map((c, i) => [
          <CommentRow
            key={c.id}
            comment={c}
            thread={thread}
            members={members}
            api={api}
            run={run}
            mine={c.author?.id === can.meId && can.canWrite}
          />,
          i === 0 && hidden > 0 && (
            <li key="earlier" className="comment comment-earlier" onClick={(e) => e.stopPropagation()}>
              <button type="button" className="link-button" onClick={() => void run(() => api.full(thread.id))}>
                {t('showEarlier', { count: hidden })}
              </button>
            </li>
          ),
        ])}
      </ol>
      {active && can.canWrite && (
        <div className="thread-reply" onClick={(e) => e.stopPropagation()}>
          <MentionInput
            value={reply}
            onChange={setReply}
            members={members}
            label={t('reply')}
            placeholder={t('replyPlaceholder')}
          />
          <div className="thread-actions">
            <button type="button" onClick={() => void sendReply()} disabled={!reply.text.trim()}>
              {t('replySubmit')}
            </button>
            {mayResolve && (
              <button
                type="button"
                className="secondary"
                onClick={() => void run(() => (resolved ? api.reopen(thread.id) : api.resolve(thread.id)))}
              >
                {resolved ? t('reopen') : t('resolve')}
              </button>
            )}
          </div>
        </div>
      )}
    </article>
  );
}

function CommentRow(props: {
  comment: CommentItem;
  thread: Thread;
  members: Mentionable[];
  api: CommentsApi;
  run: Props['run'];
  mine: boolean;
}) {
  const { comment: c, thread, members, api, run, mine } = props;
  const t = useTranslations('comments');
  const locale = useLocale();
  const [editing, setEditing] = useState<MentionDraft | null>(null);
  const deleted = c.body === null;
  return (
    <li className="comment" data-comment-id={c.id}>
      <div className="comment-meta">
        <strong>{c.author?.name ?? t('unknown')}</strong>
        {c.author?.organisation ? <span className="muted"> · {c.author.organisation}</span> : null}
        <span className="muted"> · {formatDateTime(c.createdAt, locale)}</span>
        {c.editedAt && !deleted ? <span className="muted"> · {t('edited')}</span> : null}
      </div>
      {deleted ? (
        <p className="comment-deleted">{t('deleted')}</p>
      ) : editing ? (
        <div onClick={(e) => e.stopPropagation()}>
          <MentionInput value={editing} onChange={setEditing} members={members} label={t('editLabel')} autoFocus />
          <div className="thread-actions">
            <button
              type="button"
              onClick={() =>
                void run(() => api.edit(thread.id, c.id, editing.text, mentionsIn(editing, members))).then(
                  (saved) => saved && setEditing(null),
                )
              }
            >
              {t('save')}
            </button>
            <button type="button" className="secondary" onClick={() => setEditing(null)}>
              {t('cancel')}
            </button>
          </div>
        </div>
      ) : (
        <CommentBody body={c.body!} mentions={c.mentions} members={members} />
      )}
      {mine && !deleted && !editing && (
        <div className="comment-tools" onClick={(e) => e.stopPropagation()}>
          <button
            type="button"
            className="link-button"
            onClick={() => setEditing({ text: c.body!, picked: c.mentions })}
          >
            {t('edit')}
          </button>
          <button
            type="button"
            className="link-button danger"
            onClick={() => void run(() => api.remove(thread.id, c.id))}
          >
            {t('remove')}
          </button>
        </div>
      )}
    </li>
  );
}
