'use client';
import type { Editor } from '@tiptap/core';
import { useTranslations } from 'next-intl';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ThreadRanges } from '../editor/comment-highlights';
import type { CommentsApi } from './api';
import { emptyDraft, type MentionDraft } from './MentionInput';
import { NewThreadForm } from './NewThreadForm';
import { ThreadCard, type ThreadPermissions } from './ThreadCard';
import type { Mentionable, Thread, ThreadFilter } from './types';
import { FormError } from '../FormError';

interface Props extends ThreadPermissions {
  threads: Map<string, Thread>;
  ranges: ThreadRanges;
  editor: Editor | null;
  members: Mentionable[];
  api: CommentsApi;
  run: (action: () => Promise<Thread>) => Promise<Thread | undefined>;
  error: string;
  activeId: string | null;
  onActivate: (id: string | null) => void;
  /** A passage selected for a new comment. */
  pending: { start: string; end: string; quote: string } | null;
  onPendingDone: () => void;
  /** The new comment is abandoned (Annuleren, Escape): focus goes back to the text. */
  onPendingCancel: () => void;
  /** Closes the panel the comments open in on a phone (the button shows only there). */
  onClose: () => void;
}

const filters = [
  ['open', 'filterOpen'],
  ['resolved', 'filterResolved'],
  ['all', 'filterAll'],
] as const satisfies readonly (readonly [ThreadFilter, string])[];
const gap = 8;

/**
 * Threads beside their passages, in document order: each card's top follows its passage's line in the editor,
 * pushed down when the card above needs the room. Detached threads (passage deleted) follow, with their quote.
 */
export function CommentsSidebar(props: Props) {
  const { threads, ranges, editor, activeId, onActivate, pending } = props;
  const t = useTranslations('comments');
  const ta = useTranslations('a11y');
  const [filter, setFilter] = useState<ThreadFilter>('open');
  const [draft, setDraft] = useState<MentionDraft>(emptyDraft);
  const [tops, setTops] = useState<Record<string, number>>({});
  const columnRef = useRef<HTMLDivElement>(null);
  const cards = useRef(new Map<string, HTMLElement>());
  const [, reflow] = useState(0);
  // After posting, focus moves to the new thread's card (once it is rendered), where reply and resolve are.
  const [focusId, setFocusId] = useState<string | null>(null);
  useEffect(() => {
    if (!focusId) return;
    const el = cards.current.get(focusId)?.querySelector<HTMLElement>('.thread');
    if (el) {
      el.focus();
      setFocusId(null);
    }
  });

  // Line positions change with the window's width: lay the cards out again.
  useEffect(() => {
    const onResize = () => reflow((n) => n + 1);
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);

  // The active thread (a clicked highlight, a notification's link) is brought into view once it is placed.
  const placed =
    activeId !== null && (tops[activeId] !== undefined || (threads.has(activeId) && !ranges.get(activeId)));
  useEffect(() => {
    if (placed && activeId) cards.current.get(activeId)?.scrollIntoView({ block: 'nearest' });
  }, [placed, activeId]);

  const visible = [...threads.values()].filter((th) => filter === 'all' || th.status === filter || th.id === activeId);
  const attached = visible
    .filter((t) => ranges.get(t.id))
    .sort((a, b) => ranges.get(a.id)!.from - ranges.get(b.id)!.from);
  const detached = visible.filter((t) => !ranges.get(t.id));

  useLayoutEffect(() => {
    const column = columnRef.current;
    if (!column || !editor || editor.isDestroyed) return;
    const origin = column.getBoundingClientRect().top;
    const next: Record<string, number> = {};
    let bottom = 0;
    for (const t of attached) {
      let want = bottom;
      try {
        want = editor.view.coordsAtPos(ranges.get(t.id)!.from).top - origin;
      } catch {
        // a position the view cannot measure yet: stack under the previous card
      }
      const top = Math.max(want, bottom);
      next[t.id] = top;
      bottom = top + (cards.current.get(t.id)?.offsetHeight ?? 0) + gap;
    }
    const changed =
      Object.keys(next).length !== Object.keys(tops).length ||
      Object.entries(next).some(([id, top]) => Math.abs((tops[id] ?? -1e9) - top) > 1);
    if (changed) setTops(next);
  });

  async function create(text: string, mentions: string[]) {
    if (!pending) return false;
    const thread = await props.run(() => props.api.create({ start: pending.start, end: pending.end }, text, mentions));
    if (thread) {
      props.onPendingDone();
      onActivate(thread.id);
      setFocusId(thread.id);
    }
    return !!thread;
  }

  const height = attached.reduce(
    (h, t) => Math.max(h, (tops[t.id] ?? 0) + (cards.current.get(t.id)?.offsetHeight ?? 0)),
    0,
  );
  const card = (t: Thread, style?: React.CSSProperties) => (
    <div
      key={t.id}
      ref={(el) => void (el ? cards.current.set(t.id, el) : cards.current.delete(t.id))}
      style={style}
      className="thread-slot"
    >
      <ThreadCard
        thread={t}
        detached={!ranges.get(t.id)}
        active={t.id === activeId}
        members={props.members}
        api={props.api}
        run={props.run}
        onActivate={() => onActivate(t.id)}
        meId={props.meId}
        canWrite={props.canWrite}
        canResolveAny={props.canResolveAny}
      />
    </div>
  );

  return (
    <aside className="comments-sidebar" aria-label={t('heading')}>
      <div className="comments-header">
        <button type="button" className="secondary comments-close" onClick={props.onClose}>
          {ta('closeComments')}
        </button>
        <h2>{t('heading')}</h2>
        <div className="comments-filter" role="group" aria-label={t('filter')}>
          {filters.map(([value, label]) => (
            <button
              key={value}
              type="button"
              className={filter === value ? 'active' : 'secondary'}
              aria-pressed={filter === value}
              onClick={() => setFilter(value)}
            >
              {t(label)}
            </button>
          ))}
        </div>
      </div>
      <FormError error={props.error} />
      {pending && props.canWrite && (
        <NewThreadForm
          className="thread thread-new"
          label={t('newLabel')}
          inputLabel={t('comment')}
          placeholder={t('commentPlaceholder')}
          submitLabel={t('post')}
          cancelLabel={t('cancel')}
          members={props.members}
          draft={draft}
          onDraft={setDraft}
          onSubmit={create}
          onCancel={props.onPendingCancel}
          escapeCancels
        >
          <blockquote className="thread-quote">{pending.quote}</blockquote>
        </NewThreadForm>
      )}
      <div className="comments-column" ref={columnRef} style={{ height }}>
        {attached.map((t) => card(t, { position: 'absolute', top: tops[t.id] ?? 0, left: 0, right: 0 }))}
      </div>
      {detached.length > 0 && (
        <section className="comments-detached">
          <h3>{t('detached')}</h3>
          {detached.map((t) => card(t))}
        </section>
      )}
      {!visible.length && !pending && <p className="muted">{t('none')}</p>}
    </aside>
  );
}
