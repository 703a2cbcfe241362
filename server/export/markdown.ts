import { blocksText, isLineBreak, signatureLines, type Block, type Inline, type RenderModel } from './model';

/**
 * CommonMark with GitHub tables. Text is escaped so that a "*" or "#" typed in the document stays a character;
 * table cells hold inline text only (Markdown cannot nest blocks in a cell), their paragraphs joined with <br>.
 */
const escapeText = (s: string) =>
  s.replace(/([\\`*_{}[\]<>#|!~])/g, '\\$1').replace(/^(\s*)([-+]|\d+\.)(\s)/, '$1\\$2$3');
/** For table cells, after escapeText (which already escapes "|"). */
const escapeCell = (s: string) => s.replace(/\n/g, '<br>');

function inlines(items: Inline[]): string {
  return items
    .map((i) => {
      if (isLineBreak(i)) return '  \n';
      if (i.code) return `\`${i.text.replace(/`/g, '\u02cb')}\``;
      let md = escapeText(i.text);
      // Markers must hug the text: move surrounding spaces outside them.
      const wrap = (mark: string) => {
        const m = /^(\s*)(.*?)(\s*)$/s.exec(md)!;
        md = m[2] ? `${m[1]}${mark}${m[2]}${mark}${m[3]}` : md;
      };
      if (i.bold) wrap('**');
      if (i.italic) wrap('_');
      if (i.strike) wrap('~~');
      if (i.href) md = `[${md}](<${i.href.replace(/[<>\s]/g, encodeURIComponent)}>)`;
      return md;
    })
    .join('');
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line, i) => (i === 0 || line === '' ? line : prefix + line))
    .join('\n');
}

function blocks(items: Block[]): string {
  return items
    .map((b) => {
      switch (b.kind) {
        case 'heading':
          return `${'#'.repeat(b.level + 1)} ${inlines(b.inlines)}`; // "#" is the document title
        case 'paragraph':
          return inlines(b.inlines);
        case 'list':
          return b.items
            .map((item, n) => {
              const marker = b.ordered ? `${b.start + n}. ` : '- ';
              return marker + indent(blocks(item), ' '.repeat(marker.length));
            })
            .join('\n');
        case 'table':
          return table(b.rows.map((row) => row.map((c) => escapeCell(escapeText(blocksText(c.blocks))))));
        case 'quote':
          return blocks(b.blocks)
            .split('\n')
            .map((line) => `> ${line}`.trimEnd())
            .join('\n');
        case 'code':
          return '```\n' + b.text.replace(/```/g, '`\u200b``') + '\n```';
        case 'rule':
          return '---';
      }
    })
    .join('\n\n');
}

/** A GitHub table; the first row is the header row (Markdown requires one). */
function table(rows: string[][]): string {
  const width = Math.max(1, ...rows.map((r) => r.length));
  const pad = (r: string[]) => [...r, ...Array<string>(width - r.length).fill('')];
  const [head = [], ...rest] = rows.map(pad);
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rest.map(line)].join('\n');
}

export function renderMarkdown(model: RenderModel): string {
  const parts = [
    `# VOORSTEL — ${escapeText(model.title)}`,
    'Algemeen Bestuur',
    model.metadata.length
      ? table([['Veld', 'Waarde'], ...model.metadata.map((m) => [m.label, escapeCell(escapeText(m.value))])])
      : '',
    blocks(model.body),
    '---',
    blocks(model.closing),
  ];
  if (model.signature) parts.push('---', ...signatureLines(model.signature).map(escapeText));
  if (model.appendix?.length) parts.push('---', blocks(model.appendix));
  return parts.filter((p) => p.trim()).join('\n\n') + '\n';
}
