import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * Awareness updates are `varUint(n)` then n × `varUint(clientID) varUint(clock) varString(JSON state | "null")`.
 * A client may only speak for the awareness client ids it claimed first, and its `user` field is replaced by
 * what the server knows (name, colour, organisation), so nobody can pose as someone else.
 */
export interface KnownUser {
  id: string;
  name: string;
  organisation: string | null;
  color: string;
}

/** A stable colour per person, so their caret looks the same in every session (common: suggestions use it too). */
export { colorFor } from '../../common/person-color';

export function sanitizeAwarenessUpdate(
  update: Uint8Array,
  user: KnownUser,
  mayUse: (clientId: number) => boolean,
  maxStateBytes: number,
): { update: Uint8Array; clientIds: number[] } {
  const decoder = decoding.createDecoder(update);
  const encoder = encoding.createEncoder();
  const entries: { clientId: number; clock: number; state: string }[] = [];
  const count = decoding.readVarUint(decoder);
  if (count > 64) throw new Error(`awareness update with ${count} states`);
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const raw = decoding.readVarString(decoder);
    if (!mayUse(clientId)) continue;
    if (raw.length > maxStateBytes) throw new Error(`awareness state of ${raw.length} bytes`);
    const parsed: unknown = JSON.parse(raw);
    let state = 'null';
    if (parsed !== null) {
      if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('awareness state is not an object');
      state = JSON.stringify({
        ...parsed,
        user: { id: user.id, name: user.name, organisation: user.organisation, color: user.color },
      });
    }
    entries.push({ clientId, clock, state });
  }
  encoding.writeVarUint(encoder, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(encoder, e.clientId);
    encoding.writeVarUint(encoder, e.clock);
    encoding.writeVarString(encoder, e.state);
  }
  return { update: encoding.toUint8Array(encoder), clientIds: entries.map((e) => e.clientId) };
}
