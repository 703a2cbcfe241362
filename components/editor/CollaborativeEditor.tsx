'use client';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { EditorContent, useEditor } from '@tiptap/react';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { SignedClosing } from '../SignedClosing';
import type { ConnectionState, SessionInfo, SignedOffInfo } from './connection';
import { contentFragmentName, documentExtensions } from './extensions';
import { Presence } from './Presence';
import { Toolbar } from './Toolbar';
import { useCollaboration } from './useCollaboration';

interface Props {
  documentId: string;
  initialRole: string;
  initialStatus: string;
  initialSignedOff: SignedOffInfo | null;
  me: { id: string; name: string };
}

const connectionLabel: Record<ConnectionState, string> = {
  connected: 'verbonden',
  connecting: 'opnieuw verbinden',
  offline: 'offline',
};

export function CollaborativeEditor({ documentId, initialRole, initialStatus, initialSignedOff, me }: Props) {
  const collab = useCollaboration(documentId, {
    role: initialRole,
    status: initialStatus,
    readOnly: initialRole !== 'editor' || initialStatus === 'signed_off',
    signedOff: initialSignedOff ?? undefined,
  });
  const { session } = collab;
  const router = useRouter();
  // A status change pushed by the server (sign-off, reopen) also refreshes the page's status and buttons.
  useEffect(() => {
    if (session.status !== initialStatus) router.refresh();
  }, [session.status, initialStatus, router]);
  return (
    <div className="editor-shell" data-synced={collab.synced ? 'true' : 'false'} data-readonly={session.readOnly ? 'true' : 'false'}>
      <div className="editor-status">
        <span className={`connection connection-${collab.connection}`} role="status" aria-live="polite">
          ● {connectionLabel[collab.connection]}
        </span>
        <Presence participants={collab.participants} />
      </div>
      {session.readOnly && <ReadOnlyBanner session={session} />}
      {collab.ydoc && collab.provider && (
        <BoundEditor key={collab.ydoc.guid} ydoc={collab.ydoc} provider={collab.provider} readOnly={session.readOnly} userName={me.name} />
      )}
      {session.status === 'signed_off' && session.signedOff && <SignedClosing info={session.signedOff} />}
    </div>
  );
}

function BoundEditor({ ydoc, provider, readOnly, userName }: { ydoc: Y.Doc; provider: WebsocketProvider; readOnly: boolean; userName: string }) {
  const editor = useEditor(
    {
      immediatelyRender: false,
      editable: !readOnly,
      extensions: [
        ...documentExtensions(),
        Collaboration.configure({ document: ydoc, field: contentFragmentName }),
        // The server replaces `user` with what it knows; this is only the local preview.
        CollaborationCaret.configure({ provider, user: { name: userName, color: '#1f6feb' } }),
      ],
      editorProps: { attributes: { class: 'voorstel', 'aria-label': 'Documenttekst' } },
    },
    [ydoc, provider],
  );
  useEffect(() => {
    editor?.setEditable(!readOnly);
  }, [editor, readOnly]);
  return (
    <>
      {editor && !readOnly && <Toolbar editor={editor} />}
      <EditorContent editor={editor} className="editor-content" />
    </>
  );
}

function ReadOnlyBanner({ session }: { session: SessionInfo }) {
  const text =
    session.status === 'signed_off'
      ? 'Vastgesteld: dit document is door de voorzitter vastgesteld en kan niet meer worden gewijzigd. (Signed off: read-only.)'
      : session.role === 'commenter' || session.role === 'chair'
        ? 'Alleen lezen: je kunt dit document lezen en van commentaar voorzien, maar de tekst niet wijzigen. (Read-only: you may comment, not edit.)'
        : 'Alleen lezen: je bent lezer van dit document. (Read-only: you are a viewer.)';
  return (
    <div className="banner banner-readonly" role="note" data-testid="readonly-banner">
      {text}
    </div>
  );
}
