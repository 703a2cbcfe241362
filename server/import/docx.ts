import mammoth from 'mammoth';
import type { Database } from '../../db/client';
import { schema, type PMNode } from '../content/prosemirror';
import { createDocument, type DocumentSummary } from '../documents/documents';
import { AppError } from '../errors';
import { stukwerkStyles } from '../export/docx';
import { parseHtml } from './html';
import { toProseMirror } from './prosemirror';
import { importLimits } from './limits';
import { corrupt, looksLikeZip, notDocx, readZip, type ZipEntry } from './zip';

/**
 * Import of a Word document: the upload is checked (size, ZIP container, Word content type) before any parser
 * sees it, converted by mammoth to HTML (no external file access, images never read), read back by a strict
 * parser into ProseMirror JSON of the one schema, and created with createDocument: content written once, as Yjs
 * state, in the creating transaction, so a refused or failed import leaves nothing behind.
 */
export interface ImportWarning {
  code: 'images_removed' | 'remote_images_removed' | 'links_removed' | 'scripts_removed';
  message: string;
}
export interface ImportResult extends DocumentSummary {
  warnings: ImportWarning[];
}

const wordMainTypes = [
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml',
  'application/vnd.ms-word.document.macroEnabled.main+xml',
  'application/vnd.ms-word.template.macroEnabledTemplate.main+xml',
];

/** Round trip: the frame of a Stukwerk export goes back where it came from; its sign-off lines do not (a new draft is not signed). */
const styleMap = [
  `p[style-name='${stukwerkStyles.title}'] => !`,
  `p[style-name='${stukwerkStyles.signature}'] => !`,
  `p[style-name='${stukwerkStyles.closing}'] => div.closing > p:fresh`,
];

interface Inspection {
  remoteImages: number;
  scripts: string[];
}

/** What the container holds besides text: macros, ActiveX, embedded HTML with scripts, images linked from elsewhere. */
function inspect(entries: Map<string, ZipEntry>): Inspection {
  const contentTypes = entries.get('[Content_Types].xml')?.data.toString('utf8');
  if (!contentTypes || !wordMainTypes.some((t) => contentTypes.includes(`"${t}"`))) throw notDocx();
  if (!entries.has('_rels/.rels')) throw corrupt('geen _rels/.rels / no package relationships');
  const scripts = new Set<string>();
  let remoteImages = 0;
  for (const entry of entries.values()) {
    const name = entry.name.toLowerCase();
    if (name.endsWith('vbaproject.bin') || name.endsWith('vbadata.xml')) scripts.add('macro’s (VBA)');
    if (name.includes('/activex/')) scripts.add('ActiveX');
    if (/\/afchunk[^/]*$/.test(name) || /\.html?$/.test(name)) {
      if (/<script\b|\son[a-z]+\s*=|javascript:/i.test(entry.data.toString('utf8'))) scripts.add('scripts in ingesloten HTML');
    }
    if (name.endsWith('.rels')) {
      for (const rel of entry.data.toString('utf8').matchAll(/<Relationship\b[^>]*>/g)) {
        if (/Type="[^"]*\/image"/.test(rel[0]) && /TargetMode="External"/.test(rel[0])) remoteImages++;
      }
    }
  }
  if (contentTypes.includes('macroEnabled')) scripts.add('macro’s (VBA)');
  return { remoteImages, scripts: [...scripts] };
}

export async function importDocx(
  db: Database,
  userId: string,
  file: { name: string; bytes: Buffer },
  options: { title?: string } = {},
): Promise<ImportResult> {
  if (file.bytes.length > importLimits.maxFileBytes) {
    throw new AppError('too_large', 'Het bestand is groter dan 10 MB. / The file is larger than 10 MB.');
  }
  if ((file.name && !/\.docx$/i.test(file.name)) || !looksLikeZip(file.bytes)) throw notDocx();
  const inspection = inspect(readZip(file.bytes));

  let images = 0;
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: file.bytes },
      {
        styleMap,
        externalFileAccess: false,
        // Images are counted and never read: Stukwerk documents hold no images, and a linked one may point anywhere.
        convertImage: mammoth.images.imgElement(async () => {
          images++;
          return { src: '' };
        }),
      },
    );
    html = result.value;
  } catch (cause) {
    throw corrupt('Word kan het niet lezen / unreadable document', cause);
  }

  const tree = parseHtml(html);
  const { doc, report } = toProseMirror(tree.root);
  try {
    schema().nodeFromJSON(doc).check();
  } catch (cause) {
    throw new AppError('invalid:unsupported_content', 'De inhoud van dit document kan niet worden overgenomen. / The content cannot be imported.', { cause });
  }

  const warnings: ImportWarning[] = [];
  const embedded = Math.max(0, images - inspection.remoteImages);
  if (embedded) warnings.push({ code: 'images_removed', message: `${embedded} afbeelding(en) niet overgenomen: Stukwerk-documenten bevatten geen afbeeldingen. / ${embedded} image(s) left out.` });
  if (inspection.remoteImages) {
    warnings.push({ code: 'remote_images_removed', message: `${inspection.remoteImages} afbeelding(en) van een externe bron verwijderd en niet opgehaald. / ${inspection.remoteImages} remote image(s) removed, never fetched.` });
  }
  if (report.linksRemoved) {
    warnings.push({ code: 'links_removed', message: `${report.linksRemoved} link(s) met een niet-toegestaan adres verwijderd (alleen http, https, mailto); de tekst is behouden. / ${report.linksRemoved} unsafe link(s) removed, text kept.` });
  }
  const scripts = [...inspection.scripts, ...(tree.removedScripts ? ['scripts'] : [])];
  if (scripts.length) {
    warnings.push({ code: 'scripts_removed', message: `Verwijderd en nooit uitgevoerd: ${scripts.join(', ')}. Alleen de tekst is overgenomen. / Removed, never run: macros/scripts.` });
  }

  const title = (options.title?.trim() || titleOf(doc) || file.name.replace(/\.docx$/i, '').trim() || 'Geïmporteerd document').slice(0, 300);
  const created = await createDocument(db, userId, {
    title,
    template: report.metadataFound ? 'voorstel' : 'blank',
    content: doc,
    auditDetails: { source: 'docx', fileName: file.name.slice(0, 200), bytes: file.bytes.length, warnings: warnings.map((w) => w.code) },
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
