import type { Services } from './services';

/**
 * Next.js bundles `app/` apart from `server/main.ts`; pages and route handlers reach the process's one instance of
 * the services through this registry (a well-known symbol on globalThis), set by the server at start. This module
 * imports nothing at run time, so the bundle gets no second copy of the database or the collaboration server.
 */
const registryKey = Symbol.for('stukwerk.services');
type Registry = { [registryKey]?: Services };

export function registerServices(s: Services | undefined): void {
  (globalThis as Registry)[registryKey] = s;
}

export function services(): Services {
  const s = (globalThis as Registry)[registryKey];
  if (!s) throw new Error('Stukwerk services are not registered: start the app with server/main.ts');
  return s;
}
