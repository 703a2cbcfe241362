import { and, eq, inArray, isNull } from 'drizzle-orm';
import { translator, type Locale } from '../../common/i18n';
import type { Database, Executor } from '../../db/client';
import { comments, commentThreads, documentMembers, users } from '../../db/schema';
import { maxCommentChars } from '../comments/schemas';
import type { PMNode } from '../content/prosemirror';
import { createDocument, type DocumentSummary } from '../documents/documents';
import { AppError } from '../errors';
import type { ServerPool } from '../workers/server-pool';
import { importLimits } from './limits';
import type { ImportedThread, ImportPerson, WordImport } from './parse';
import type { SuggestionCounts } from './word-markers';
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
  code:
    | 'images_removed'
    | 'remote_images_removed'
    | 'links_removed'
    | 'scripts_removed'
    | 'authors_unmatched'
    | 'comments_unanchored'
    | 'formatting_changes'
    | 'structural_changes'
    | 'nested_changes'
    | 'changes_unconvertible';
  message: string;
}
export interface ImportResult extends DocumentSummary {
  warnings: ImportWarning[];
  /** What the file's tracked changes and comments became: suggestions (by kind) and comment threads with replies. */
  converted: { suggestions: SuggestionCounts; threads: number; replies: number };
}

/**
 * The people an imported file's tracked changes and comments may be attributed to: the importing person and
 * everyone who shares a document with them (active accounts). Nobody else is matched, so an import reveals no
 * account the importer does not already work with.
 */
async function colleagues(db: Database, userId: string): Promise<ImportPerson[]> {
  const own = db
    .select({ documentId: documentMembers.documentId })
    .from(documentMembers)
    .where(eq(documentMembers.userId, userId));
  const rows = await db
    .selectDistinct({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .innerJoin(documentMembers, eq(documentMembers.userId, users.id))
    .where(and(inArray(documentMembers.documentId, own), isNull(users.deactivatedAt)));
  if (!rows.some((r) => r.id === userId)) {
    const [me] = await db
      .select({ id: users.id, name: users.name, email: users.email })
      .from(users)
      .where(eq(users.id, userId));
    if (me) rows.push(me);
  }
  return rows;
}

/**
 * The imported comment threads, written with the document. A comment whose author matched nobody is the
 * importer's, with the original author's name in front of its text, so nobody's words become someone else's.
 */
async function insertThreads(tx: Executor, documentId: string, importerId: string, threads: ImportedThread[]) {
  for (const t of threads) {
    const first = t.comments[0]!;
    const [thread] = await tx
      .insert(commentThreads)
      .values({
        documentId,
        anchorStart: t.anchorStart,
        anchorEnd: t.anchorEnd,
        quote: t.quote,
        createdBy: first.authorId,
        createdAt: new Date(first.date),
        ...(t.resolved ? { status: 'resolved' as const, resolvedBy: importerId, resolvedAt: new Date() } : {}),
      })
      .returning({ id: commentThreads.id });
    await tx.insert(comments).values(
      t.comments.map((c) => ({
        threadId: thread!.id,
        authorId: c.authorId,
        body: (c.matched ? c.body : `[${c.author || '?'}] ${c.body}`).slice(0, maxCommentChars),
        createdAt: new Date(c.date),
      })),
    );
  }
}

/** The warnings about tracked changes and comments, in the importing person's language. */
function wordWarnings(word: WordImport, locale: Locale): ImportWarning[] {
  const t = translator(locale);
  const out: ImportWarning[] = [];
  if (word.unmatchedAuthors.length)
    out.push({
      code: 'authors_unmatched',
      message: t('wordRoundTrip.import.authorsUnmatched', {
        authors: word.unmatchedAuthors.map((a) => t('wordRoundTrip.import.authorEntry', { ...a })).join('; '),
      }),
    });
  const counted = [
    ['comments_unanchored', 'commentsUnanchored', word.unanchoredComments],
    ['formatting_changes', 'formattingChanges', word.counts.formattingChanges],
    ['structural_changes', 'structuralChanges', word.counts.structuralChanges],
    ['nested_changes', 'nestedChanges', word.counts.nestedChanges],
    ['changes_unconvertible', 'unconvertible', word.unconvertible],
  ] as const;
  for (const [code, key, count] of counted)
    if (count) out.push({ code, message: t(`wordRoundTrip.import.${key}`, { count }) });
  return out;
}

export async function importDocx(
  deps: { db: Database; workers: ServerPool },
  userId: string,
  file: { name: string; bytes: Buffer },
  options: { title?: string; locale?: Locale } = {},
): Promise<ImportResult> {
  if (file.bytes.length > importLimits.maxFileBytes) {
    throw new AppError('too_large', 'The file is larger than 10 MB.', {
      details: { maxBytes: importLimits.maxFileBytes, maxMB: importLimits.maxFileBytes / 2 ** 20 },
    });
  }
  if ((file.name && !/\.docx$/i.test(file.name)) || !looksLikeZip(file.bytes)) throw notDocx();

  // Copied, not transferred, to the thread: at most 10 MB, and the caller keeps a usable Buffer.
  const people = await colleagues(deps.db, userId);
  const parsed = await deps.workers.run('parseDocx', {
    bytes: file.bytes,
    authors: { people, importerId: userId },
  });
  const { doc, report, inspection, images, word } = parsed;

  // What was left out, in the importing person's language (the same catalogue keys as the Word warnings below).
  const t = translator(options.locale ?? 'nl');
  const warnings: ImportWarning[] = [];
  const embedded = Math.max(0, images - inspection.remoteImages);
  if (embedded)
    warnings.push({ code: 'images_removed', message: t('importWarnings.imagesRemoved', { count: embedded }) });
  if (inspection.remoteImages)
    warnings.push({
      code: 'remote_images_removed',
      message: t('importWarnings.remoteImagesRemoved', { count: inspection.remoteImages }),
    });
  if (report.linksRemoved)
    warnings.push({ code: 'links_removed', message: t('importWarnings.linksRemoved', { count: report.linksRemoved }) });
  const scripts = [...inspection.scripts, ...(parsed.removedScripts ? ['scripts'] : [])];
  if (scripts.length)
    warnings.push({
      code: 'scripts_removed',
      message: t('importWarnings.scriptsRemoved', { what: scripts.join(', ') }),
    });
  warnings.push(...wordWarnings(word, options.locale ?? 'nl'));
  const converted = {
    suggestions: word.suggestions,
    threads: word.threads.length,
    replies: word.threads.reduce((n, t) => n + t.comments.length - 1, 0),
  };

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
    within: (tx, documentId) => insertThreads(tx, documentId, userId, word.threads),
    auditDetails: {
      source: 'docx',
      fileName: file.name.slice(0, 200),
      bytes: file.bytes.length,
      warnings: warnings.map((w) => w.code),
      converted,
    },
  });
  return { ...created, warnings, converted };
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
