'use client';
import type { KeyboardEvent, ReactNode } from 'react';
import { emptyDraft, MentionInput, mentionsIn, type MentionDraft } from './MentionInput';
import type { Mentionable } from './types';

/**
 * The form that starts a comment thread: a mention box (focused on opening), then post and cancel. The sidebar uses
 * it for a new comment on the selected passage, a suggestion card for the first reply on the suggestion. The draft
 * is the caller's state, so it outlives the form (a cancelled draft is still there when the form opens again).
 */
export function NewThreadForm(props: {
  className: string;
  /** The form's accessible name. */
  label: string;
  inputLabel: string;
  placeholder: string;
  submitLabel: string;
  cancelLabel: string;
  members: Mentionable[];
  draft: MentionDraft;
  onDraft: (draft: MentionDraft) => void;
  /** Starts the thread with the text and the members it mentions; resolves to whether it was created. */
  onSubmit: (text: string, mentions: string[]) => Promise<boolean>;
  onCancel: () => void;
  /** Escape (unless the mention list took it) cancels too. */
  escapeCancels?: boolean;
  /** Shown above the box (the quoted passage). */
  children?: ReactNode;
}) {
  const { draft, members } = props;

  async function submit() {
    if (!draft.text.trim()) return;
    if (await props.onSubmit(draft.text, mentionsIn(draft, members))) props.onDraft(emptyDraft);
  }

  function onKeyDown(e: KeyboardEvent<HTMLFormElement>) {
    if (props.escapeCancels && e.key === 'Escape' && !e.defaultPrevented) props.onCancel();
  }

  return (
    <form
      className={props.className}
      aria-label={props.label}
      onSubmit={(e) => (e.preventDefault(), void submit())}
      onKeyDown={onKeyDown}
    >
      {props.children}
      <MentionInput
        value={draft}
        onChange={props.onDraft}
        members={members}
        label={props.inputLabel}
        placeholder={props.placeholder}
        autoFocus
      />
      <div className="thread-actions">
        <button type="submit" disabled={!draft.text.trim()}>
          {props.submitLabel}
        </button>
        <button type="button" className="secondary" onClick={props.onCancel}>
          {props.cancelLabel}
        </button>
      </div>
    </form>
  );
}
