import { describe, expect, it } from 'vitest';
import { defaultFlow } from '../../../rules/default-flow';
import type { SimulationResult } from './api';
import { parseAttributes, simulationRequest, takenEdges } from './simulation';

describe('parseAttributes', () => {
  it('reads a JSON object or key: value lines, with JSON values where they parse', () => {
    expect(parseAttributes('{"vip": true}')).toEqual({ vip: true });
    expect(parseAttributes('vip: true\ntier = gold\nspent: 120')).toEqual({ vip: true, tier: 'gold', spent: 120 });
    expect(parseAttributes('  ')).toEqual({});
  });

  it('refuses a line without a key and JSON that is not an object', () => {
    expect(() => parseAttributes('just words')).toThrow(/key: value/);
    expect(() => parseAttributes('{"a": 1')).toThrow();
  });
});

describe('simulationRequest', () => {
  it('leaves out what is empty and sends the time as ISO', () => {
    expect(simulationRequest({ text: 'hi', channel: 'webchat', contact: '', clock: '' })).toEqual({ message: { text: 'hi' }, channel: 'webchat' });
    expect(simulationRequest({ text: 'hi', channel: 'webchat', contact: 'vip: true', clock: '2026-01-02T03:04' }).clock).toBe(new Date('2026-01-02T03:04').toISOString());
  });
});

describe('takenEdges', () => {
  it('names the edges from each step’s handle to the next step', () => {
    const result: SimulationResult = {
      path: [{ nodeId: 'start', type: 'start', handle: 'next' }, { nodeId: 'normalize', type: 'normalize', handle: 'next' }, { nodeId: 'bot', type: 'bot' }],
      facts: {}, replies: [], stoppedAt: { reason: 'waiting' },
    };
    expect([...takenEdges(defaultFlow, result)]).toEqual(['e1', 'e2']);
  });
});
