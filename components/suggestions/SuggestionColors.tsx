import { colorFor } from '@/common/person-color';

/**
 * Each author's suggestions in their own colour (the colour of their caret). The schema renders the author's id on
 * every <ins>/<del>; one CSS rule per member sets the colour, so nothing is recomputed per keystroke.
 */
export function SuggestionColors({ authorIds }: { authorIds: string[] }) {
  const rules = authorIds
    .filter((id) => /^[A-Za-z0-9_-]+$/.test(id)) // ids are uuids; anything else is not put into a selector
    .map((id) => `.ProseMirror .suggestion[data-author-id="${id}"]{--suggestion-color:${colorFor(id)}}`)
    .join('\n');
  return <style>{rules}</style>;
}
