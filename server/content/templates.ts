import { metadataFields, type MetadataKey } from '../../common/schema/metadata';
import { heading, paragraph, text, type PMNode } from './prosemirror';

/** The sections of a voorstel, in order (see docs/architecture.md, "The document"). */
export const voorstelSections = [
  'Besluit',
  'Voorstel',
  'Samenvatting',
  'Aan het algemeen bestuur',
  'Bijlage(n)',
] as const;

export interface VoorstelParts {
  metadata: Partial<Record<MetadataKey, string>>;
  /** Paragraphs per section heading; a paragraph's lines are joined with hard breaks. */
  sections: Record<(typeof voorstelSections)[number], string[][]>;
  closing: string[][];
  /**
   * Whether the closing block ends with the sign-off part (common/schema/metadata.ts), which the sign-off fills;
   * only a historical text, adopted before Stukwerk, has its "Aldus vastgesteld" lines as typed text instead.
   */
  signOff?: boolean;
}

export function metadataNode(values: Partial<Record<MetadataKey, string>>): PMNode {
  return {
    type: 'metadata',
    content: metadataFields.map((f) => ({
      type: 'metadataField',
      attrs: { field: f.key },
      content: values[f.key] ? [text(values[f.key]!)] : [],
    })),
  };
}

export function voorstelDocument(parts: VoorstelParts): PMNode {
  const para = (lines: string[]) => paragraph(...lines);
  return {
    type: 'doc',
    content: [
      metadataNode(parts.metadata),
      ...voorstelSections.flatMap((name) => {
        const paras = parts.sections[name];
        return [heading(2, name), ...(paras.length ? paras.map(para) : [paragraph()])];
      }),
      {
        type: 'closingBlock',
        content: [
          ...(parts.closing.length ? parts.closing.map(para) : [paragraph()]),
          ...(parts.signOff ? [{ type: 'closingSignOff' }] : []),
        ],
      },
    ],
  };
}

/** A new, empty voorstel: the frame with placeholders that say what belongs where. */
export function voorstelTemplate(title: string): PMNode {
  return voorstelDocument({
    metadata: { onderwerp: title, openbaar: 'ja' },
    sections: {
      Besluit: [['[Het besluit dat het algemeen bestuur neemt]']],
      Voorstel: [['[Het voorstel in één of enkele zinnen]']],
      Samenvatting: [['[Korte samenvatting]']],
      'Aan het algemeen bestuur': [['[Toelichting voor het algemeen bestuur]']],
      'Bijlage(n)': [['[Bijlagen, of: geen]']],
    },
    closing: [['[Plaats], [datum]'], ['Het dagelijks bestuur'], ['Secretaris,', '[naam]'], ['Voorzitter,', '[naam]']],
    signOff: true,
  });
}

export function blankDocument(): PMNode {
  return { type: 'doc', content: [paragraph()] };
}
