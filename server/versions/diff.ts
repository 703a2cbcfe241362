import { diffWords } from 'diff';

export interface DiffPart {
  type: 'equal' | 'insert' | 'delete';
  text: string;
}

/** An inline difference by words between two plain texts (block boundaries are line breaks). */
export function wordDiff(from: string, to: string): DiffPart[] {
  return diffWords(from, to).map((c) => ({ type: c.added ? 'insert' : c.removed ? 'delete' : 'equal', text: c.value }));
}

/** The words a difference inserts and deletes, in order: what a reader would list. */
export function changedWords(parts: DiffPart[]) {
  const words = (type: DiffPart['type']) => parts.filter((p) => p.type === type).flatMap((p) => p.text.split(/\s+/).filter(Boolean));
  return { inserted: words('insert'), deleted: words('delete') };
}
