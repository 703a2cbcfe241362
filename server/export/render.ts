import * as Y from 'yjs';
import { anchorSegmenter } from '../comments/anchors';
import { jsonFromYDoc, type PMNode } from '../content/prosemirror';
import { renderDocx, type WordAnnotations, type WordThread } from './docx';
import type { ExportFormat } from './formats';
import { renderHtml } from './html';
import { assertExportable } from './limits';
import { renderMarkdown } from './markdown';
import { buildRenderModel, commentMarkPrefix, type AttachmentLine, type Block, type Signature } from './model';
import { renderPdf } from './pdf';

/**
 * The CPU-heavy half of an export, run in a worker thread (server/workers/tasks.ts): from stored content to the
 * file's bytes. Its input is plain data read by the main thread: the Yjs updates of a live document (snapshot
 * and log, applied here, as collab/persistence.ts's loadDocument does) or the ProseMirror JSON of a signed
 * version. The size cap is checked on the render model, before any layout starts.
 */
export interface RenderRequest {
  format: ExportFormat;
  source: { kind: 'updates'; updates: Uint8Array[] } | { kind: 'json'; doc: PMNode };
  title: string;
  signature?: Signature;
  /** Built by the main thread from the database (server/export/responses.ts). */
  appendix?: Block[];
  /**
   * A Word file with suggestions as tracked changes and the comment threads as Word comments (format docx only).
   * Each thread's anchor (Yjs relative positions) is resolved here, on the same state as the text.
   */
  tracked?: Omit<WordAnnotations, 'threads'> & {
    threads: (WordThread & { anchorStart: Uint8Array; anchorEnd: Uint8Array })[];
  };
  /** Listed under Bijlage(n): a signed version's frozen list, else the document's attachments now. */
  attachments?: AttachmentLine[];
}

function contentOf(source: RenderRequest['source'], threads: NonNullable<RenderRequest['tracked']>['threads']): PMNode {
  if (source.kind === 'json') return source.doc;
  const ydoc = new Y.Doc({ gc: true });
  try {
    // Applying the same update twice is harmless in Yjs: see readStoredUpdates for why the log may overlap the snapshot.
    ydoc.transact(() => {
      for (const update of source.updates) Y.applyUpdate(ydoc, update);
    });
    if (threads.length) {
      // Each thread's passage gets a mark of its own in this throwaway copy, so the walk into the render model
      // (server/export/model.ts) sees which spans it covers, across paragraphs and whatever else marks them.
      const segmentsOf = anchorSegmenter(ydoc);
      const marked = threads.map((t) => segmentsOf(t.anchorStart, t.anchorEnd));
      ydoc.transact(() =>
        marked.forEach((segments, i) =>
          segments?.forEach((s) => s.text.format(s.from, s.to - s.from, { [`${commentMarkPrefix}${i}`]: {} })),
        ),
      );
    }
    return jsonFromYDoc(ydoc);
  } finally {
    ydoc.destroy();
  }
}

export async function renderExport(request: RenderRequest): Promise<Uint8Array> {
  const tracked = request.format === 'docx' ? request.tracked : undefined;
  const model = {
    ...buildRenderModel(contentOf(request.source, tracked?.threads ?? []), {
      title: request.title,
      signature: request.signature,
      suggestions: tracked ? 'tracked' : 'accepted',
      attachments: request.attachments,
    }),
    appendix: request.appendix,
  };
  assertExportable(model);
  switch (request.format) {
    case 'pdf':
      return renderPdf(model);
    case 'docx':
      return renderDocx(model, tracked);
    case 'html':
      return Buffer.from(renderHtml(model), 'utf8');
    case 'md':
      return Buffer.from(renderMarkdown(model), 'utf8');
  }
}
