import { isAllowedHref } from '../../common/schema/extensions';
import { metadataFields } from '../../common/schema/metadata';
import { schema, type PMNode } from '../content/prosemirror';
import { isElement, textContent, type HtmlElement, type HtmlNode } from './html';

/**
 * Turns the element tree of an imported document into ProseMirror JSON of the one Stukwerk schema. The mapping
 * is explicit per tag; anything else is unwrapped (its text kept). It repairs what the schema demands and Word
 * does not guarantee: inline text directly in list items and cells gets a paragraph, a list item starts with a
 * paragraph, tables are made rectangular (the editor's table plugin would otherwise "fix" them on open, which is
 * a client write), headings stop at level 3. A table of "LABEL | value" rows with the voorstel's header labels
 * becomes the metadata header.
 */
export interface ConversionReport {
  imagesRemoved: number;
  linksRemoved: number;
  metadataFound: boolean;
}

type Mark = NonNullable<PMNode['marks']>[number];
const inlineMarks: Record<string, string> = {
  strong: 'bold',
  b: 'bold',
  em: 'italic',
  i: 'italic',
  u: 'underline',
  s: 'strike',
  del: 'strike',
  strike: 'strike',
  code: 'code',
};
const labelKey = new Map<string, string>(metadataFields.map((f) => [f.label, f.key]));
const paragraph = (content: PMNode[] = []): PMNode => ({ type: 'paragraph', ...(content.length ? { content } : {}) });

let markRank: Map<string, number> | undefined;
/** Marks in schema order, and `code` alone (it excludes every other mark): what Node.check() accepts. */
export function normaliseMarks(marks: Mark[]): Mark[] | undefined {
  markRank ??= new Map(Object.keys(schema().marks).map((name, i) => [name, i]));
  const unique = [...new Map(marks.map((m) => [m.type, m])).values()];
  const kept = unique.some((m) => m.type === 'code') ? unique.filter((m) => m.type === 'code') : unique;
  kept.sort((a, b) => markRank!.get(a.type)! - markRank!.get(b.type)!);
  return kept.length ? kept : undefined;
}

export function toProseMirror(root: HtmlElement): { doc: PMNode; report: ConversionReport } {
  const report: ConversionReport = { imagesRemoved: 0, linksRemoved: 0, metadataFound: false };

  function inlines(nodes: HtmlNode[], marks: Mark[]): PMNode[] {
    const out: PMNode[] = [];
    for (const node of nodes) {
      if (!isElement(node)) {
        if (node.text)
          out.push({
            type: 'text',
            text: node.text,
            ...(normaliseMarks(marks) ? { marks: normaliseMarks(marks) } : {}),
          });
        continue;
      }
      if (node.tag === 'br') out.push({ type: 'hardBreak' });
      else if (node.tag === 'img') report.imagesRemoved++;
      else if (node.tag === 'a') {
        const href = node.attrs.href ?? '';
        const keep = isAllowedHref(href);
        // In-document anchors (footnote references "#footnote-1") are not links in Stukwerk, nor worth a warning.
        if (href && !keep && !href.startsWith('#')) report.linksRemoved++;
        out.push(...inlines(node.children, keep ? [...marks, { type: 'link', attrs: { href } }] : marks));
      } else {
        const mark = inlineMarks[node.tag];
        out.push(...inlines(node.children, mark ? [...marks, { type: mark }] : marks));
      }
    }
    return out;
  }

  function listItem(li: HtmlElement): PMNode {
    const content = blocks(li.children);
    if (content[0]?.type !== 'paragraph') content.unshift(paragraph());
    return { type: 'listItem', content };
  }

  function table(el: HtmlElement, topLevel: boolean): PMNode | undefined {
    const rows = collectRows(el).map((tr) =>
      tr.children.filter(isElement).filter((c) => c.tag === 'td' || c.tag === 'th'),
    );
    if (!rows.some((r) => r.length)) return undefined;
    if (topLevel && !report.metadataFound) {
      const meta = metadataFrom(rows.map((r) => r.map((c) => textContent(c).replace(/\s+/g, ' ').trim())));
      if (meta) {
        report.metadataFound = true;
        return meta;
      }
    }
    const cells = rows.map((row) =>
      row.map((c) => ({
        type: c.tag === 'th' ? 'tableHeader' : 'tableCell',
        attrs: { colspan: span(c.attrs.colspan), rowspan: span(c.attrs.rowspan), colwidth: null },
        content: blocks(c.children),
      })),
    );
    for (const row of cells) for (const c of row) if (!c.content.length) c.content.push(paragraph());
    return { type: 'table', content: rectangular(cells).map((content) => ({ type: 'tableRow', content })) };
  }

  function blocks(nodes: HtmlNode[], topLevel = false): PMNode[] {
    const out: PMNode[] = [];
    let pending: HtmlNode[] = [];
    const flushInline = () => {
      const content = inlines(pending, []);
      pending = [];
      // Whitespace between blocks is not a paragraph.
      if (content.some((n) => n.type !== 'text' || n.text!.trim())) out.push(paragraph(content));
    };
    for (const node of nodes) {
      if (!isElement(node) || node.tag in inlineMarks || ['a', 'br', 'img', 'span', 'sup', 'sub'].includes(node.tag)) {
        pending.push(node);
        continue;
      }
      flushInline();
      const tag = node.tag;
      if (tag === 'p') out.push(paragraph(inlines(node.children, [])));
      else if (/^h[1-6]$/.test(tag)) {
        const content = inlines(node.children, []);
        out.push({
          type: 'heading',
          attrs: { level: Math.min(3, Number(tag[1])) },
          ...(content.length ? { content } : {}),
        });
      } else if (tag === 'ul' || tag === 'ol') {
        const items = node.children
          .filter(isElement)
          .map((c) => (c.tag === 'li' ? listItem(c) : listItem({ tag: 'li', attrs: {}, children: [c] })));
        if (items.length)
          out.push({
            type: tag === 'ol' ? 'orderedList' : 'bulletList',
            ...(tag === 'ol' ? { attrs: { start: 1 } } : {}),
            content: items,
          });
      } else if (tag === 'table') {
        const t = table(node, topLevel);
        if (t) out.push(t);
      } else if (tag === 'blockquote') {
        const content = blocks(node.children);
        out.push({ type: 'blockquote', content: content.length ? content : [paragraph()] });
      } else if (tag === 'pre') {
        const text = textContent(node);
        out.push({ type: 'codeBlock', ...(text ? { content: [{ type: 'text', text }] } : {}) });
      } else if (tag === 'hr') out.push({ type: 'horizontalRule' });
      else if (tag === 'div' && topLevel && node.attrs.class === 'closing') {
        const content = blocks(node.children);
        if (content.length) out.push({ type: 'closingBlock', content });
      } else out.push(...blocks(node.children, topLevel)); // unknown container: keep what is inside
    }
    flushInline();
    return out;
  }

  const content = blocks(root.children, true);
  return { doc: { type: 'doc', content: content.length ? content : [paragraph()] }, report };
}

const span = (v: string | undefined) => Math.min(100, Math.max(1, Number.parseInt(v ?? '1', 10) || 1));

function collectRows(el: HtmlElement): HtmlElement[] {
  return el.children
    .filter(isElement)
    .flatMap((c) => (c.tag === 'tr' ? [c] : ['thead', 'tbody', 'tfoot'].includes(c.tag) ? collectRows(c) : []));
}

/** Rows of LABEL, value (, LABEL, value …) whose labels are all voorstel header labels. */
function metadataFrom(rows: string[][]): PMNode | undefined {
  const values = new Map<string, string>();
  for (const row of rows) {
    if (row.length < 2 || row.length % 2) return undefined;
    for (let i = 0; i < row.length; i += 2) {
      const key = labelKey.get(row[i]!.toUpperCase());
      if (!key) return undefined;
      values.set(key, row[i + 1]!);
    }
  }
  if (values.size < 2) return undefined;
  return {
    type: 'metadata',
    content: metadataFields.map((f) => ({
      type: 'metadataField',
      attrs: { field: f.key },
      ...(values.get(f.key) ? { content: [{ type: 'text', text: values.get(f.key)! }] } : {}),
    })),
  };
}

type Cell = { type: string; attrs: { colspan: number; rowspan: number; colwidth: null }; content: PMNode[] };

/**
 * Pads rows with empty cells so every row covers the same number of columns: a row covers its own cells' colspans
 * plus the columns that rowspans from rows above still occupy (prosemirror-tables counts the same way).
 */
function rectangular(rows: Cell[][]): Cell[][] {
  let carry: number[] = []; // per column: rows still covered by a rowspan from above
  const widths = rows.map((row, r) => {
    const next = carry.map((n) => Math.max(0, n - 1));
    let col = 0;
    for (const cell of row) {
      while ((carry[col] ?? 0) > 0) col++;
      cell.attrs.rowspan = Math.min(cell.attrs.rowspan, rows.length - r);
      for (let k = col; k < col + cell.attrs.colspan; k++) next[k] = cell.attrs.rowspan - 1;
      col += cell.attrs.colspan;
    }
    const covered = carry.filter((n) => n > 0).length;
    carry = next;
    return row.reduce((w, c) => w + c.attrs.colspan, 0) + covered;
  });
  const total = Math.max(...widths);
  return rows.map((row, r) =>
    row.concat(
      Array.from({ length: total - widths[r]! }, () => ({
        type: 'tableCell',
        attrs: { colspan: 1, rowspan: 1, colwidth: null },
        content: [paragraph()],
      })),
    ),
  );
}
