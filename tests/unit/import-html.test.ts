import { describe, expect, it } from 'vitest';
import { schema, type PMNode } from '../../server/content/prosemirror';
import { buildRenderModel } from '../../server/export/model';
import { renderMarkdown } from '../../server/export/markdown';
import { parseHtml } from '../../server/import/html';
import { toProseMirror } from '../../server/import/prosemirror';

const convert = (html: string) => {
  const parsed = parseHtml(html);
  const { doc, report } = toProseMirror(parsed.root);
  schema().nodeFromJSON(doc).check(); // whatever comes in, what goes out fits the editor's schema
  return { doc, report, removedScripts: parsed.removedScripts };
};
const nodes = (n: PMNode): PMNode[] => [n, ...(n.content ?? []).flatMap(nodes)];

describe('reading mammoth’s HTML into the Stukwerk schema', () => {
  it('drops scripts with their content and event-handler attributes, and decodes entities', () => {
    const { doc, removedScripts } = convert(
      '<p onclick="steal()">A &amp; B &lt;ok&gt; &#8364;</p><script>alert(1)</script><p>na</p>',
    );
    expect(removedScripts).toBe(1);
    expect(JSON.stringify(doc)).not.toMatch(/alert|steal|onclick/);
    expect(
      nodes(doc)
        .filter((n) => n.text)
        .map((n) => n.text),
    ).toEqual(['A & B <ok> €', 'na']);
  });

  it('keeps http(s) and mailto links, removes others but keeps their text, and ignores in-document anchors', () => {
    const { doc, report } = convert(
      '<p><a href="https://a.nl/">a</a> <a href="mailto:x@y.nl">m</a> <a href="javascript:x()">j</a> <a href="#footnote-1">[1]</a></p>',
    );
    const linked = nodes(doc)
      .filter((n) => n.marks?.some((m) => m.type === 'link'))
      .map((n) => n.text);
    expect(linked).toEqual(['a', 'm']);
    expect(report.linksRemoved).toBe(1);
    expect(
      nodes(doc)
        .map((n) => n.text)
        .join(''),
    ).toBe('a m j [1]');
  });

  it('repairs what Word does not guarantee: text straight in a list item, a list item opening with a list, h5, code with bold', () => {
    const { doc } = convert(
      '<ul><li>los<ol><li><ul><li>diep</li></ul></li></ol></li></ul><h5>Klein</h5><p><code><strong>x</strong></code></p>',
    );
    expect(doc.content!.map((n) => n.type)).toEqual(['bulletList', 'heading', 'paragraph']);
    expect(doc.content![1]!.attrs).toEqual({ level: 3 });
    expect(nodes(doc).find((n) => n.text === 'x')!.marks).toEqual([{ type: 'code' }]);
  });

  it('makes a ragged table rectangular, counting colspan and rowspan, so the editor has nothing to fix on open', () => {
    const { doc } = convert(
      '<table><tr><td colspan="2">a</td><td rowspan="2">b</td></tr><tr><td>c</td></tr><tr><td>d</td></tr></table>',
    );
    const widths = doc.content![0]!.content!.map((row) =>
      row.content!.reduce((w, c) => w + Number(c.attrs!.colspan), 0),
    );
    // Own cells per row: row 2 gets one pad beside "c" (its third column is b's rowspan); row 3 gets two.
    expect(widths).toEqual([3, 2, 3]);
  });

  it('turns a table of header labels into the metadata header, and keeps other tables as tables', () => {
    const { doc, report } = convert(
      '<table><tr><td>ONDERWERP</td><td>Kazerne</td><td>AGENDAPUNT</td><td>B2</td></tr></table><table><tr><td>ONDERWERP</td><td>niet nog eens</td></tr></table>',
    );
    expect(report.metadataFound).toBe(true);
    expect(doc.content!.map((n) => n.type)).toEqual(['metadata', 'table']);
    expect(
      doc.content![0]!.content!.map((f) =>
        nodes(f)
          .map((n) => n.text ?? '')
          .join(''),
      ),
    ).toEqual(['Kazerne', 'B2', '', '', '', '', '', '']);
  });
});

describe('Markdown export', () => {
  it('escapes Markdown syntax typed as text and leaves out links with other protocols', () => {
    const doc: PMNode = {
      type: 'doc',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: '# geen kop *geen nadruk* 1. geen lijst | geen cel' }] },
        {
          type: 'paragraph',
          content: [{ type: 'text', text: 'klik', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] }],
        },
      ],
    };
    const md = renderMarkdown(buildRenderModel(doc, { title: 'T' }));
    expect(md).toContain('\\# geen kop \\*geen nadruk\\* 1. geen lijst \\| geen cel');
    expect(md).toContain('\nklik\n');
    expect(md).not.toContain('javascript');
  });
});
