import { plainText, paragraph, type PMNode } from '../../server/content/prosemirror';
import { demoMemo } from '../../server/demo/memo';

/**
 * A long voorstel for load tests: the demo memo with `paragraphs` numbered paragraphs of its own sentences
 * (about 400 characters each) before the closing block. 5,000 paragraphs are ~2 M characters, ~500 A4 pages
 * as PDF.
 */
export function largeVoorstel(paragraphs = 5_000): { title: string; doc: PMNode; characters: number } {
  const memo = demoMemo();
  const sentences = plainText(memo.doc)
    .split('\n')
    .filter((l) => l.length > 60);
  const body = Array.from({ length: paragraphs }, (_, i) => {
    let text = `${i + 1}.`;
    for (let k = 0; text.length < 400; k++) text += ` ${sentences[(i * 7 + k * 3) % sentences.length]}`;
    return paragraph(text.slice(0, 420));
  });
  const content = memo.doc.content ?? [];
  const doc: PMNode = { ...memo.doc, content: [...content.slice(0, -1), ...body, ...content.slice(-1)] };
  return { title: `${memo.title} (groot)`, doc, characters: plainText(doc).length };
}
