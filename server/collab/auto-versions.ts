import { describeError } from '../errors';
import type { CollabLog } from './config';
import type { CollabDocument } from './document';

/**
 * Automatic versions: after a pause in editing (`idleMs`), and at most `maxIntervalMs` apart while editing goes on,
 * a version is taken of a document whose text changed since its last version of any kind.
 */
export function createAutoVersions(options: {
  idleMs: number;
  maxIntervalMs: number;
  take?: (doc: CollabDocument) => Promise<void>;
  log: CollabLog;
}) {
  const timers = new Map<CollabDocument, { idle?: NodeJS.Timeout; max?: NodeJS.Timeout }>();

  function cancel(doc: CollabDocument) {
    const t = timers.get(doc);
    if (t?.idle) clearTimeout(t.idle);
    if (t?.max) clearTimeout(t.max);
    timers.delete(doc);
  }

  /** Takes the version now if one is due. Never rejects: a failed version is logged and editing goes on. */
  async function takeDue(doc: CollabDocument): Promise<void> {
    cancel(doc);
    if (!options.take || !doc.changedSinceVersion || doc.destroyed) return;
    try {
      await options.take(doc);
    } catch (err) {
      options.log('error', `automatic version of ${doc.id} failed`, describeError(err));
    }
  }

  /** From a timer: `takeDue` logs its own failures; anything else that escapes is logged here, never unhandled. */
  function later(doc: CollabDocument) {
    takeDue(doc).catch((err: unknown) =>
      options.log('error', `automatic version of ${doc.id} failed`, describeError(err)),
    );
  }

  return {
    /** Called for every accepted change. */
    changed(doc: CollabDocument) {
      if (!options.take) return;
      const t = timers.get(doc) ?? {};
      timers.set(doc, t);
      if (t.idle) clearTimeout(t.idle);
      t.idle = setTimeout(() => later(doc), options.idleMs);
      t.max ??= setTimeout(() => later(doc), options.maxIntervalMs);
    },
    takeDue,
    cancel,
  };
}

export type AutoVersions = ReturnType<typeof createAutoVersions>;
