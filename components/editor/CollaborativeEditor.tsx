'use client';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { EditorContent, useEditor } from '@tiptap/react';
import { useEffect, useMemo, useState } from 'react';
import * as Y from 'yjs';
import { connect, trackUnsynced, type ConnectionState, type SessionInfo } from './connection';
import { contentFragmentName, documentExtensions } from './extensions';
import { Presence, type Participant } from './Presence';
import { Toolbar } from './Toolbar';

interface Props {
  documentId: string;
  initialRole: string;
  initialStatus: string;
  me: { id: string; name: string };
}

const connectionLabel: Record<ConnectionState, string> = {
  connected: 'verbonden',
  connecting: 'opnieuw verbinden',
  offline: 'offline',
};

export function CollaborativeEditor({ documentId, initialRole, initialStatus, me }: Props) {
  const ydoc = useMemo(() => new Y.Doc(), []);
  const [session, setSession] = useState<SessionInfo>({
    role: initialRole,
    status: initialStatus,
    readOnly: initialRole !== 'editor' || initialStatus === 'signed_off',
  });
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const [synced, setSynced] = useState(false);
  const [participants, setParticipants] = useState<Participant[]>([]);
  const provider = useMemo(() => connect(documentId, ydoc, setSession), [documentId, ydoc]);

  useEffect(() => {
    const onStatus = ({ status }: { status: string }) =>
      setConnection(!navigator.onLine ? 'offline' : status === 'connected' ? 'connected' : 'connecting');
    const onSync = (s: boolean) => setSynced(s);
    const onAwareness = () =>
      setParticipants(
        [...provider.awareness.getStates().entries()]
          .map(([clientId, state]) => ({ clientId, ...(state.user as Omit<Participant, 'clientId'>) }))
          .filter((p) => p.name),
      );
    const onOffline = () => setConnection('offline');
    const onOnline = () => setConnection(provider.wsconnected ? 'connected' : 'connecting');
    const unsynced = trackUnsynced(provider, ydoc);
    // The browser asks before leaving while typed text has not reached the server.
    const beforeUnload = (e: BeforeUnloadEvent) => {
      if (unsynced.hasUnsynced()) e.preventDefault();
    };
    provider.on('status', onStatus);
    provider.on('sync', onSync);
    provider.awareness.on('change', onAwareness);
    window.addEventListener('offline', onOffline);
    window.addEventListener('online', onOnline);
    window.addEventListener('beforeunload', beforeUnload);
    return () => {
      provider.off('status', onStatus);
      provider.off('sync', onSync);
      provider.awareness.off('change', onAwareness);
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('online', onOnline);
      window.removeEventListener('beforeunload', beforeUnload);
      unsynced.dispose();
      provider.destroy();
      ydoc.destroy();
    };
  }, [provider, ydoc]);

  const editor = useEditor(
    {
      immediatelyRender: false,
      editable: !session.readOnly,
      extensions: [
        ...documentExtensions(),
        Collaboration.configure({ document: ydoc, field: contentFragmentName }),
        // The server replaces `user` with what it knows; this is only the local preview.
        CollaborationCaret.configure({ provider, user: { name: me.name, color: '#1f6feb' } }),
      ],
      editorProps: { attributes: { class: 'voorstel', 'aria-label': 'Documenttekst' } },
    },
    [provider],
  );

  useEffect(() => {
    editor?.setEditable(!session.readOnly);
  }, [editor, session.readOnly]);

  return (
    <div className="editor-shell" data-synced={synced ? 'true' : 'false'} data-readonly={session.readOnly ? 'true' : 'false'}>
      <div className="editor-status">
        <span className={`connection connection-${connection}`} role="status" aria-live="polite">
          ● {connectionLabel[connection]}
        </span>
        <Presence participants={participants} />
      </div>
      {session.readOnly && <ReadOnlyBanner session={session} />}
      {editor && !session.readOnly && <Toolbar editor={editor} />}
      <EditorContent editor={editor} className="editor-content" />
    </div>
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
