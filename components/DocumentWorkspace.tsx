'use client';
import dynamic from 'next/dynamic';
import { useTranslations } from 'next-intl';
import type { DocumentPolicy } from '@/common/policy';
import type { SignedOffInfo } from './editor/connection';
import { AttachmentsPanel, type Attachment } from './AttachmentsPanel';
import { ExportMenu } from './ExportMenu';
import { MembersPanel, type Member } from './MembersPanel';
import { RoundPanel } from './rounds/RoundPanel';
import { WorkflowActions } from './WorkflowActions';

// The editor needs the browser (WebSocket, DOM selection); it is not rendered on the server.
const CollaborativeEditor = dynamic(() => import('./editor/CollaborativeEditor').then((m) => m.CollaborativeEditor), {
  ssr: false,
  loading: () => <EditorLoading />,
});

function EditorLoading() {
  const t = useTranslations('workspace');
  return <p className="muted">{t('loadingEditor')}</p>;
}

export interface WorkspaceDocument {
  id: string;
  title: string;
  status: 'draft' | 'review' | 'ready' | 'signed_off';
  role: 'editor' | 'commenter' | 'chair' | 'viewer';
  /** What this person may do, as the server computed it. */
  can: DocumentPolicy;
  members: Member[];
  attachments: Attachment[];
  signedOff: SignedOffInfo | null;
}

export function DocumentWorkspace({
  document,
  me,
  threadId,
}: {
  document: WorkspaceDocument;
  me: { id: string; name: string };
  threadId?: string | null;
}) {
  const t = useTranslations('workspace');
  const tStatus = useTranslations('status');
  const tRole = useTranslations('role');
  return (
    <div className="workspace">
      <div className="workspace-main">
        <div className="doc-heading">
          <h1>{document.title}</h1>
          <p className="doc-meta">
            <span
              id="document-status"
              tabIndex={-1}
              className={`status status-${document.status}`}
              title={tStatus(`meaning.${document.status}`)}
            >
              {tStatus(`label.${document.status}`)}
            </span>{' '}
            · {t('myRole', { role: tRole(document.role) })}
          </p>
          <WorkflowActions documentId={document.id} status={document.status} can={document.can} />
        </div>
        <CollaborativeEditor
          documentId={document.id}
          initialRole={document.role}
          initialCan={document.can}
          initialStatus={document.status}
          initialSignedOff={document.signedOff}
          me={me}
          members={document.members.map((m) => ({ userId: m.userId, name: m.name, organisation: m.organisation }))}
          initialThreadId={threadId}
        />
      </div>
      <aside className="workspace-side">
        <RoundPanel documentId={document.id} meId={me.id} role={document.role} can={document.can} />
        <MembersPanel
          documentId={document.id}
          members={document.members}
          canManage={document.can.manageMembers}
          meId={me.id}
        />
        <AttachmentsPanel
          documentId={document.id}
          initial={document.attachments}
          canChange={document.can.edit}
          frozen={!document.can.edit && document.role === 'editor'}
        />
        <ExportMenu documentId={document.id} signedOff={document.status === 'signed_off'} />
      </aside>
    </div>
  );
}
