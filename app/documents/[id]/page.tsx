import { notFound } from 'next/navigation';
import { DocumentWorkspace } from '../../../components/DocumentWorkspace';
import { isAppError } from '../../../server/errors';
import { services } from '../../../server/registry';
import { requirePageUser } from '../../page-session';

export default async function DocumentPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ thread?: string | string[] }> }) {
  const { id } = await params;
  const { thread } = await searchParams;
  const user = await requirePageUser(`/documents/${id}`);
  let document;
  try {
    document = await services().documents.get(user.id, id);
  } catch (err) {
    if (isAppError(err) && err.status === 404) notFound();
    throw err;
  }
  return (
    <DocumentWorkspace
      document={{ id: document.id, title: document.title, status: document.status, role: document.role, members: document.members }}
      me={{ id: user.id, name: user.name }}
      threadId={typeof thread === 'string' ? thread : null}
    />
  );
}
