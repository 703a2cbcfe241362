'use client';
import type { Editor } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { useEffect, useState } from 'react';
import { suggestionsFromJSON, suggestionAttributes, isSuggestionMark, type OpenSuggestion } from '@/common/suggestions';

/** An open suggestion as the sidebar shows it: what common/suggestions.ts reads, plus where it is in the editor. */
export interface SuggestionItem extends OpenSuggestion {
  /** From the first to the last character of all its parts, in editor positions. */
  from: number;
  to: number;
}

/**
 * The open suggestions of the editor's document, in document order. The list itself comes from the shared reader
 * (`suggestionsFromJSON`, also used by the server's API and exports); the positions from one walk over the text.
 */
export function readSuggestions(doc: PMNode): SuggestionItem[] {
  const ranges = new Map<string, { from: number; to: number }>();
  doc.descendants((node, pos) => {
    if (!node.isText) return true;
    for (const mark of node.marks) {
      if (!isSuggestionMark(mark.type.name)) continue;
      const attrs = suggestionAttributes(mark.attrs);
      if (!attrs) continue;
      const range = ranges.get(attrs.id);
      if (range) range.to = pos + node.nodeSize;
      else ranges.set(attrs.id, { from: pos, to: pos + node.nodeSize });
    }
    return false;
  });
  return suggestionsFromJSON(doc.toJSON()).flatMap((s) => {
    const range = ranges.get(s.id);
    return range ? [{ ...s, ...range }] : [];
  });
}

/**
 * The suggestions of the live document, kept current from the editor's own changes and everyone else's (they all
 * arrive as editor transactions through the Yjs binding): nothing polls. Reading is batched per animation frame
 * and at most every 200 ms, so a burst of keystrokes costs one walk over the document.
 */
export function useOpenSuggestions(editor: Editor | null): SuggestionItem[] {
  const [items, setItems] = useState<SuggestionItem[]>([]);
  useEffect(() => {
    if (!editor) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = () => {
      timer = undefined;
      if (!editor.isDestroyed) setItems(readSuggestions(editor.state.doc));
    };
    const onUpdate = ({ transaction }: { transaction: { docChanged: boolean } }) => {
      if (transaction.docChanged && timer === undefined) timer = setTimeout(read, 200);
    };
    read();
    editor.on('transaction', onUpdate);
    return () => {
      editor.off('transaction', onUpdate);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [editor]);
  return items;
}
