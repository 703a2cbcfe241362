import { notFound } from 'next/navigation';
import { isAppError } from '../../server/errors';
import { services } from '../../server/registry';
import { requirePageUser } from '../page-session';

/** The signed-in member and the document for a page under /documents/<id>; a non-member gets the 404 page. */
export async function loadDocumentPage(id: string, path: string) {
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
