'use client';
import { useTranslations } from 'next-intl';
import { useState, type ReactNode } from 'react';
import type { Mentionable } from '../comments/types';
import type { SuggestionAction, SuggestionsApi } from './api';
import type { SuggestionItem } from './open-suggestions';
import { SuggestionCard } from './SuggestionCard';
import { FormError } from '../FormError';

interface Props {
  items: SuggestionItem[];
  members: Mentionable[];
  meId: string;
  api: SuggestionsApi;
  /** Editors and the chair accept and reject. */
  canDecide: boolean;
  /** Editors accept or reject everything of one author at once. */
  canDecideAll: boolean;
  /** Whoever may still suggest may withdraw their own. */
  canWithdraw: boolean;
  onShow: (item: SuggestionItem) => void;
  /** Whether a reply may start a thread on this suggestion (it has none yet, and this person writes comments). */
  mayStartThread: (item: SuggestionItem) => boolean;
  /** The suggestion's thread, or the form that starts one while `replying`. */
  renderThread: (item: SuggestionItem, replying: boolean, done: () => void) => ReactNode;
}

/**
 * The open suggestions in document order, one card each, derived from the live document (useOpenSuggestions). An
 * action calls the API; its effect arrives as a change of the document, for everyone at once, and the card goes.
 */
export function SuggestionsSidebar(props: Props) {
  const { items, members, api } = props;
  const t = useTranslations('suggestions');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState('');
  const [replyingTo, setReplyingTo] = useState<string | null>(null);
  const memberOf = (id: string) => members.find((m) => m.userId === id);

  async function run(key: string, action: () => Promise<void>) {
    setBusy(key);
    setError('');
    try {
      await action();
    } catch (err) {
      setError(t('failed', { message: (err as Error).message }));
    } finally {
      setBusy(null);
    }
  }

  const authors = [...new Set(items.map((s) => s.authorId))];
  return (
    <section className="comments-sidebar suggestions-sidebar" aria-label={t('sidebarLabel')} data-testid="suggestions">
      <div className="comments-header">
        <h2>{t('title')}</h2>
      </div>
      {props.canDecideAll && authors.length > 0 && (
        <div className="suggestions-by-author">
          {authors.map((authorId) => {
            const name = memberOf(authorId)?.name ?? t('unknownAuthor');
            return (
              <div key={authorId} data-author-id={authorId}>
                <span>{t('perAuthor', { name })}</span>
                <button
                  type="button"
                  disabled={busy !== null}
                  onClick={() => void run(`all:${authorId}`, () => api.all(authorId, 'accept'))}
                >
                  {t('acceptAll')}
                </button>
                <button
                  type="button"
                  className="secondary"
                  disabled={busy !== null}
                  onClick={() => void run(`all:${authorId}`, () => api.all(authorId, 'reject'))}
                >
                  {t('rejectAll')}
                </button>
              </div>
            );
          })}
        </div>
      )}
      <FormError error={error} />
      {items.map((item) => (
        <SuggestionCard
          key={item.id}
          item={item}
          author={memberOf(item.authorId)}
          can={{ decide: props.canDecide, withdraw: props.canWithdraw && item.authorId === props.meId }}
          busy={busy !== null}
          onAction={(action: SuggestionAction) => void run(item.id, () => api.act(item.id, action))}
          onShow={() => props.onShow(item)}
          onReply={props.mayStartThread(item) ? () => setReplyingTo(item.id) : undefined}
          thread={props.renderThread(item, replyingTo === item.id, () => setReplyingTo(null))}
        />
      ))}
      {!items.length && <p className="muted">{t('none')}</p>}
    </section>
  );
}
