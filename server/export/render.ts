import * as Y from 'yjs';
import { jsonFromYDoc, type PMNode } from '../content/prosemirror';
import { acceptedJSON } from '../../common/suggestions';
import { renderDocx } from './docx';
import type { ExportFormat } from './formats';
import { renderHtml } from './html';
import { assertExportable } from './limits';
import { renderMarkdown } from './markdown';
import { buildRenderModel, type Signature } from './model';
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
}

function contentOf(source: RenderRequest['source']): PMNode {
  if (source.kind === 'json') return source.doc;
  const ydoc = new Y.Doc({ gc: true });
  try {
    // Applying the same update twice is harmless in Yjs: see readStoredUpdates for why the log may overlap the snapshot.
    ydoc.transact(() => {
      for (const update of source.updates) Y.applyUpdate(ydoc, update);
    });
    return jsonFromYDoc(ydoc);
  } finally {
    ydoc.destroy();
  }
}

export async function renderExport(request: RenderRequest): Promise<Uint8Array> {
  // Exports show the accepted text: open suggestions are rejected in the copy that is rendered.
  const model = buildRenderModel(acceptedJSON(contentOf(request.source)), {
    title: request.title,
    signature: request.signature,
  });
  assertExportable(model);
  switch (request.format) {
    case 'pdf':
      return renderPdf(model);
    case 'docx':
      return renderDocx(model);
    case 'html':
      return Buffer.from(renderHtml(model), 'utf8');
    case 'md':
      return Buffer.from(renderMarkdown(model), 'utf8');
  }
}
