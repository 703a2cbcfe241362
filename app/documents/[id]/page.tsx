import { DocumentWorkspace } from '@/components/DocumentWorkspace';
import { services } from '@/server/registry';
import { loadDocumentPage } from '../document-page';

export default async function DocumentPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ thread?: string | string[] }>;
}) {
  const { id } = await params;
  const { thread } = await searchParams;
  const { user, document } = await loadDocumentPage(id, `/documents/${id}`);
  return (
    <DocumentWorkspace
      document={{
        id: document.id,
        title: document.title,
        status: document.status,
        role: document.role,
        can: document.can,
        members: document.members,
        attachments: (await services().attachments.list(user.id, document.id)).attachments,
        signedOff: document.signedVersion
          ? {
              signedAt: document.signedVersion.signedAt.toISOString(),
              signedBy: document.signedVersion.signedBy ?? '',
              sha256: document.signedVersion.sha256,
              meetingDate: document.signedVersion.meetingDate,
            }
          : null,
      }}
      me={{ id: user.id, name: user.name }}
      threadId={typeof thread === 'string' ? thread : null}
    />
  );
}
