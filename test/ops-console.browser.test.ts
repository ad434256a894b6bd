// The operations console in a real browser (Debian's chromium, headless)
// against the real stack: two web chat conversations wait in a queue past a
// 1 s SLA with nobody online; an agent is told the console needs the operator
// role; the operator finds both in the stuck list, opens one, replay-checks
// it, is refused a retry (nothing is failing), reroutes it to a flow step that
// apologizes and closes it, then bulk replay-checks the other. What the
// console did is then checked through the API and the database. Needs the
// built console (`npm run build`, as `npm test` does). Screenshots land in
// test-results/screenshots/.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runOpsConsoleScenario } from '../editor/e2e/ops-console';
import { PROJECT_ROOT } from '../server/embedded';
import type { AuditEntry, StuckList } from '../server/ops/types';
import { conversationWorkflowId } from '../workflows/messages';
import { waitFor } from './support/env';
import { api, startStack, type Stack } from './support/stack';
import { openWaitingInbox, SORRY } from './support/waiting-flow';

const ADMIN_TOKEN = `admin-${randomUUID()}`;
const INBOX = 'ops-console-web';
const WAITING_FLOW = 'ops-console-waiting';
let stack: Stack;
beforeAll(async () => {
  if (!existsSync(join(PROJECT_ROOT, 'editor', 'dist', 'index.html'))) throw new Error('the console is not built: run `npm run build` first');
  stack = await startStack({ adminToken: ADMIN_TOKEN });
  await openWaitingInbox(stack.store.models, WAITING_FLOW, INBOX);
});
afterAll(async () => { await stack?.stop(); });

/** A new web chat visitor writes; returns the conversation's workflow id and conversation id. */
async function visitorWaits(text: string) {
  const visitorId = `ops-ui-${randomUUID().slice(0, 8)}`;
  const res = await api(stack, 'POST', `/api/v1/webchat/${INBOX}/messages`, { body: { visitorId, clientMessageId: randomUUID(), text } });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return { workflowId: conversationWorkflowId(INBOX, visitorId), conversationId: res.body.conversationId as string };
}

it('lets an operator find stuck conversations, look into one, move it on and bulk-check another', async () => {
  const operator = stack.logins['ops-chen'].token;
  const rerouted = await visitorWaits('I need a person');
  const checked = await visitorWaits('anyone there?');
  // Both past their SLA before the browser opens (the console would refresh until they are, but slower).
  await waitFor('both listed past their SLA', async () => {
    const res = await api(stack, 'GET', `/api/v1/ops/stuck?reason=sla-breached&inbox=${INBOX}`, { token: operator });
    const ids = new Set((res.body as StuckList).items.map((i) => i.workflowId));
    return ids.has(rerouted.workflowId) && ids.has(checked.workflowId);
  }, 30_000);

  const outcome = await runOpsConsoleScenario(stack.url, {
    operatorToken: operator,
    agentToken: stack.logins['agent-lina'].token,
    stuck: { workflowId: rerouted.workflowId, reason: 'sla-breached' },
    retryRefusedWith: 'no step is failing now',
    rerouteToStep: 'sorry',
    bulkTarget: checked.workflowId,
  }, join(PROJECT_ROOT, 'test-results', 'screenshots'));

  expect(outcome).toMatchObject({
    replay: { summary: expect.stringMatching(/^compatible/), verdict: expect.stringContaining('兼容') },
    rerouteSummary: expect.stringContaining('rerouted to flow step sorry'),
    bulk: { planned: [expect.stringContaining(checked.workflowId)], total: 1, done: 1 },
  });

  // What the console did, as the API and the database saw it.
  const audit = async (workflowId: string) => {
    const res = await api(stack, 'GET', `/api/v1/ops/audit?workflowId=${encodeURIComponent(workflowId)}`, { token: operator });
    expect(res.status).toBe(200);
    return (res.body.entries as AuditEntry[]).map((e) => [e.action, e.ok, e.reason, e.actor.id]);
  };
  expect(await audit(rerouted.workflowId)).toEqual([
    ['reroute', true, 'e2e: nobody is online today', 'ops-chen'],
    ['retry', false, 'e2e: retry now', 'ops-chen'],
    ['replay-check', true, 'e2e: check the history against the deployed code', 'ops-chen'],
  ]);
  expect(await audit(checked.workflowId)).toEqual([['replay-check', true, 'e2e: bulk replay check', 'ops-chen']]);
  const outbound = async (conversationId: string) =>
    (await stack.store.models.Message.find({ conversationId, direction: 'out' }).sort({ storedAt: 1, _id: 1 }).lean()).map((x) => x.text);
  // Two wait in the same queue: this one is told it is next, or that one customer is ahead.
  expect(await outbound(rerouted.conversationId)).toEqual([
    'Connecting you to an agent, please wait.', expect.stringMatching(/^(You are next|There is 1 customer ahead of you); the wait cannot be estimated yet\.$/), SORRY.en,
  ]);
  expect((await stack.store.models.Conversation.findById(rerouted.conversationId).lean())?.status).toBe('closed');
  // The replay checks changed nothing: the other one still waits.
  expect((await stack.store.models.Conversation.findById(checked.conversationId).lean())?.status).toBe('queued');
}, 180_000);
