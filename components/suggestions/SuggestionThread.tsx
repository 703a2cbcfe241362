'use client';
import type { Editor } from '@tiptap/core';
import { TextSelection } from '@tiptap/pm/state';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import type { CommentsApi } from '../comments/api';
import { emptyDraft, type MentionDraft } from '../comments/MentionInput';
import { NewThreadForm } from '../comments/NewThreadForm';
import { ThreadCard } from '../comments/ThreadCard';
import type { Mentionable, Thread } from '../comments/types';
import { selectionAnchor } from '../editor/comment-highlights';
import type { SuggestionItem } from './open-suggestions';

interface Props {
  item: SuggestionItem;
  thread: Thread | undefined;
  editor: Editor | null;
  members: Mentionable[];
  api: CommentsApi;
  run: (action: () => Promise<Thread>) => Promise<Thread | undefined>;
  meId: string;
  canWrite: boolean;
  canResolveAny: boolean;
  /** The reply form is open (the card's Reageren button). */
  replying: boolean;
  onReplyDone: () => void;
}

/**
 * A suggestion's discussion: an ordinary comment thread (comments machinery, mentions, notifications) that names the
 * suggestion (`suggestionId`) and is anchored to its passage. The first reply creates it.
 */
export function SuggestionThread(props: Props) {
  const { item, thread, editor } = props;
  const t = useTranslations('suggestions');
  const [draft, setDraft] = useState<MentionDraft>(emptyDraft);
  if (thread)
    return (
      <ThreadCard
        thread={thread}
        detached={false}
        active
        members={props.members}
        api={props.api}
        run={props.run}
        onActivate={() => {}}
        meId={props.meId}
        canWrite={props.canWrite}
        canResolveAny={props.canResolveAny}
      />
    );
  if (!props.replying || !props.canWrite || !editor) return null;

  async function create(text: string, mentions: string[]) {
    if (!editor) return false;
    // The anchor of the suggestion's passage, as if it were selected (nothing in the editor changes).
    const state = editor.state.apply(
      editor.state.tr.setSelection(TextSelection.create(editor.state.doc, item.from, item.to)),
    );
    const anchor = selectionAnchor(state);
    if (!anchor) return false;
    const created = await props.run(() =>
      props.api.create({ start: anchor.start, end: anchor.end }, text, mentions, item.id),
    );
    if (created) props.onReplyDone();
    return !!created;
  }

  return (
    <NewThreadForm
      className="thread-reply"
      label={t('replyLabel')}
      inputLabel={t('replyLabel')}
      placeholder={t('replyPlaceholder')}
      submitLabel={t('send')}
      cancelLabel={t('cancel')}
      members={props.members}
      draft={draft}
      onDraft={setDraft}
      onSubmit={create}
      onCancel={props.onReplyDone}
    />
  );
}
