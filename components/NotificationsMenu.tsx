'use client';
import { useLocale, useTranslations } from 'next-intl';
import { useCallback, useEffect, useState } from 'react';
import { notificationsChangedEvent } from './comments/useThreads';
import { formatDateTime } from './labels';

interface NotificationItem {
  id: string;
  kind: 'mention' | 'reply' | 'thread_resolved' | 'thread_reopened' | 'document_review' | 'document_signed_off';
  documentId: string;
  documentTitle: string;
  threadId: string | null;
  actor: { name: string; organisation: string | null } | null;
  excerpt: string;
  createdAt: string;
  readAt: string | null;
}

/** The thread it is about, or the document for a status change. */
const hrefOf = (n: NotificationItem) => `/documents/${n.documentId}${n.threadId ? `?thread=${n.threadId}` : ''}`;

/**
 * The header's notifications: an unread count and a list of mentions, replies, resolved threads and status changes,
 * each linking to its thread or document. Refreshed when
 * the page opens, when the window regains focus, and when a comment event on an open document mentions this
 * person (no polling).
 */
export function NotificationsMenu() {
  const t = useTranslations('notifications');
  const locale = useLocale();
  const [data, setData] = useState<{ unread: number; notifications: NotificationItem[] }>({
    unread: 0,
    notifications: [],
  });
  const [open, setOpen] = useState(false);

  const load = useCallback(async () => {
    const res = await fetch('/api/notifications');
    if (res.ok) setData(await res.json());
  }, []);

  useEffect(() => {
    void load();
    const onFocus = () => void load();
    window.addEventListener(notificationsChangedEvent, onFocus);
    window.addEventListener('focus', onFocus);
    return () => {
      window.removeEventListener(notificationsChangedEvent, onFocus);
      window.removeEventListener('focus', onFocus);
    };
  }, [load]);

  async function follow(n: NotificationItem) {
    if (!n.readAt) await fetch(`/api/notifications/${n.id}/read`, { method: 'POST' });
    window.location.assign(hrefOf(n));
  }

  async function readAll() {
    await fetch('/api/notifications/read-all', { method: 'POST' });
    await load();
  }

  return (
    <div className="notifications">
      <button
        type="button"
        className="link-button"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        data-testid="notifications-button"
      >
        {t('button')}
        {data.unread > 0 && (
          <span className="badge" data-testid="notifications-unread" aria-label={t('unread', { count: data.unread })}>
            {data.unread}
          </span>
        )}
      </button>
      {open && (
        <div className="notifications-panel" role="dialog" aria-label={t('button')}>
          {data.notifications.length === 0 ? (
            <p className="muted">{t('none')}</p>
          ) : (
            <ul>
              {data.notifications.map((n) => (
                <li key={n.id} className={n.readAt ? 'read' : 'unread'}>
                  <a
                    href={hrefOf(n)}
                    onClick={(e) => {
                      e.preventDefault();
                      void follow(n);
                    }}
                  >
                    {/* The actor's name, then what happened, then the document's title. */}
                    <strong>{n.actor?.name ?? t('someone')}</strong> {t(`what.${n.kind}`)} <em>{n.documentTitle}</em>
                  </a>
                  {n.excerpt && <div className="muted">{n.excerpt}</div>}
                  <div className="muted">{formatDateTime(n.createdAt, locale)}</div>
                </li>
              ))}
            </ul>
          )}
          {data.unread > 0 && (
            <button type="button" className="secondary" onClick={() => void readAll()}>
              {t('markAllRead')}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
