/**
 * Snippets travel as segments, never as HTML: `ts_headline` marks each match with two control characters that
 * cannot survive in stored text (they are removed from the text before it reaches `ts_headline`), and the marked
 * string is cut into `{text, match}` parts here. The browser renders each part as text, so whatever a person wrote
 * (`<script>`, `&amp;`) stays text.
 */
import type { SnippetPart } from '../../common/api/search';

export const matchStart = '\u0001';
export const matchStop = '\u0002';

/** The `ts_headline` options that produce the markers above. */
export const headlineOptions =
  'StartSel=\u0001, StopSel=\u0002, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "';

export function snippetParts(marked: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  const push = (text: string, match: boolean) => {
    if (!text) return;
    const last = parts[parts.length - 1];
    if (last && last.match === match) last.text += text;
    else parts.push({ text, match });
  };
  let rest = marked;
  while (rest.length) {
    const start = rest.indexOf(matchStart);
    if (start < 0) {
      push(rest, false);
      break;
    }
    push(rest.slice(0, start), false);
    const stop = rest.indexOf(matchStop, start + 1);
    const end = stop < 0 ? rest.length : stop;
    push(rest.slice(start + 1, end), true);
    rest = stop < 0 ? '' : rest.slice(stop + 1);
  }
  // A stray marker (there should be none) never reaches the browser.
  for (const p of parts) p.text = p.text.replace(/[\u0001\u0002]/g, '');
  return parts.filter((p) => p.text.length > 0);
}
