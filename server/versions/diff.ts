import { diffWords } from 'diff';

export interface DiffPart {
  type: 'equal' | 'insert' | 'delete';
  text: string;
}

/** An inline difference by words between two plain texts (block boundaries are line breaks). */
export function wordDiff(from: string, to: string): DiffPart[] {
  return diffWords(from, to).map((c) => ({ type: c.added ? 'insert' : c.removed ? 'delete' : 'equal', text: c.value }));
}
