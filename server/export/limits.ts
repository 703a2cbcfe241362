import { AppError } from '../errors';
import { inlineText, type Block, type RenderModel } from './model';

/**
 * How much one export may render. Rendering time grows with the text (a 500-page voorstel, ~2 M characters, takes
 * seconds of PDF layout on one core here), so a cap keeps one export from occupying a worker thread for minutes.
 * A real voorstel is a few dozen pages; the caps sit far above that and below what the job timeout would cut off.
 */
export const exportLimits = {
  /** Characters of text in the whole document (~1,000 A4 pages of body text). */
  maxCharacters: 4_000_000,
  /** Blocks (paragraphs, headings, list items, table cells, …): many tiny blocks cost layout time too. */
  maxBlocks: 60_000,
} as const;

/** Characters and blocks of a render model, nested blocks included. */
export function measure(model: RenderModel): { characters: number; blocks: number } {
  let characters = model.title.length + model.metadata.reduce((n, m) => n + m.value.length, 0);
  let blocks = 0;
  const walk = (list: Block[]) => {
    for (const b of list) {
      blocks++;
      switch (b.kind) {
        case 'heading':
        case 'paragraph':
          characters += inlineText(b.inlines).length;
          break;
        case 'code':
          characters += b.text.length;
          break;
        case 'list':
          b.items.forEach(walk);
          break;
        case 'quote':
          walk(b.blocks);
          break;
        case 'table':
          for (const row of b.rows) for (const cell of row) walk(cell.blocks);
          break;
        case 'rule':
          break;
      }
    }
  };
  walk(model.body);
  walk(model.closing);
  return { characters, blocks };
}

export function assertExportable(model: RenderModel): void {
  const { characters, blocks } = measure(model);
  if (characters > exportLimits.maxCharacters || blocks > exportLimits.maxBlocks) {
    throw new AppError(
      'too_large:export',
      `This document is too large to export (${characters} characters, ${blocks} blocks; at most ${exportLimits.maxCharacters} characters and ${exportLimits.maxBlocks} blocks).`,
      { details: { characters, blocks, ...exportLimits } },
    );
  }
}
