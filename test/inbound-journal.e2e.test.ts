// The inbound journal (server/inbound-journal.ts) against the real stack: what
// a server kept but never handed over (it crashed) is taken over by another.
// Keeping messages while Temporal is down, in order: test/temporal-down.test.ts.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { conversationWorkflowId } from '../workflows/messages';
import { waitFor } from './support/env';
import { api, startStack, type Stack } from './support/stack';

let stack: Stack;
beforeAll(async () => { stack = await startStack(); }, 120_000);
afterAll(async () => { await stack?.stop(); });

const SEND = '/api/v1/webchat/demo-webchat/messages';

async function visitorMessages(visitorId: string): Promise<{ author: string; text: string; clientMessageId?: string }[]> {
  const res = await api(stack, 'GET', `/api/v1/webchat/demo-webchat/visitors/${visitorId}/messages`);
  return (res.body.messages as { author: string; text: string; clientMessageId?: string }[]).filter((m) => m.author === 'visitor');
}

it('delivers, once, a message a crashed server accepted but never handed over', async () => {
  // What a server that died right after acknowledging leaves behind: its journal entry, its heartbeat gone.
  const message = { providerMessageId: 'orphan:c1', clientMessageId: 'c1', text: '运费多少', receivedAt: Date.now() - 60_000 };
  await stack.store.models.InboundJournal.create({
    _id: 'orphan-entry', workflowId: conversationWorkflowId('demo-webchat', 'orphan'), inboxId: 'demo-webchat', channel: 'webchat',
    visitorId: 'orphan', message, acceptedAt: new Date(Date.now() - 60_000), acceptedBy: 'a-server-that-crashed',
  });
  await stack.store.models.InboundJournalOwner.create({ _id: 'a-server-that-crashed', since: new Date(Date.now() - 120_000) });
  // The sweep runs every 10 s.
  const own = await waitFor('the orphaned message', async () => {
    const messages = await visitorMessages('orphan');
    return messages.length > 0 ? messages : undefined;
  }, 40_000);
  expect(own.map((m) => m.text)).toEqual(['运费多少']);
  await waitFor('the journal emptied', async () => (await stack.store.models.InboundJournal.countDocuments({ _id: 'orphan-entry' })) === 0);
  expect(await stack.store.models.InboundJournalOwner.countDocuments({ _id: 'a-server-that-crashed' })).toBe(0);
  // The visitor's own retry of it (same client message id) adds nothing.
  expect((await api(stack, 'POST', SEND, { body: { visitorId: 'orphan', clientMessageId: 'c1', text: '运费多少' } })).status).toBe(202);
  await new Promise((r) => setTimeout(r, 1000));
  expect((await visitorMessages('orphan')).length).toBe(1);
}, 90_000);
