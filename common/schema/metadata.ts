import { Node, mergeAttributes } from '@tiptap/core';

/**
 * The voorstel's metadata header as part of the shared document (not a separate form: the header is edited together, in real time, like the text):
 * a `metadata` block holding one `metadataField` per key, each an editable line of inline text.
 * Labels are not document content: they come from the `field` attribute, so nobody can rename them.
 */
export const metadataFields = [
  { key: 'onderwerp', label: 'ONDERWERP' },
  { key: 'agendapunt', label: 'AGENDAPUNT' },
  { key: 'datum', label: 'DATUM' },
  { key: 'openbaar', label: 'OPENBAAR' },
  { key: 'behandeld_door', label: 'BEHANDELD DOOR' },
  { key: 'registratienummer', label: 'REGISTRATIENUMMER' },
  { key: 'telefoonnummer', label: 'TELEFOONNUMMER' },
  { key: 'portefeuillehouder', label: 'PORTEFEUILLEHOUDER' },
] as const;

export type MetadataKey = (typeof metadataFields)[number]['key'];
const labelOf = (key: string) => metadataFields.find((f) => f.key === key)?.label ?? key.toUpperCase();

export const Metadata = Node.create({
  name: 'metadata',
  group: 'block',
  content: 'metadataField+',
  isolating: true,
  defining: true,
  parseHTML: () => [{ tag: 'dl[data-type="metadata"]' }],
  renderHTML: ({ HTMLAttributes }) => [
    'dl',
    mergeAttributes(HTMLAttributes, { 'data-type': 'metadata', class: 'voorstel-metadata' }),
    0,
  ],
});

export const MetadataField = Node.create({
  name: 'metadataField',
  content: 'inline*',
  isolating: true,
  addAttributes: () => ({
    field: {
      default: 'onderwerp',
      parseHTML: (el: HTMLElement) =>
        el.getAttribute('data-field') ?? el.querySelector(':scope > dd')?.getAttribute('data-field'),
      renderHTML: (attrs: Record<string, unknown>) => ({ 'data-field': attrs.field }),
    },
  }),
  // Each field is a <div> holding a <dt> label and a <dd> value (the grouping a <dl> allows), so assistive technology
  // hears every value with its label. The label is outside the node's content: nobody types in it and it is not
  // document text. `data-field` sits on the <dd>, so `[data-field=…]` still reads the value alone. HTML from before
  // the <dt>/<dd> markup (the value directly in `div[data-field]`) still parses.
  parseHTML: () => [
    { tag: 'div.voorstel-metadata-field', contentElement: (el: HTMLElement) => el.querySelector(':scope > dd') ?? el },
    { tag: 'div[data-field]' },
  ],
  renderHTML: ({ node, HTMLAttributes }) => [
    'div',
    { class: 'voorstel-metadata-field' },
    ['dt', { contenteditable: 'false' }, labelOf(String(node.attrs.field))],
    ['dd', HTMLAttributes, 0],
  ],
});

/**
 * The closing block: place and date, the dagelijks bestuur and its signatories as ordinary text, and last the
 * sign-off part (`closingSignOff`). Its content expression keeps that part at the end and at most once, so the
 * "Aldus vastgesteld …" statement has exactly one place in the document, and the exports, which write the
 * signature right after the closing block, put it in that same place.
 */
export const ClosingBlock = Node.create({
  name: 'closingBlock',
  group: 'block',
  content: 'block+ closingSignOff?',
  defining: true,
  parseHTML: () => [{ tag: 'section[data-type="closing"]' }],
  renderHTML: ({ HTMLAttributes }) => [
    'section',
    mergeAttributes(HTMLAttributes, { 'data-type': 'closing', class: 'voorstel-closing' }),
    0,
  ],
});

/**
 * Where the sign-off goes: an empty, structured part of the closing block, never typed text. Its words ("Aldus
 * vastgesteld … d.d. <datum>", the chair's name, the hash) are rendered from the signed version's record (the
 * editor's node view, the exports' signature), so a document cannot carry two such lines and the signed hash
 * covers the text, not the statement about it. Not in the `block` group: it exists only inside a closing block.
 */
export const ClosingSignOff = Node.create({
  name: 'closingSignOff',
  atom: true,
  selectable: false,
  draggable: false,
  parseHTML: () => [{ tag: 'div[data-type="sign-off"]' }],
  renderHTML: ({ HTMLAttributes }) => [
    'div',
    mergeAttributes(HTMLAttributes, { 'data-type': 'sign-off', class: 'voorstel-sign-off' }),
  ],
});
