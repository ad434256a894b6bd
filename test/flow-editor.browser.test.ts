// The flow editor in a real browser (Debian's chromium, headless) against the
// real stack: an analyst builds a flow from an empty canvas, sees the problem
// an unconnected handle makes, fixes it and publishes; web chat conversations
// follow each published version (checked through the API); the simulator
// lights up the path; a rollback brings back the old behaviour. Screenshots
// land in test-results/screenshots/.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runFlowEditorScenario, type ExpectedConversation } from '../editor/e2e/flow-editor';
import { PROJECT_ROOT } from '../server/embedded';
import { api, startStack, type Stack } from './support/stack';

const ADMIN_TOKEN = `admin-${randomUUID()}`;

let stack: Stack;
beforeAll(async () => { stack = await startStack({ adminToken: ADMIN_TOKEN }); });
afterAll(async () => { await stack?.stop(); });

const asAdmin = (method: string, path: string, body?: unknown) => api(stack, method, `/api/v1${path}`, { body, token: ADMIN_TOKEN });

async function pointInbox(flowId: string) {
  const res = await asAdmin('PUT', '/inboxes/demo-webchat/flow', { flowId });
  expect(res, JSON.stringify(res.body)).toMatchObject({ status: 200, body: { id: 'demo-webchat', flowId } });
}

interface TimelineEntry {
  kind: 'message' | 'step';
  step?: { nodeId: string; nodeType: string; handle: string | null; rules?: { fired: string[] } };
}

/** A new visitor writes `text`; the conversation must pin the flow version, take the rules handle and wait in the queue. */
async function expectConversation(flowId: string, text: string, expected: ExpectedConversation) {
  const visitorId = `flow-e2e-${randomUUID()}`;
  const sent = await api(stack, 'POST', '/api/v1/webchat/demo-webchat/messages', { body: { visitorId, clientMessageId: randomUUID(), text } });
  expect(sent.status, JSON.stringify(sent.body)).toBe(202);
  const id: string = sent.body.conversationId;
  const deadline = Date.now() + 30_000;
  let seen: { status: number; body: any } | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any -- the API's JSON
  for (;;) {
    seen = await asAdmin('GET', `/conversations/${id}`);
    const timeline: TimelineEntry[] = seen.body?.timeline ?? [];
    const decided = timeline.some((e) => e.kind === 'step' && e.step?.nodeId === expected.rulesNodeId);
    if (seen.status === 200 && seen.body.status === 'queued' && decided) break;
    if (Date.now() > deadline) throw new Error(`conversation ${id} ("${text}") never got queued after its rules step; last seen: ${JSON.stringify(seen.body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const conversation = seen.body;
  expect(conversation).toMatchObject({ flowId, flowVersion: expected.flowVersion, status: 'queued', queue: expected.queue, inboxId: 'demo-webchat' });
  const steps = (conversation.timeline as TimelineEntry[]).flatMap((e) => (e.kind === 'step' && e.step ? [e.step] : []));
  const decision = steps.find((s) => s.nodeId === expected.rulesNodeId)!;
  expect(decision).toMatchObject({ nodeType: 'rules', handle: expected.handle });
  expect(decision.rules?.fired).toContain(expected.handle); // each rule's name is its handle here
}

it('lets an analyst build, check, publish, simulate and roll back a flow that web chat conversations follow', async () => {
  try {
    const { flowId } = await runFlowEditorScenario(
      stack.url, stack.logins['analyst-zhao'].token, { pointInbox, expectConversation }, join(PROJECT_ROOT, 'test-results', 'screenshots'),
    );
    const versions = await asAdmin('GET', `/flows/${flowId}/versions`);
    expect(versions.status).toBe(200);
    const byNumber = new Map((versions.body.versions as { version: number; rollbackOf: number | null; publishedBy: string | null }[]).map((v) => [v.version, v]));
    expect([...byNumber.keys()].sort()).toEqual([1, 2, 3]);
    expect(byNumber.get(3)).toMatchObject({ rollbackOf: 1, publishedBy: 'analyst-zhao' });
    expect(byNumber.get(1)).toMatchObject({ rollbackOf: null, publishedBy: 'analyst-zhao' });
    const diff = await asAdmin('GET', `/flows/${flowId}/diff?from=1&to=3`);
    expect(diff.status).toBe(200);
    expect(diff.body.diff.nodes).toMatchObject({ added: [], removed: [], changed: [] });
  } finally {
    await pointInbox('default');
  }
}, 180_000);
