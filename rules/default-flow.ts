// The flow every new installation starts with: the bot tries first, a visitor
// who asks for a person (or whom the bot could not help) is queued for an
// agent, and after the agent closes the visitor is asked for a rating.
import { FLOW_SCHEMA_VERSION, type FlowDefinition } from './flow';

export const HANDOFF_PHRASES = ['人工', '转人工', '真人', '客服', 'human', 'agent', 'operator'];

export const defaultFlow: FlowDefinition = {
  schemaVersion: FLOW_SCHEMA_VERSION,
  nodes: [
    { id: 'start', type: 'start', typeVersion: 1, position: { x: 0, y: 0 }, parameters: {} },
    { id: 'normalize', type: 'normalize', typeVersion: 1, position: { x: 220, y: 0 }, parameters: {} },
    { id: 'bot', type: 'bot', typeVersion: 1, position: { x: 440, y: 0 }, parameters: { faqSet: 'default', minConfidence: 0.5 } },
    {
      id: 'route', type: 'rules', typeVersion: 1, position: { x: 660, y: 0 },
      parameters: {
        rules: [
          {
            name: 'asks-for-agent', priority: 10,
            conditions: { all: [{ fact: 'message', path: '$.text', operator: 'containsAny', value: HANDOFF_PHRASES }] },
            event: { type: 'queue' },
          },
          {
            name: 'bot-could-not-answer', priority: 5,
            conditions: { all: [{ fact: 'bot', path: '$.answered', operator: 'equal', value: false }] },
            event: { type: 'queue' },
          },
        ],
        defaultHandle: 'end',
      },
    },
    { id: 'idle', type: 'wait', typeVersion: 1, position: { x: 880, y: 120 }, parameters: { timeoutSeconds: 600 } },
    {
      id: 'queue', type: 'queue', typeVersion: 1, position: { x: 880, y: -120 },
      parameters: { queue: 'general', priority: 0, slaSeconds: 60, escalationQueue: 'escalation', escalationPriority: 10, assignRetrySeconds: 5 },
    },
    { id: 'survey', type: 'survey', typeVersion: 1, position: { x: 1100, y: -120 }, parameters: { timeoutSeconds: 300 } },
    { id: 'close', type: 'close', typeVersion: 1, position: { x: 1320, y: 0 }, parameters: {} },
  ],
  edges: [
    { id: 'e1', from: { nodeId: 'start', handle: 'next' }, to: { nodeId: 'normalize' } },
    { id: 'e2', from: { nodeId: 'normalize', handle: 'next' }, to: { nodeId: 'bot' } },
    { id: 'e3', from: { nodeId: 'bot', handle: 'next' }, to: { nodeId: 'route' } },
    { id: 'e4', from: { nodeId: 'route', handle: 'queue' }, to: { nodeId: 'queue' } },
    { id: 'e5', from: { nodeId: 'route', handle: 'end' }, to: { nodeId: 'idle' } },
    { id: 'e6', from: { nodeId: 'idle', handle: 'message' }, to: { nodeId: 'normalize' } },
    { id: 'e7', from: { nodeId: 'idle', handle: 'timeout' }, to: { nodeId: 'close' } },
    { id: 'e8', from: { nodeId: 'queue', handle: 'closed' }, to: { nodeId: 'survey' } },
    { id: 'e9', from: { nodeId: 'survey', handle: 'next' }, to: { nodeId: 'close' } },
  ],
};
