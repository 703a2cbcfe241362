'use client';
import type { Editor } from '@tiptap/core';
import { useTranslations } from 'next-intl';
import { useEffect, useState, type RefObject } from 'react';

/**
 * The two ways to comment on the selection with the mouse: the button in the comment bar above the text, and the
 * floating one just under the selection. They follow the editor's selection themselves, so the page around them
 * does not re-render on every selection change. Ctrl+Alt+M (comment-wiring.ts) does the same from the keyboard.
 */
export function CommentButtons({
  editor,
  columnRef,
  canWrite,
  pending,
  onStart,
}: {
  editor: Editor | null;
  /** The text column the floating button is positioned in. */
  columnRef: RefObject<HTMLDivElement | null>;
  canWrite: boolean;
  /** A new comment is being written: the floating button steps aside. */
  pending: boolean;
  onStart: () => void;
}) {
  const t = useTranslations('editor');
  const ta = useTranslations('a11y');
  const [hasSelection, setHasSelection] = useState(false);
  const [floatAt, setFloatAt] = useState<{ top: number; left: number } | null>(null);

  useEffect(() => {
    if (!editor) return;
    const onSelection = () => {
      const { empty, to } = editor.state.selection;
      setHasSelection(!empty);
      const column = columnRef.current;
      if (empty || !column) return setFloatAt(null);
      // The floating comment button sits just under the end of the selection.
      try {
        const end = editor.view.coordsAtPos(to);
        const box = column.getBoundingClientRect();
        setFloatAt({
          top: end.bottom - box.top + 4,
          left: Math.max(0, Math.min(end.left - box.left, box.width - 220)),
        });
      } catch {
        setFloatAt(null);
      }
    };
    editor.on('selectionUpdate', onSelection);
    return () => void editor.off('selectionUpdate', onSelection);
  }, [editor, columnRef]);

  return (
    <>
      {canWrite && (
        <div className="comment-bar">
          <button
            type="button"
            className="secondary"
            disabled={!hasSelection}
            aria-keyshortcuts="Control+Alt+M"
            onMouseDown={(e) => e.preventDefault() /* keep the selection in the document */}
            onClick={onStart}
          >
            {t('commentOnSelection')}
          </button>
        </div>
      )}
      {canWrite && hasSelection && floatAt && !pending && (
        <button
          type="button"
          className="comment-float"
          style={{ top: floatAt.top, left: floatAt.left }}
          aria-keyshortcuts="Control+Alt+M"
          onMouseDown={(e) => e.preventDefault() /* keep the selection in the document */}
          onClick={onStart}
        >
          {ta('commentHere')} <kbd>{ta('commentShortcut')}</kbd>
        </button>
      )}
    </>
  );
}
