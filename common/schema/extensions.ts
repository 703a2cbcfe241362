import { getSchema, type AnyExtension } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { TableKit } from '@tiptap/extension-table';
import { ClosingBlock, ClosingSignOff, Metadata, MetadataField } from './metadata';
import { SuggestionDelete, SuggestionInsert } from './suggestions';

/**
 * The one extension list that defines a Stukwerk document, shared by the browser editor and the server
 * (templates, imports, derived JSON/text). Collaboration extensions are added by the editor only.
 */
export const allowedLinkProtocols = ['http', 'https', 'mailto'] as const;

export function isAllowedHref(href: string): boolean {
  try {
    const url = new URL(href);
    return (allowedLinkProtocols as readonly string[]).includes(url.protocol.replace(/:$/, ''));
  } catch {
    return false; // relative or malformed: not a link we render
  }
}

export function documentExtensions(): AnyExtension[] {
  return [
    StarterKit.configure({
      // Collaboration brings its own undo (scoped to one's own changes); ProseMirror's history must be off.
      undoRedo: false,
      // No client may write on open (initial content is written once, on the server): the trailing-paragraph helper would.
      trailingNode: false,
      heading: { levels: [1, 2, 3] },
      link: {
        openOnClick: false,
        autolink: true,
        protocols: ['mailto'],
        defaultProtocol: 'https',
        isAllowedUri: (url) => isAllowedHref(url),
        HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: '_blank' },
      },
    }),
    TableKit.configure({ table: { resizable: false } }),
    Metadata,
    MetadataField,
    ClosingBlock,
    ClosingSignOff,
    SuggestionInsert,
    SuggestionDelete,
  ];
}

export const documentSchema = () => getSchema(documentExtensions());

export { contentFragmentName } from './fragment';
