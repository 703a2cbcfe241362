'use client';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import type { Editor } from '@tiptap/core';
import { EditorContent, useEditor } from '@tiptap/react';
import { useTranslations } from 'next-intl';
import { useEffect, useRef } from 'react';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { contentFragmentName, documentExtensions } from '@/common/schema/extensions';
import { CommentHighlights, type ThreadRanges } from './comment-highlights';
import { ReadingCaret } from './reading-caret';
import { ClosingSignOffView } from './sign-off';
import { setSuggesting, SuggestionMode, type BlockedReason } from './suggestion-mode';
import { Toolbar } from './Toolbar';

interface BoundProps {
  ydoc: Y.Doc;
  provider: WebsocketProvider;
  readOnly: boolean;
  userName: string;
  userId: string;
  /** Typing and deleting become suggestions (suggestion-mode.ts). */
  suggesting: boolean;
  onBlocked: (reason: BlockedReason) => void;
  modeToggle?: React.ReactNode;
  onReady: (editor: Editor | null) => void;
  onSelectThread: (id: string) => void;
  onRanges: (ranges: ThreadRanges) => void;
}

/**
 * The Tiptap editor bound to one Yjs document and its provider, with the toolbar above it. A component of its own
 * because the editor is made once per document (keyed by the document's guid) while the page around it re-renders
 * on every session and comment change; readOnly and suggesting follow the page without re-creating the editor.
 */
export function BoundEditor({
  ydoc,
  provider,
  readOnly,
  userName,
  userId,
  suggesting,
  onBlocked,
  modeToggle,
  onReady,
  onSelectThread,
  onRanges,
}: BoundProps) {
  // The extension is configured once per editor; the latest callback is read through a ref.
  const t = useTranslations('editor');
  const onBlockedRef = useRef(onBlocked);
  onBlockedRef.current = onBlocked;
  const editor = useEditor(
    {
      immediatelyRender: false,
      editable: !readOnly,
      extensions: [
        // The shared schema, with the closing block's sign-off part rendered from the signed-off record.
        ...documentExtensions().map((e) => (e.name === ClosingSignOffView.name ? ClosingSignOffView : e)),
        Collaboration.configure({ document: ydoc, field: contentFragmentName }),
        // The server replaces `user` with what it knows; this is only the local preview.
        CollaborationCaret.configure({ provider, user: { name: userName, color: '#1f6feb' } }),
        CommentHighlights.configure({ onSelectThread, onRanges }),
        SuggestionMode.configure({ authorId: userId, suggesting, onBlocked: (r) => onBlockedRef.current(r) }),
        ReadingCaret,
      ],
      editorProps: {
        attributes: {
          class: 'voorstel',
          role: 'textbox',
          'aria-label': t('textLabel'),
          // The skip link's target; one Tab stop also when read-only (reading-caret.ts).
          id: 'document-text',
          tabindex: '0',
          'aria-multiline': 'true',
        },
        // Keep the caret clear of the sticky status bar, comment button and toolbar when it scrolls into view.
        scrollMargin: { top: 180, bottom: 60, left: 0, right: 0 },
        scrollThreshold: { top: 180, bottom: 60, left: 0, right: 0 },
      },
    },
    [ydoc, provider],
  );
  useEffect(() => {
    editor?.setEditable(!readOnly);
    editor?.view.dom.setAttribute('aria-readonly', readOnly ? 'true' : 'false');
  }, [editor, readOnly]);
  useEffect(() => {
    if (editor && !editor.isDestroyed) setSuggesting(editor.view, suggesting);
  }, [editor, suggesting]);
  useEffect(() => {
    onReady(editor);
    return () => onReady(null);
  }, [editor, onReady]);
  return (
    <>
      {editor && !readOnly && (
        <Toolbar editor={editor} suggesting={suggesting}>
          {modeToggle}
        </Toolbar>
      )}
      <EditorContent editor={editor} className="editor-content" />
    </>
  );
}
