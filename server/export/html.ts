import { isLineBreak, signatureLines, type Block, type Inline, type RenderModel } from './model';

/**
 * A standalone HTML file: no scripts, no external resources, styles inline, and print styles for A4 so that
 * "print to PDF" from any browser gives a voorstel laid out like the PDF export.
 */
const escape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function inlines(items: Inline[]): string {
  return items
    .map((i) => {
      if (isLineBreak(i)) return '<br>';
      let html = escape(i.text);
      if (i.code) html = `<code>${html}</code>`;
      if (i.bold) html = `<strong>${html}</strong>`;
      if (i.italic) html = `<em>${html}</em>`;
      if (i.underline) html = `<u>${html}</u>`;
      if (i.strike) html = `<s>${html}</s>`;
      if (i.href) html = `<a href="${escape(i.href)}" rel="noopener noreferrer">${html}</a>`;
      return html;
    })
    .join('');
}

function blocks(items: Block[]): string {
  return items
    .map((b) => {
      switch (b.kind) {
        case 'heading':
          return `<h${b.level}>${inlines(b.inlines)}</h${b.level}>`;
        case 'paragraph':
          return `<p>${inlines(b.inlines)}</p>`;
        case 'list': {
          const tag = b.ordered ? 'ol' : 'ul';
          const start = b.ordered && b.start !== 1 ? ` start="${b.start}"` : '';
          return `<${tag}${start}>${b.items.map((item) => `<li>${blocks(item)}</li>`).join('')}</${tag}>`;
        }
        case 'table':
          return `<table class="content">${b.rows
            .map(
              (row) =>
                `<tr>${row
                  .map((c) => {
                    const tag = c.header ? 'th' : 'td';
                    const span = `${c.colspan > 1 ? ` colspan="${c.colspan}"` : ''}${c.rowspan > 1 ? ` rowspan="${c.rowspan}"` : ''}`;
                    return `<${tag}${span}>${blocks(c.blocks)}</${tag}>`;
                  })
                  .join('')}</tr>`,
            )
            .join('')}</table>`;
        case 'quote':
          return `<blockquote>${blocks(b.blocks)}</blockquote>`;
        case 'code':
          return `<pre><code>${escape(b.text)}</code></pre>`;
        case 'rule':
          return '<hr>';
      }
    })
    .join('\n');
}

const styles = `
body { font-family: Helvetica, Arial, sans-serif; font-size: 11pt; line-height: 1.45; color: #111; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1.title { font-size: 20pt; letter-spacing: 0.08em; margin: 0; }
p.board { margin: 0 0 1.5rem; font-size: 12pt; }
table.metadata { border-collapse: collapse; width: 100%; margin-bottom: 1.5rem; }
table.metadata th { text-align: left; font-size: 9pt; width: 12rem; padding: 0.3rem 0.5rem; border: 1px solid #999; background: #f2f2f2; }
table.metadata td { padding: 0.3rem 0.5rem; border: 1px solid #999; }
table.content { border-collapse: collapse; width: 100%; margin: 0.5rem 0; }
table.content th, table.content td { border: 1px solid #999; padding: 0.25rem 0.4rem; vertical-align: top; text-align: left; }
table.content p { margin: 0; }
h2 { font-size: 13pt; margin: 1.4rem 0 0.4rem; }
h3 { font-size: 11.5pt; margin: 1rem 0 0.3rem; }
.closing { margin-top: 2rem; }
.signature { margin-top: 2rem; padding-top: 0.8rem; border-top: 1px solid #999; }
.signature .hash { font-family: monospace; font-size: 9pt; word-break: break-all; }
@page { size: A4; margin: 2.5cm 2cm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 10.5pt; }
  a { color: inherit; }
  h2, h3 { break-after: avoid; }
  table, tr, .signature { break-inside: avoid; }
}`;

export function renderHtml(model: RenderModel): string {
  const meta = model.metadata
    .map((m) => `<tr><th scope="row">${escape(m.label)}</th><td>${escape(m.value)}</td></tr>`)
    .join('\n');
  const signature = model.signature
    ? `<section class="signature">${signatureLines(model.signature)
        .map(
          (line, i) =>
            // The lines after the statement are in the exporting person's language.
            `<p${i === 2 ? ' class="hash"' : ''}${i > 0 ? ` lang="${model.signature!.locale}"` : ''}>${escape(line)}</p>`,
        )
        .join('')}</section>`
    : '';
  return `<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(model.title)}</title>
<style>${styles}</style>
</head>
<body>
<header>
<h1 class="title">VOORSTEL</h1>
<p class="board">Algemeen Bestuur</p>
${meta ? `<table class="metadata">\n${meta}\n</table>` : ''}
</header>
<main>
${blocks(model.body)}
<section class="closing">
${blocks(model.closing)}
</section>
${signature}
${model.appendix?.length ? `<section class="appendix">\n${blocks(model.appendix)}\n</section>` : ''}
</main>
</body>
</html>
`;
}
