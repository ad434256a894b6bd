// The first screen in a real browser (Debian's chromium, headless) against the
// real stack: a visitor asks for a person, an agent accepts, replies and
// closes, the visitor rates; a message with choices shows them as buttons on
// a phone. Screenshots land in test-results/screenshots/.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, it } from 'vitest';
import { messageActivities, messageStore } from '../activities/messages';
import { runChoicesScenario, runFirstScreenScenario } from '../editor/e2e/first-screen';
import { PROJECT_ROOT } from '../server/embedded';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
beforeAll(async () => { stack = await startStack(); });
afterAll(async () => { await stack?.stop(); });

it('lets a visitor reach an agent and rate them, from the page at /', async () => {
  await runFirstScreenScenario(stack.url, stack.logins['agent-lina'].token, join(PROJECT_ROOT, 'test-results', 'screenshots'));
}, 120_000);

it('shows a message\'s choices as buttons a visitor on a phone can pick', async () => {
  // Stored the way the workflow stores an outbound message; the visitor's stream replays it on connect.
  const { models } = stack.store;
  const send = messageActivities(models, messageStore(models, () => {})).sendMessage;
  const visitorId = `v-${randomUUID()}`;
  const choices = ['非常不满意', '不满意', '一般', '满意', '非常满意'].map((label, i) => ({ id: String(i + 1), label: `${i + 1} ${label}` }));
  await send({
    conversationId: `choices-${visitorId}`, inboxId: 'demo-webchat', channel: 'webchat', visitorId, messageId: `choices-${visitorId}:1`,
    author: 'system', kind: 'survey', text: '请为本次服务打分（1–5）：5 非常满意 … 1 非常不满意', choices, at: Date.now(),
  });
  await runChoicesScenario(stack.url, visitorId, choices[3]!, join(PROJECT_ROOT, 'test-results', 'screenshots'));
}, 120_000);
