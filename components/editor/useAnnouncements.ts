'use client';
import { useTranslations } from 'next-intl';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CommentEvent, Mentionable } from '../comments/types';
import type { ConnectionState } from './connection';
import type { Participant } from './Presence';

const short = (text: string) => (text.length > 80 ? `${text.slice(0, 79)}…` : text);

/**
 * The page's one polite live region: what others do while a person reads or types (a new comment or reply, a
 * resolved thread, a status change, someone joining or leaving, the connection) is read out by a screen reader
 * without moving focus. What the person did themself is not announced: they know, and focus shows the result.
 */
export function useAnnouncer(meId: string, members: Mentionable[]) {
  const t = useTranslations('a11y.announce');
  const [message, setMessage] = useState('');
  // The same sentence twice in a row must be read twice: a non-breaking space makes it a change.
  const say = useCallback((text: string) => setMessage((m) => (m === text ? `${text}\u00a0` : text)), []);
  const announceEvent = useCallback(
    (raw: unknown) => {
      const event = raw as CommentEvent;
      if (typeof event?.type !== 'string' || event.actorId === meId) return;
      const name = members.find((m) => m.userId === event.actorId)?.name ?? t('someone');
      if (event.type === 'thread.created') say(t('threadCreated', { name, quote: short(event.thread.quote) }));
      else if (event.type === 'comment.added') say(t('commentAdded', { name }));
      else if (event.type === 'thread.resolved') say(t('threadResolved', { name }));
      else if (event.type === 'thread.reopened') say(t('threadReopened', { name }));
    },
    [meId, members, say, t],
  );
  return { message, say, announceEvent };
}

/** Announces changes of the document's status, of the connection and of who is present (after the first sync). */
export function useAnnounceChanges(
  say: (text: string) => void,
  meId: string,
  status: string,
  connection: ConnectionState,
  participants: Participant[],
) {
  const t = useTranslations('a11y.announce');
  const tStatus = useTranslations('status.label');
  const lastStatus = useRef(status);
  useEffect(() => {
    if (status === lastStatus.current) return;
    lastStatus.current = status;
    say(t('status', { status: tStatus(status as 'draft') }));
  }, [status, say, t, tStatus]);

  const lastConnection = useRef<ConnectionState | null>(null);
  const everConnected = useRef(false);
  useEffect(() => {
    const before = lastConnection.current;
    lastConnection.current = connection;
    // The first connection is not news; a lost or regained one is.
    if (before !== connection && everConnected.current) say(t(`connection.${connection}`));
    if (connection === 'connected') everConnected.current = true;
  }, [connection, say, t]);

  const present = useRef<Map<string, string> | null>(null);
  useEffect(() => {
    const now = new Map(participants.filter((p) => p.id && p.id !== meId).map((p) => [p.id!, p.name]));
    const before = present.current;
    // The people already here when the page opened are shown in the presence list, not announced one by one.
    if (!before) {
      if (participants.some((p) => p.id === meId)) present.current = now;
      return;
    }
    const news = [
      ...[...now].filter(([id]) => !before.has(id)).map(([, name]) => t('joined', { name })),
      ...[...before].filter(([id]) => !now.has(id)).map(([, name]) => t('left', { name })),
    ];
    if (news.length) say(news.join(' '));
    present.current = now;
  }, [participants, meId, say, t]);
}

/** Every comment event is applied, and announced (politely) when someone else caused it. */
export function useAnnouncedCommentEvents(apply: (event: unknown) => void, announceEvent: (event: unknown) => void) {
  return useCallback(
    (event: unknown) => {
      apply(event);
      announceEvent(event);
    },
    [apply, announceEvent],
  );
}
