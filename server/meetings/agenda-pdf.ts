import type { Block, RenderModel } from '../export/model';
import { renderPdf } from '../export/pdf';

/**
 * The agenda of a meeting as a PDF, in the house style of the voorstel exports (server/export/pdf.ts): run in a
 * worker thread (server/workers/tasks.ts). The main thread passes already translated text, so the thread needs
 * no catalogue and no database.
 */
export interface AgendaRequest {
  heading: string;
  subheading: string;
  /** Label/value lines under the heading: date, location. */
  details: { label: string; value: string }[];
  /** Column labels and one row per item. */
  columns: [string, string, string, string];
  rows: [string, string, string, string][];
  empty: string;
}

const cell = (text: string, header = false) => ({
  header,
  colspan: 1,
  rowspan: 1,
  blocks: [{ kind: 'paragraph', inlines: [{ text, bold: header }] } as Block],
});

export async function renderAgenda(request: AgendaRequest): Promise<Uint8Array> {
  const body: Block[] = request.rows.length
    ? [
        {
          kind: 'table',
          rows: [request.columns.map((c) => cell(c, true)), ...request.rows.map((r) => r.map((c) => cell(c)))],
        },
      ]
    : [{ kind: 'paragraph', inlines: [{ text: request.empty }] }];
  const model: RenderModel = {
    title: request.heading,
    heading: { title: request.heading, subtitle: request.subheading },
    metadata: request.details.map((d) => ({
      key: d.label,
      label: d.label,
      value: d.value,
      inlines: [{ text: d.value }],
    })),
    body,
    closing: [],
  };
  return renderPdf(model);
}
