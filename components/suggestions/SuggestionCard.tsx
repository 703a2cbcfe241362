'use client';
import { useLocale, useTranslations } from 'next-intl';
import type { CSSProperties, ReactNode } from 'react';
import { colorFor } from '@/common/person-color';
import { formatDateTime } from '../labels';
import type { Mentionable } from '../comments/types';
import type { SuggestionAction } from './api';
import type { SuggestionItem } from './open-suggestions';

/** Long passages are shortened in the card; the text itself shows them whole. */
const clip = (text: string) => (text.length > 80 ? `${text.slice(0, 77)}…` : text);

export interface SuggestionPermissions {
  /** Accept and reject (editors and the chair). */
  decide: boolean;
  /** Withdraw: the author, while the text is open. */
  withdraw: boolean;
}

interface Props {
  item: SuggestionItem;
  author: Mentionable | undefined;
  can: SuggestionPermissions;
  busy: boolean;
  onAction: (action: SuggestionAction) => void;
  /** Shows the passage in the text. */
  onShow: () => void;
  /** Starts a reply (a comment thread on the passage) when the suggestion has no thread yet. */
  onReply?: () => void;
  /** The suggestion's reply thread, rendered by the comments sidebar's card. */
  thread?: ReactNode;
}

/** One suggestion: who, from where, what it changes, and what the reader may do with it. */
export function SuggestionCard({ item, author, can, busy, onAction, onShow, onReply, thread }: Props) {
  const t = useTranslations('suggestions');
  const locale = useLocale();
  const change =
    item.kind === 'replace'
      ? t('change.replace', { text: clip(item.text), replacement: clip(item.replacement ?? '') })
      : t(`change.${item.kind}`, { text: clip(item.text) });
  const style = { '--suggestion-color': colorFor(item.authorId) } as CSSProperties;
  return (
    <article
      className="thread suggestion-card"
      style={style}
      data-suggestion-id={item.id}
      data-kind={item.kind}
      aria-label={change}
    >
      <div className="comment-meta">
        <strong>{author?.name ?? t('unknownAuthor')}</strong>
        {author?.organisation ? <span className="muted"> · {author.organisation}</span> : null}
        {item.createdAt ? <span className="muted"> · {formatDateTime(item.createdAt, locale)}</span> : null}
      </div>
      <p className="suggestion-change">
        <button type="button" className="link-button" onClick={onShow}>
          {change}
        </button>
      </p>
      {(can.decide || can.withdraw || onReply) && (
        <div className="thread-actions">
          {can.decide && (
            <>
              <button type="button" disabled={busy} onClick={() => onAction('accept')}>
                {t('accept')}
              </button>
              <button type="button" className="secondary" disabled={busy} onClick={() => onAction('reject')}>
                {t('reject')}
              </button>
            </>
          )}
          {can.withdraw && (
            <button type="button" className="secondary" disabled={busy} onClick={() => onAction('withdraw')}>
              {t('withdraw')}
            </button>
          )}
          {onReply && (
            <button type="button" className="secondary" onClick={onReply}>
              {t('reply')}
            </button>
          )}
        </div>
      )}
      {thread}
    </article>
  );
}
