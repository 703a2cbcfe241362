import { describe, expect, it } from 'vitest';
import { catalogues, translator } from './i18n';

/** Every key path of a catalogue, e.g. `status.label.draft`. */
function keys(messages: object, prefix = ''): string[] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null ? keys(value as object, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

describe('message catalogues', () => {
  it('Dutch and English have exactly the same keys', () => {
    expect(keys(catalogues.en).sort()).toEqual(keys(catalogues.nl).sort());
  });

  it('no message is empty and none pairs the two languages ("Dutch (English)")', () => {
    for (const locale of ['nl', 'en'] as const) {
      const t = translator(locale);
      for (const key of keys(catalogues[locale])) {
        const text = t.raw(key as never) as string;
        expect(text.trim(), `${locale}:${key}`).not.toBe('');
        expect(text, `${locale}:${key}`).not.toMatch(/ \/ /);
      }
    }
  });

  it('formats with the chosen language', () => {
    expect(translator('nl')('common.httpError', { status: 503 })).toBe('Fout 503');
    expect(translator('en')('common.httpError', { status: 503 })).toBe('Error 503');
  });
});
