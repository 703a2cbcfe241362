import * as Y from 'yjs';
import { prosemirrorJSONToYDoc, yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import { contentFragmentName, documentSchema } from '../../common/schema/extensions';
import { suggestionMarkNames } from '../../common/schema/suggestions';
import type { Schema } from '@tiptap/pm/model';

/** ProseMirror JSON as Tiptap writes it. */
export interface PMNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: PMNode[];
  text?: string;
  marks?: { type: string; attrs?: Record<string, unknown> }[];
}

export const text = (value: string, marks?: PMNode['marks']): PMNode => ({
  type: 'text',
  text: value,
  ...(marks ? { marks } : {}),
});
export const paragraph = (...lines: string[]): PMNode => ({
  type: 'paragraph',
  content: lines.flatMap((line, i) => [...(i > 0 ? [{ type: 'hardBreak' }] : []), ...(line ? [text(line)] : [])]),
});
export const heading = (level: number, value: string): PMNode => ({
  type: 'heading',
  attrs: { level },
  content: [text(value)],
});

let cachedSchema: Schema | undefined;
/** The schema is pure and immutable: built once per process instead of per document. */
export function schema(): Schema {
  cachedSchema ??= documentSchema();
  return cachedSchema;
}

/**
 * Yjs state for initial content, built from the same schema as the browser editor. It is validated by the schema
 * (`nodeFromJSON` throws on content the editor could not hold) before it becomes a document.
 */
export function stateFromJSON(doc: PMNode): Uint8Array {
  const ydoc = yDocFromJSON(doc);
  const state = Y.encodeStateAsUpdate(ydoc);
  ydoc.destroy();
  return state;
}

/** The Y.Doc of initial content, checked against the schema first; for callers that need positions in it. */
export function yDocFromJSON(doc: PMNode): Y.Doc {
  schema().nodeFromJSON(doc).check();
  return prosemirrorJSONToYDoc(schema(), doc, contentFragmentName);
}

export function jsonFromYDoc(ydoc: Y.Doc): PMNode {
  return yXmlFragmentToProsemirrorJSON(ydoc.getXmlFragment(contentFragmentName)) as PMNode;
}

const blockTypes = new Set([
  'paragraph',
  'heading',
  'metadataField',
  'tableRow',
  'codeBlock',
  'listItem',
  'blockquote',
  'horizontalRule',
]);

/**
 * Plain text of a document: a line per block, table cells separated by tabs, for listing, search and comparing.
 * It is the accepted text: open suggested insertions are left out (suggested deletions are still accepted text), so
 * search and derived text never show wording nobody accepted (see common/suggestions.ts).
 */
export function plainText(doc: PMNode): string {
  const out: string[] = [];
  const walk = (node: PMNode, line: string[]): void => {
    if (node.type === 'text') {
      if (!node.marks?.some((m) => m.type === suggestionMarkNames.insert)) line.push(node.text ?? '');
    } else if (node.type === 'hardBreak') line.push('\n');
    else if (node.type === 'tableCell' || node.type === 'tableHeader') {
      if (line.length) line.push('\t');
      node.content?.forEach((c, i) => (i > 0 && line.push(' '), walk(c, line)));
      return;
    }
    node.content?.forEach((child) => {
      if (blockTypes.has(child.type) && child.type !== 'listItem' && child.type !== 'blockquote') {
        const own: string[] = [];
        walk(child, own);
        out.push(own.join(''));
      } else walk(child, line);
    });
  };
  walk(doc, []);
  return out.join('\n');
}
