import { createWorkerPool, type WorkerPool, type WorkerPoolConfig } from './pool';
import type { ServerTasks } from './tasks';

/** The server's one worker pool, running the tasks of server/workers/tasks.ts (created by app-server.ts). */
export type ServerPool = WorkerPool<ServerTasks>;

export const createServerPool = (config: Partial<WorkerPoolConfig> = {}): ServerPool =>
  createWorkerPool<ServerTasks>(new URL('./tasks.ts', import.meta.url), config);
