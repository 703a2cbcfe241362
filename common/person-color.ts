/**
 * A stable colour per person: their caret, their presence chip and their suggestions look the same in every session
 * and every browser. Computed from the user id alone, so the browser can colour the suggestions of people who are not
 * connected, and the collaboration server sends the same colour with each caret (server/collab/awareness.ts).
 */
const palette = [
  '#1f6feb',
  '#d1242f',
  '#1a7f37',
  '#8250df',
  '#bf3989',
  '#9a6700',
  '#0969da',
  '#cf222e',
  '#116329',
  '#953800',
];

export function colorFor(userId: string): string {
  let h = 0;
  for (const ch of userId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return palette[h % palette.length]!;
}
