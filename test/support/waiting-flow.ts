// A flow whose conversations wait for an agent with a 1 s SLA: with nobody
// online they are soon stuck (sla-breached), and an operator may send them
// on to the `sorry` step. Shared by the ops tests.
import type { Models } from '../../activities/store';
import { FLOW_SCHEMA_VERSION, type FlowDefinition, type FlowNode } from '../../rules/flow';

export const SORRY = { zh: '抱歉久等，我们会尽快回复您。', en: 'Sorry for the wait; we will get back to you soon.' };

const node = (id: string, type: string, parameters: Record<string, unknown> = {}, typeVersion = 1): FlowNode =>
  ({ id, type, typeVersion, position: { x: 0, y: 0 }, parameters });

export const waitingFlow: FlowDefinition = {
  schemaVersion: FLOW_SCHEMA_VERSION,
  nodes: [
    node('start', 'start'), node('normalize', 'normalize'), node('wait-agent', 'queue', { queue: 'general', slaSeconds: 1 }, 2),
    node('sorry', 'reply', { text: SORRY }), node('close', 'close'),
  ],
  edges: [['start', 'next', 'normalize'], ['normalize', 'next', 'wait-agent'], ['wait-agent', 'closed', 'close'], ['sorry', 'next', 'close']]
    .map(([from, handle, to], i) => ({ id: `e${i}`, from: { nodeId: from, handle }, to: { nodeId: to } })),
};

/** Publishes the waiting flow as `flowId` v1 and opens a web chat inbox on it. */
export async function openWaitingInbox(m: Models, flowId: string, inboxId: string): Promise<void> {
  await m.FlowVersion.create({ _id: `${flowId}@1`, flowId, version: 1, definition: waitingFlow, publishedBy: 'test', message: 'v1' });
  await m.Flow.create({ _id: flowId, name: flowId, publishedVersion: 1 });
  await m.Inbox.create({ _id: inboxId, name: inboxId, channel: 'webchat', flowId });
}
