/**
 * The one wiring style of the domain modules: each is a set of plain functions that take their dependencies first
 * (`changeStatus(deps, userId, documentId, to)`), and exports a factory `createX(deps)` that binds them, so the
 * server's service list is just `{ workflow: createWorkflow({ db, collab }), … }` and no signature is restated.
 */
type Bound<D, F> = {
  [K in keyof F]: F[K] extends (deps: D, ...args: infer A) => infer R ? (...args: A) => R : never;
};

/** Any function whose first parameter takes `deps`. */
type Fn<D> = (deps: D, ...args: any[]) => unknown;

export function bindDeps<D, F extends Record<string, Fn<D>>>(deps: D, fns: F): Bound<D, F> {
  return Object.fromEntries(
    Object.entries(fns).map(([name, fn]) => [name, (...args: unknown[]) => fn(deps, ...args)]),
  ) as Bound<D, F>;
}
