import type { ReactNode } from 'react';
import type { Mentionable } from './types';

/**
 * A comment's text, rendered only as React text nodes (line breaks by CSS `white-space: pre-wrap`): whatever a
 * person writes, markup included, shows as the characters they typed. "@Name" of a mentioned member is marked.
 */
export function CommentBody({ body, mentions, members }: { body: string; mentions: string[]; members: Mentionable[] }) {
  const names = mentions
    .map((id) => members.find((m) => m.userId === id)?.name)
    .filter((n): n is string => !!n)
    .sort((a, b) => b.length - a.length)
    .map((n) => `@${n}`);
  const parts: ReactNode[] = [];
  let rest = body;
  let key = 0;
  while (rest && names.length) {
    const hits = names.map((n) => ({ n, at: rest.indexOf(n) })).filter((h) => h.at >= 0);
    if (!hits.length) break;
    const first = hits.reduce((a, b) => (b.at < a.at ? b : a));
    if (first.at > 0) parts.push(rest.slice(0, first.at));
    parts.push(
      <span key={key++} className="mention">
        {first.n}
      </span>,
    );
    rest = rest.slice(first.at + first.n.length);
  }
  if (rest) parts.push(rest);
  return <div className="comment-body">{parts}</div>;
}
