import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { contentFragmentName } from '../../common/schema/fragment';
import {
  acceptedJSON,
  hasOpenSuggestions,
  resolveRanges,
  suggestionRanges,
  suggestionsFromJSON,
} from '../../common/suggestions';
import { jsonFromYDoc, paragraph, plainText, stateFromJSON, text, type PMNode } from '../../server/content/prosemirror';
import { documentHash } from '../../server/versions/canonical';

const at = '2026-11-30T10:00:00.000Z';
const mark = (type: 'suggestionInsert' | 'suggestionDelete', id: string, authorId = 'anne') => ({
  type,
  attrs: { id, authorId, createdAt: at },
});

/** "Wij bieden een [handreiking→aanbod] aan[ alle] de gemeenten[.]" with a replacement, an insertion, a deletion. */
const doc: PMNode = {
  type: 'doc',
  content: [
    {
      type: 'paragraph',
      content: [
        text('Wij bieden een '),
        text('handreiking', [mark('suggestionDelete', 'r1')]),
        text('aanbod', [mark('suggestionInsert', 'r1')]),
        text(' aan'),
        text(' alle', [mark('suggestionInsert', 'i1', 'bert'), { type: 'bold' }]),
        text(' de gemeenten'),
        text('.', [mark('suggestionDelete', 'd1', 'bert')]),
      ],
    },
    paragraph('Tweede alinea.'),
  ],
};

const plain: PMNode = {
  type: 'doc',
  content: [paragraph('Wij bieden een handreiking aan de gemeenten.'), paragraph('Tweede alinea.')],
};

describe('suggestions on ProseMirror JSON', () => {
  it('lists open suggestions in document order, a replacement as one', () => {
    expect(suggestionsFromJSON(doc)).toEqual([
      { id: 'r1', kind: 'replace', text: 'handreiking', replacement: 'aanbod', authorId: 'anne', createdAt: at },
      { id: 'i1', kind: 'insert', text: ' alle', authorId: 'bert', createdAt: at },
      { id: 'd1', kind: 'delete', text: '.', authorId: 'bert', createdAt: at },
    ]);
    expect(suggestionsFromJSON(plain)).toEqual([]);
  });

  it('joins the parts of a suggestion in different paragraphs with a line break', () => {
    const across: PMNode = {
      type: 'doc',
      content: [
        { type: 'paragraph', content: [text('een'), text(' twee', [mark('suggestionDelete', 'x')])] },
        { type: 'paragraph', content: [text('drie', [mark('suggestionDelete', 'x')]), text(' vier')] },
      ],
    };
    expect(suggestionsFromJSON(across)).toMatchObject([{ id: 'x', kind: 'delete', text: ' twee\ndrie' }]);
  });

  it('the accepted view rejects every suggestion, merges text runs and so hashes like the plain document', () => {
    expect(acceptedJSON(doc)).toEqual(plain);
    expect(hasOpenSuggestions(doc)).toBe(true);
    expect(hasOpenSuggestions(plain)).toBe(false);
    expect(documentHash(doc)).toBe(documentHash(plain));
  });

  it('derived plain text (search, listing, compare) is the accepted text', () => {
    expect(plainText(doc)).toBe('Wij bieden een handreiking aan de gemeenten.\nTweede alinea.');
  });
});

describe('resolving suggestions on the Yjs document', () => {
  const live = () => {
    const ydoc = new Y.Doc();
    Y.applyUpdate(ydoc, stateFromJSON(doc));
    return ydoc;
  };
  const resolve = (ydoc: Y.Doc, match: (a: { id: string; authorId: string }) => boolean, d: 'accept' | 'reject') =>
    ydoc.transact(() => resolveRanges(suggestionRanges(ydoc.getXmlFragment(contentFragmentName), match), d));

  it('accepting a replacement keeps the new wording and drops the old', () => {
    const ydoc = live();
    resolve(ydoc, (a) => a.id === 'r1', 'accept');
    expect(plainText(jsonFromYDoc(ydoc)).split('\n')[0]).toBe('Wij bieden een aanbod aan de gemeenten.');
    expect(suggestionsFromJSON(jsonFromYDoc(ydoc)).map((s) => s.id)).toEqual(['i1', 'd1']);
  });

  it('rejecting everything gives the accepted view; accepting everything of one author applies only theirs', () => {
    const rejected = live();
    resolve(rejected, () => true, 'reject');
    expect(jsonFromYDoc(rejected)).toEqual(plain);
    const ofBert = live();
    resolve(ofBert, (a) => a.authorId === 'bert', 'accept');
    const json = jsonFromYDoc(ofBert);
    expect(suggestionsFromJSON(json).map((s) => s.id)).toEqual(['r1']);
    expect(plainText(acceptedJSON(json)).split('\n')[0]).toBe('Wij bieden een handreiking aan alle de gemeenten');
  });
});
