'use client';
import { useTranslations } from 'next-intl';
import { useId, useRef, useState, type KeyboardEvent } from 'react';
import type { Mentionable } from './types';

export interface MentionDraft {
  text: string;
  /** Member ids picked from the list; only those whose "@Name" is still in the text are sent. */
  picked: string[];
}

export const emptyDraft: MentionDraft = { text: '', picked: [] };

export function mentionsIn(draft: MentionDraft, members: Mentionable[]): string[] {
  return draft.picked.filter((id) => {
    const m = members.find((x) => x.userId === id);
    return m && draft.text.includes(`@${m.name}`);
  });
}

/** The "@query" being typed just before the caret, if any. */
function queryAt(text: string, caret: number): { start: number; query: string } | null {
  const match = /(^|\s)@([^\s@]{0,40})$/.exec(text.slice(0, caret));
  return match ? { start: caret - match[2]!.length - 1, query: match[2]!.toLowerCase() } : null;
}

/**
 * A plain-text box in which "@" opens a list of the document's members; picking one writes "@Name" and records
 * the member's id. Arrow keys move through the list, Enter or Tab picks, Escape closes it.
 */
export function MentionInput(props: {
  value: MentionDraft;
  onChange: (draft: MentionDraft) => void;
  members: Mentionable[];
  label: string;
  placeholder?: string;
  autoFocus?: boolean;
}) {
  const t = useTranslations('comments');
  const { value, onChange, members } = props;
  const ref = useRef<HTMLTextAreaElement>(null);
  const listId = useId();
  const [query, setQuery] = useState<{ start: number; query: string } | null>(null);
  const [highlight, setHighlight] = useState(0);
  const options = query ? members.filter((m) => m.name.toLowerCase().includes(query.query)).slice(0, 8) : [];
  const open = options.length > 0;

  function pick(m: Mentionable) {
    const el = ref.current;
    if (!el || !query) return;
    const caret = el.selectionStart;
    const inserted = `@${m.name} `;
    const text = value.text.slice(0, query.start) + inserted + value.text.slice(caret);
    onChange({ text, picked: [...new Set([...value.picked, m.userId])] });
    setQuery(null);
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(query.start + inserted.length, query.start + inserted.length);
    });
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (!open) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setHighlight((h) => (h + (e.key === 'ArrowDown' ? 1 : options.length - 1)) % options.length);
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault();
      pick(options[Math.min(highlight, options.length - 1)]!);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      setQuery(null);
    }
  }

  return (
    <div className="mention-input">
      <textarea
        ref={ref}
        aria-label={props.label}
        placeholder={props.placeholder}
        autoFocus={props.autoFocus}
        rows={3}
        maxLength={10_000}
        value={value.text}
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        onKeyDown={onKeyDown}
        onChange={(e) => {
          onChange({ ...value, text: e.target.value });
          setQuery(queryAt(e.target.value, e.target.selectionStart));
          setHighlight(0);
        }}
        onBlur={() => setTimeout(() => setQuery(null), 150)}
      />
      {open && (
        <ul className="mention-list" role="listbox" id={listId} aria-label={t('mentionList')}>
          {options.map((m, i) => (
            <li
              key={m.userId}
              role="option"
              aria-selected={i === highlight}
              className={i === highlight ? 'active' : ''}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(m);
              }}
            >
              {m.name}
              {m.organisation ? <span className="muted"> · {m.organisation}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
