import type { Database } from '../../db/client';
import type { PMNode } from '../content/prosemirror';
import { createDocument, type DocumentSummary } from '../documents/documents';
import { AppError } from '../errors';
import type { ServerPool } from '../workers/server-pool';
import { importLimits } from './limits';
import { looksLikeZip, notDocx } from './zip';
import { bindDeps } from '../wiring';

/**
 * Import of a Word document: the upload is checked (size, ZIP container, Word content type) before any parser
 * sees it, converted by mammoth to HTML (no external file access, images never read), read back by a strict
 * parser into ProseMirror JSON of the one schema, and created with createDocument: content written once, as Yjs
 * state, in the creating transaction, so a refused or failed import leaves nothing behind.
 *
 * The parsing runs in a worker thread (server/import/parse.ts): mammoth on a large file is seconds of CPU that
 * would otherwise stall every open document. The cheap checks stay here, so a file refused at once never takes
 * a place in the pool's queue; the database work stays here too.
 */
export interface ImportWarning {
  code: 'images_removed' | 'remote_images_removed' | 'links_removed' | 'scripts_removed';
  message: string;
}
export interface ImportResult extends DocumentSummary {
  warnings: ImportWarning[];
}

export async function importDocx(
  deps: { db: Database; workers: ServerPool },
  userId: string,
  file: { name: string; bytes: Buffer },
  options: { title?: string } = {},
): Promise<ImportResult> {
  if (file.bytes.length > importLimits.maxFileBytes) {
    throw new AppError('too_large', 'The file is larger than 10 MB.', {
      details: { maxBytes: importLimits.maxFileBytes, maxMB: importLimits.maxFileBytes / 2 ** 20 },
    });
  }
  if ((file.name && !/\.docx$/i.test(file.name)) || !looksLikeZip(file.bytes)) throw notDocx();

  // Copied, not transferred, to the thread: at most 10 MB, and the caller keeps a usable Buffer.
  const parsed = await deps.workers.run('parseDocx', { bytes: file.bytes });
  const { doc, report, inspection, images } = parsed;

  const warnings: ImportWarning[] = [];
  const embedded = Math.max(0, images - inspection.remoteImages);
  if (embedded)
    warnings.push({
      code: 'images_removed',
      message: `${embedded} afbeelding(en) niet overgenomen: Stukwerk-documenten bevatten geen afbeeldingen. / ${embedded} image(s) left out.`,
    });
  if (inspection.remoteImages) {
    warnings.push({
      code: 'remote_images_removed',
      message: `${inspection.remoteImages} afbeelding(en) van een externe bron verwijderd en niet opgehaald. / ${inspection.remoteImages} remote image(s) removed, never fetched.`,
    });
  }
  if (report.linksRemoved) {
    warnings.push({
      code: 'links_removed',
      message: `${report.linksRemoved} link(s) met een niet-toegestaan adres verwijderd (alleen http, https, mailto); de tekst is behouden. / ${report.linksRemoved} unsafe link(s) removed, text kept.`,
    });
  }
  const scripts = [...inspection.scripts, ...(parsed.removedScripts ? ['scripts'] : [])];
  if (scripts.length) {
    warnings.push({
      code: 'scripts_removed',
      message: `Verwijderd en nooit uitgevoerd: ${scripts.join(', ')}. Alleen de tekst is overgenomen. / Removed, never run: macros/scripts.`,
    });
  }

  const title = (
    options.title?.trim() ||
    titleOf(doc) ||
    file.name.replace(/\.docx$/i, '').trim() ||
    'Geïmporteerd document'
  ).slice(0, 300);
  const created = await createDocument(deps.db, userId, {
    title,
    template: report.metadataFound ? 'voorstel' : 'blank',
    content: doc,
    prepared: { state: parsed.state, text: parsed.text },
    auditDetails: {
      source: 'docx',
      fileName: file.name.slice(0, 200),
      bytes: file.bytes.length,
      warnings: warnings.map((w) => w.code),
    },
  });
  return { ...created, warnings };
}

/** The subject from the header, else the first heading. */
function titleOf(doc: PMNode): string | undefined {
  const text = (n: PMNode): string => (n.type === 'text' ? (n.text ?? '') : (n.content ?? []).map(text).join(''));
  const subject = doc.content?.find((n) => n.type === 'metadata')?.content?.find((f) => f.attrs?.field === 'onderwerp');
  const heading = doc.content?.find((n) => n.type === 'heading');
  return (subject && text(subject).trim()) || (heading && text(heading).trim()) || undefined;
}

/** Imports of one server: `createImports({ db, workers }).docx(userId, file, options)`. */
export const createImports = (deps: Parameters<typeof importDocx>[0]) => bindDeps(deps, { docx: importDocx });
