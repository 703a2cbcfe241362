import { renderExport } from '../export/render';
import { parseDocx } from '../import/parse';

/**
 * The server's tasks for its worker pool, loaded in each worker thread (server/workers/thread.mjs) and never on
 * the main thread: the main thread only imports the type, so pdfkit, docx and mammoth load in the threads alone.
 */
export const tasks = { renderExport, parseDocx };
export type ServerTasks = typeof tasks;
