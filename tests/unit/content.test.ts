import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { jsonFromYDoc, plainText, stateFromJSON, type PMNode } from '../../server/content/prosemirror';
import { voorstelSections, voorstelTemplate } from '../../server/content/templates';
import { demoMemo, parseVoorstelText } from '../../server/demo/memo';
import { readFileSync } from 'node:fs';
import { demoMemoPath } from '../../server/demo/memo';

const load = (state: Uint8Array) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
};

describe('the demo memo', () => {
  const source = readFileSync(demoMemoPath, 'utf8');

  it('parses the header into the eight metadata fields', () => {
    const { title, parts } = parseVoorstelText(source);
    expect(title).toBe('Regionale input voor coalitieakkoorden');
    expect(parts.metadata).toEqual({
      onderwerp: 'Regionale input voor coalitieakkoorden',
      agendapunt: 'E3',
      datum: '17 februari 2022',
      openbaar: 'ja',
      behandeld_door: "Jacqueline aan de Stegge/Sylvia Huis in't Veld",
      registratienummer: '[Registratienummer]',
      telefoonnummer: '[Telefoonnummer]',
      portefeuillehouder: 'voorzitter',
    });
  });

  it('keeps every paragraph of the body and the closing block, without page numbers', () => {
    const { parts } = parseVoorstelText(source);
    expect(parts.sections['Aan het algemeen bestuur']).toHaveLength(4);
    expect(parts.sections.Voorstel[0]![0]).toMatch(/^Instemmen met de memo/);
    expect(parts.closing[0]).toEqual(['Enschede, 26 januari 2022']);
    expect(parts.closing.flat()).toContain(
      'Aldus vastgesteld in de vergadering van het algemeen bestuur d.d. 17 februari 2022',
    );
    expect(parts.closing.flat()).not.toContain('-1-');
  });

  it('keeps the 2022 original as Yjs state whose text holds every line of the source (except the page number and title lines)', () => {
    const text = plainText(jsonFromYDoc(load(stateFromJSON(demoMemo().historical))));
    const skip = new Set(['VOORSTEL', 'Algemeen Bestuur', '-1-']);
    for (const line of source
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !skip.has(l) && !l.includes('\t'))) {
      expect(text).toContain(line);
    }
  });

  it('is worked on without its 2022 adoption lines: its closing block ends in the sign-off part instead', () => {
    const json = jsonFromYDoc(load(stateFromJSON(demoMemo().doc)));
    const closing = json.content!.at(-1)!;
    expect(closing.type).toBe('closingBlock');
    expect(closing.content!.at(-1)).toEqual({ type: 'closingSignOff' });
    expect(closing.content!.filter((n) => n.type === 'closingSignOff')).toHaveLength(1);
    const text = plainText(json);
    expect(text).toContain('Enschede, 26 januari 2022');
    expect(text).toContain('Het dagelijks bestuur');
    expect(text).toContain('Gevraagd wordt in te stemmen met bijgaande memo.');
    expect(text).not.toMatch(/Aldus vastgesteld/);
    expect(text).not.toContain('R.W. Bleker');
  });
});

describe('the voorstel template', () => {
  it('has the metadata header, the five sections in order, and the closing block', () => {
    const json = jsonFromYDoc(load(stateFromJSON(voorstelTemplate('Nieuw voorstel'))));
    expect(json.content![0]!.type).toBe('metadata');
    expect(json.content![0]!.content).toHaveLength(8);
    const headings = json.content!.filter((n) => n.type === 'heading').map((n) => n.content![0]!.text);
    expect(headings).toEqual([...voorstelSections]);
    expect(json.content!.at(-1)!.type).toBe('closingBlock');
  });

  it('ends its closing block with the structured sign-off part, not with a typed "Aldus vastgesteld" line', () => {
    const json = jsonFromYDoc(load(stateFromJSON(voorstelTemplate('Nieuw voorstel'))));
    const closing = json.content!.at(-1)!;
    expect(closing.content!.at(-1)).toEqual({ type: 'closingSignOff' });
    expect(plainText(json)).not.toMatch(/Aldus vastgesteld/);
  });

  it('allows the sign-off part only once, at the end of the closing block', () => {
    const closing = (...content: PMNode[]) => ({ type: 'doc', content: [{ type: 'closingBlock', content }] });
    const p = { type: 'paragraph', content: [{ type: 'text', text: 'Enschede' }] };
    const part = { type: 'closingSignOff' };
    expect(() => stateFromJSON(closing(p, part))).not.toThrow();
    expect(() => stateFromJSON(closing(p, part, part))).toThrow();
    expect(() => stateFromJSON(closing(p, part, p))).toThrow();
    expect(() => stateFromJSON({ type: 'doc', content: [p, part] })).toThrow();
  });

  it('refuses content the editor schema could not hold', () => {
    expect(() => stateFromJSON({ type: 'doc', content: [{ type: 'metadataField' }] })).toThrow();
  });
});
