import { notFound, redirect } from 'next/navigation';
import { canonicalId } from '@/common/ids';
import { isAppError } from '@/server/errors';
import { services } from '@/server/registry';
import { requirePageUser } from '../page-session';

/** The signed-in member and the document for a page under /documents/<id>; a non-member gets the 404 page. */
export async function loadDocumentPage(id: string, path: string) {
  // One document, one address: an id in capitals is the same document, so go to its canonical page.
  const canonical = canonicalId(id);
  if (!canonical) notFound();
  if (canonical !== id) redirect(path.replace(id, canonical));
  const user = await requirePageUser(path);
  try {
    return { user, document: await services().documents.get(user.id, id) };
  } catch (err) {
    if (isAppError(err) && err.status === 404) notFound();
    throw err;
  }
}

/** Runs a domain call for a page, turning "not found" into the 404 page. */
export async function orNotFound<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (isAppError(err) && err.status === 404) notFound();
    throw err;
  }
}
