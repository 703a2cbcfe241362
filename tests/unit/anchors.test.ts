import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { normaliseAnchor, resolveAnchor } from '../../server/comments/anchors';
import { contentFragmentName } from '../../common/schema/fragment';

function doc(...paragraphs: string[]) {
  const ydoc = new Y.Doc();
  const fragment = ydoc.getXmlFragment(contentFragmentName);
  for (const text of paragraphs) {
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText(text)]);
    fragment.push([p]);
  }
  const texts = fragment.toArray().map((p) => (p as Y.XmlElement).get(0) as Y.XmlText);
  return { ydoc, fragment, texts };
}
const rel = (t: Y.XmlText, index: number, assoc = 0) => Y.createRelativePositionFromTypeIndex(t, index, assoc);

describe('comment anchors', () => {
  it('a passage may span paragraphs; its quote joins them with a line break', () => {
    const { ydoc, texts } = doc('Eerste alinea.', 'Tweede alinea.');
    const a = normaliseAnchor(ydoc, rel(texts[0]!, 7), rel(texts[1]!, 6));
    expect(a.quote).toBe('alinea.\nTweede');
    expect(resolveAnchor(ydoc, a.anchorStart, a.anchorEnd)).toEqual({
      position: 7,
      detached: false,
      text: 'alinea.\nTweede',
    });
  });

  it('text typed exactly at either edge stays outside the passage, whatever association the client sent', () => {
    const { ydoc, texts } = doc('abc def ghi');
    const a = normaliseAnchor(ydoc, rel(texts[0]!, 4, -1), rel(texts[0]!, 7, 0));
    texts[0]!.insert(4, 'XX');
    texts[0]!.insert(9, 'YY');
    expect(resolveAnchor(ydoc, a.anchorStart, a.anchorEnd).text).toBe('def');
  });

  it('refuses an empty passage, a reversed one, and positions from another document', () => {
    const { ydoc, texts } = doc('abc def');
    const other = doc('abc def');
    expect(() => normaliseAnchor(ydoc, rel(texts[0]!, 3), rel(texts[0]!, 3))).toThrow(/Invalid anchor/);
    expect(() => normaliseAnchor(ydoc, rel(texts[0]!, 5), rel(texts[0]!, 2))).toThrow(/Invalid anchor/);
    expect(() => normaliseAnchor(ydoc, rel(other.texts[0]!, 0), rel(other.texts[0]!, 3))).toThrow(/Invalid anchor/);
  });

  it('a passage whose characters are all deleted is detached, one partly deleted is not', () => {
    const { ydoc, texts } = doc('abc def ghi');
    const a = normaliseAnchor(ydoc, rel(texts[0]!, 4), rel(texts[0]!, 7));
    texts[0]!.delete(4, 2);
    expect(resolveAnchor(ydoc, a.anchorStart, a.anchorEnd)).toMatchObject({ detached: false, text: 'f' });
    texts[0]!.delete(4, 1);
    expect(resolveAnchor(ydoc, a.anchorStart, a.anchorEnd)).toMatchObject({ detached: true, text: '' });
  });
});
