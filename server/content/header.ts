import * as Y from 'yjs';
import type { MetadataKey } from '../../common/schema/metadata';
import { contentFragmentName } from '../../common/schema/fragment';

/**
 * Writes one field of the voorstel's header in the shared Yjs document, as y-prosemirror stores it: the
 * `metadata` element's `metadataField` child whose `field` attribute is the key holds one XmlText. The caller
 * wraps the calls in one transaction with a typed origin (server/collab/origin.ts). Returns false when the
 * document has no such field (a blank document has no header): then nothing is written.
 */
export function setHeaderField(ydoc: Y.Doc, key: MetadataKey, value: string): boolean {
  const fragment = ydoc.getXmlFragment(contentFragmentName);
  const header = fragment
    .toArray()
    .find((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === 'metadata');
  const field = header
    ?.toArray()
    .find((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.getAttribute('field') === key);
  if (!field) return false;
  if (readHeaderField(field) === value) return true;
  if (field.length) field.delete(0, field.length);
  if (value) field.insert(0, [new Y.XmlText(value)]);
  return true;
}

function readHeaderField(field: Y.XmlElement): string {
  return field
    .toArray()
    .map((n) =>
      n instanceof Y.XmlText
        ? (n.toDelta() as { insert: unknown }[]).map((d) => (typeof d.insert === 'string' ? d.insert : '')).join('')
        : '',
    )
    .join('');
}
