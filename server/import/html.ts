/**
 * A strict reader for the HTML that mammoth writes: well-formed tags, double-quoted attributes, `<br />`-style
 * void elements, text escaped with &amp; &lt; &gt; &quot;. It builds a small element tree; nothing of the input is
 * ever written out as HTML again (server/import/prosemirror.ts turns the tree into ProseMirror JSON), so attributes
 * other than the few read there (href, colspan, rowspan, class) simply do not exist downstream: event handlers and
 * styles are dropped by construction. <script> and <style> are removed with their content and counted.
 */
export interface HtmlElement {
  tag: string;
  attrs: Record<string, string>;
  children: HtmlNode[];
}
export type HtmlNode = HtmlElement | { text: string };

export const isElement = (n: HtmlNode): n is HtmlElement => 'tag' in n;

const voidTags = new Set(['br', 'img', 'hr', 'col', 'input', 'meta', 'link']);
const droppedWithContent = new Set(['script', 'style', 'iframe', 'object', 'embed', 'template', 'noscript']);

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
    }
    return entities[name.toLowerCase()] ?? whole;
  });
}

const tagPattern = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:\s*=\s*"[^"]*")?)*)\s*(\/?)>/y;
const attrPattern = /([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*"([^"]*)")?/g;

export function parseHtml(html: string): { root: HtmlElement; removedScripts: number } {
  const root: HtmlElement = { tag: '#root', attrs: {}, children: [] };
  const stack: HtmlElement[] = [root];
  let removedScripts = 0;
  let skipping: { tag: string; depth: number } | undefined;
  let i = 0;
  let text = '';
  const flushText = () => {
    if (text && !skipping) stack[stack.length - 1]!.children.push({ text: decodeEntities(text) });
    text = '';
  };
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      text += html.slice(i);
      break;
    }
    text += html.slice(i, lt);
    tagPattern.lastIndex = lt;
    const m = tagPattern.exec(html);
    if (!m) {
      // Not a tag (mammoth escapes "<" in text, so this is foreign input): keep it as text.
      text += '<';
      i = lt + 1;
      continue;
    }
    flushText();
    i = tagPattern.lastIndex;
    const [, closing, rawTag, rawAttrs, selfClosing] = m;
    const tag = rawTag!.toLowerCase();
    if (skipping) {
      if (tag === skipping.tag) skipping.depth += closing ? -1 : selfClosing ? 0 : 1;
      if (skipping.depth === 0) skipping = undefined;
      continue;
    }
    if (closing) {
      // Close the nearest open element with this name; a stray closing tag is ignored.
      const at = stack.map((e) => e.tag).lastIndexOf(tag);
      if (at > 0) stack.length = at;
      continue;
    }
    if (droppedWithContent.has(tag)) {
      removedScripts += tag === 'script' ? 1 : 0;
      if (!selfClosing) skipping = { tag, depth: 1 };
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of rawAttrs!.matchAll(attrPattern)) {
      const name = a[1]!.toLowerCase();
      if (!name.startsWith('on')) attrs[name] = decodeEntities(a[2] ?? '');
    }
    const el: HtmlElement = { tag, attrs, children: [] };
    stack[stack.length - 1]!.children.push(el);
    if (!selfClosing && !voidTags.has(tag)) stack.push(el);
  }
  flushText();
  return { root, removedScripts };
}

/** The text content of a subtree. */
export const textContent = (n: HtmlNode): string => (isElement(n) ? n.children.map(textContent).join('') : n.text);
