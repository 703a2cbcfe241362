import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { metadataFields, type MetadataKey } from '../../common/schema/metadata';
import { voorstelDocument, voorstelSections, type VoorstelParts } from '../content/templates';
import type { PMNode } from '../content/prosemirror';

/**
 * The demo memo (a real voorstel of Veiligheidsregio Twente, kept beside this file as plain text) parsed into
 * the voorstel structure: the tab-separated header becomes the metadata, the known section headings split the
 * body, and everything after "Bijlage(n)" is the closing block. Page numbers ("-1-") are print artefacts.
 */
export const demoMemoPath = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'voorstel-regionale-input-coalitieakkoorden.txt',
);

const labelToKey = new Map<string, MetadataKey>(metadataFields.map((f) => [f.label, f.key]));

/** Paragraphs are separated by blank lines; the lines within one paragraph are kept (hard breaks). */
function paragraphsOf(lines: string[]): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  for (const line of lines) {
    if (line.trim() === '') {
      if (current.length) out.push(current);
      current = [];
    } else current.push(line.trim());
  }
  if (current.length) out.push(current);
  return out;
}

export function parseVoorstelText(source: string): { title: string; parts: VoorstelParts } {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const metadata: VoorstelParts['metadata'] = {};
  const sections = Object.fromEntries(voorstelSections.map((s) => [s, [] as string[]])) as Record<string, string[]>;
  const closingLines: string[] = [];
  let current: string[] | undefined;
  let afterLastSection = false;

  for (const raw of lines) {
    const line = raw.trimEnd();
    if (line.includes('\t')) {
      // Header rows: LABEL<tab>value[<tab>LABEL<tab>value]
      const cells = line.split('\t');
      for (let i = 0; i + 1 < cells.length; i += 2) {
        const key = labelToKey.get(cells[i]!.trim());
        if (key && cells[i + 1]!.trim()) metadata[key] = cells[i + 1]!.trim();
      }
      continue;
    }
    if ((voorstelSections as readonly string[]).includes(line.trim())) {
      current = sections[line.trim()];
      afterLastSection = line.trim() === voorstelSections[voorstelSections.length - 1];
      continue;
    }
    if (/^-\d+-$/.test(line.trim())) continue;
    if (afterLastSection && /^\S.*, \d{1,2} \S+ \d{4}$/.test(line.trim())) current = closingLines;
    current?.push(line);
  }

  const title = metadata.onderwerp ?? 'Voorstel';
  return {
    title,
    parts: {
      metadata,
      sections: Object.fromEntries(
        voorstelSections.map((s) => [s, paragraphsOf(sections[s]!)]),
      ) as VoorstelParts['sections'],
      closing: paragraphsOf(closingLines),
    },
  };
}

/**
 * The demo memo as the 2022 original (`historical`: its closing block ends with the typed lines of its adoption,
 * "Aldus vastgesteld … d.d. 17 februari 2022" and the signatures) and as the document to work on (`doc`): the
 * same text whose closing block ends in the structured sign-off part instead, so signing it in the demo gives
 * one "Aldus vastgesteld" block. The seed keeps the original as the named version "2022".
 */
export function demoMemo(): { title: string; doc: PMNode; historical: PMNode } {
  const { title, parts } = parseVoorstelText(readFileSync(demoMemoPath, 'utf8'));
  const adoption = parts.closing.findIndex((lines) => /^Aldus vastgesteld\b/.test(lines[0] ?? ''));
  return {
    title,
    historical: voorstelDocument(parts),
    doc: voorstelDocument({
      ...parts,
      closing: adoption < 0 ? parts.closing : parts.closing.slice(0, adoption),
      signOff: true,
    }),
  };
}
