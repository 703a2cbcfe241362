import { describe, expect, it } from 'vitest';
import {
  clientCapabilities,
  isCustomMessage,
  jsonMessage,
  messageType,
  syncUpdateMessage,
} from '../../common/protocol';

describe('the client capability announcement', () => {
  it('a Stukwerk client announces on the query of its WebSocket URL; anything else is a stock client', () => {
    expect(clientCapabilities('/collab/0b6c1d2e-0000-4000-8000-000000000000?client=stukwerk&v=1')).toEqual({
      customMessages: true,
    });
    expect(clientCapabilities('/collab/x?v=2&client=stukwerk')).toEqual({ customMessages: true });
    for (const url of [
      '/collab/x',
      '/collab/x?client=stukwerk',
      '/collab/x?client=stukwerk&v=0',
      '/collab/x?client=other&v=1',
      '/collab/x?client=stukwerk&v=abc',
      undefined,
    ]) {
      expect(clientCapabilities(url)).toEqual({ customMessages: false });
    }
  });

  it('session and comment frames count as Stukwerk’s own, sync frames do not', () => {
    expect(isCustomMessage(jsonMessage(messageType.session, {}))).toBe(true);
    expect(isCustomMessage(jsonMessage(messageType.comments, {}))).toBe(true);
    expect(isCustomMessage(syncUpdateMessage(new Uint8Array([0, 0])))).toBe(false);
    expect(isCustomMessage(new Uint8Array())).toBe(false);
  });
});
