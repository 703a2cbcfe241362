import { renderExport } from '../export/render';
import { parseDocx } from '../import/parse';
import { renderAgenda } from '../meetings/agenda-pdf';

/**
 * The server's tasks for its worker pool, loaded in each worker thread (server/workers/thread.mjs) and never on
 * the main thread: the main thread only imports the type, so pdfkit, docx and mammoth load in the threads alone.
 */
export const tasks = { renderExport, parseDocx, renderAgenda };
export type ServerTasks = typeof tasks;
