// End to end over HTTP against the real stack: web chat visitor, agent, survey.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationWorkflowId } from '../workflows/messages';
import { waitFor } from './support/env';
import { openVisitorStream } from './support/sse';
import { api, startStack, type Stack } from './support/stack';

const ADMIN_TOKEN = 'test-admin-token-0123456789';
let stack: Stack;
beforeAll(async () => { stack = await startStack({ adminToken: ADMIN_TOKEN }); });
afterAll(async () => { await stack?.stop(); });

const inbox = 'demo-webchat';
const send = (visitorId: string, text: string, clientMessageId: string = randomUUID()) =>
  api(stack, 'POST', `/api/v1/webchat/${inbox}/messages`, { body: { visitorId, clientMessageId, text } });
const transcript = async (visitorId: string) =>
  ((await api(stack, 'GET', `/api/v1/webchat/${inbox}/visitors/${visitorId}/messages`)).body.messages as { author: string; text: string; kind: string }[]);
const lines = async (visitorId: string) => (await transcript(visitorId)).map((m) => `${m.author}: ${m.text}`);

const openStream = (visitorId: string) => openVisitorStream(stack.url, inbox, visitorId);

describe('web chat end to end', () => {
  it('shows the bot answer to the visitor, in the transcript and in real time', async () => {
    const visitor = randomUUID();
    const stream = openStream(visitor);
    try {
      const res = await send(visitor, 'How do I get a refund?');
      expect(res.status).toBe(202);
      expect(res.body.conversationId).toMatch(/^[0-9a-f-]{36}$/);
      await waitFor('bot reply in the stream', async () => stream.received.some((m) => m.author === 'bot'));
      expect(stream.received.map((m) => `${m.author}: ${m.text}`)).toEqual([
        'visitor: How do I get a refund?',
        'bot: You can return any item within 7 days of delivery; refunds reach your original payment method within 3 working days.',
      ]);
      expect(await lines(visitor)).toEqual(stream.received.map((m) => `${m.author}: ${m.text}`));
    } finally {
      await stream.close();
    }
  });

  it('queues on "人工"; the agent accepts, replies and closes; the rating is stored and shown', async () => {
    const visitor = randomUUID();
    const agent = stack.logins['agent-lina'];
    const stream = openStream(visitor);
    try {
      const { body: { conversationId } } = await send(visitor, '人工');
      const queued = await waitFor('queued', async () => {
        const c = (await api(stack, 'GET', `/api/v1/conversations/${conversationId}`, { token: agent.token })).body;
        return c.status === 'queued' && c;
      });
      expect(queued).toMatchObject({ queue: 'general', agentId: null, flowId: 'default', flowVersion: 1 });
      const waiting = (await api(stack, 'GET', '/api/v1/conversations?status=queued,assigned', { token: agent.token })).body.conversations;
      expect(waiting.map((c: { id: string }) => c.id)).toContain(conversationId);

      const accepted = await api(stack, 'POST', `/api/v1/conversations/${conversationId}/accept`, { token: agent.token });
      expect(accepted.status).toBe(200);
      expect(accepted.body).toMatchObject({ status: 'assigned', agentId: 'agent-lina' });
      // Taken: another agent is refused with a reason.
      const other = await api(stack, 'POST', `/api/v1/conversations/${conversationId}/accept`, { token: stack.logins['agent-wang'].token });
      expect(other).toMatchObject({ status: 409, body: { error: expect.stringMatching(/already accepted/) } });

      const reply = await api(stack, 'POST', `/api/v1/conversations/${conversationId}/messages`, { token: agent.token, body: { text: '您好，我是李娜，请问有什么可以帮您？' } });
      expect(reply.status).toBe(201);
      await waitFor('agent reply in the stream', async () => stream.received.some((m) => m.author === 'agent'));
      expect(await lines(visitor)).toEqual([
        'visitor: 人工', 'system: 正在为您转接人工客服，请稍候。', 'system: 下一位就是您，暂时无法预估等待时间。', 'agent: 您好，我是李娜，请问有什么可以帮您？',
      ]);

      const closed = await api(stack, 'POST', `/api/v1/conversations/${conversationId}/close`, { token: agent.token });
      expect(closed).toMatchObject({ status: 200, body: { status: 'survey' } });
      await waitFor('survey question', async () => (await transcript(visitor)).some((m) => m.kind === 'survey'));
      await send(visitor, '5');
      const rated = await waitFor('rating stored', async () => {
        const c = (await api(stack, 'GET', `/api/v1/conversations/${conversationId}`, { token: agent.token })).body;
        return c.status === 'closed' && c;
      });
      expect(rated).toMatchObject({ rating: 5, survey: { rating: 5, status: 'answered', agentId: 'agent-lina' } });
      expect(rated.messages.at(-1)).toMatchObject({ author: 'system', text: '感谢您的评价，再见！' });
      await waitFor('thanks in the stream', async () => stream.received.at(-1)?.text === '感谢您的评价，再见！');

      // Once it has ended, writing again opens a new conversation; the visitor's transcript spans both.
      const run = stack.client.workflow.getHandle(conversationWorkflowId(inbox, visitor));
      await waitFor('the conversation to end', async () => (await run.describe()).status.name !== 'RUNNING');
      const next = await send(visitor, '营业时间是几点？');
      expect(next.body.conversationId).not.toBe(conversationId);
      await waitFor('the new conversation answered', async () => (await transcript(visitor)).at(-1)?.author === 'bot');
      const all = await lines(visitor);
      expect([all[0], ...all.slice(-2)]).toEqual(['visitor: 人工', 'visitor: 营业时间是几点？', 'bot: 我们的在线客服时间是每天 9:00–21:00。']);
    } finally {
      await stream.close();
    }
  });

  it('gives a conversation to exactly one of two agents who accept it at the same moment', async () => {
    const { body: { conversationId } } = await send(randomUUID(), '人工');
    const [lina, wang] = [stack.logins['agent-lina'].token, stack.logins['agent-wang'].token];
    await waitFor('queued', async () => (await api(stack, 'GET', `/api/v1/conversations/${conversationId}`, { token: lina })).body.status === 'queued');
    const results = await Promise.all([lina, wang].map((token) => api(stack, 'POST', `/api/v1/conversations/${conversationId}/accept`, { token })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = results.find((r) => r.status === 200)!.body.agentId;
    const seats = await stack.store.models.Seat.find({ conversationId }).lean();
    expect(seats.map((s) => s.agentId)).toEqual([winner]);
  });

  it('rejects bad input with a 4xx naming what is wrong, and starts no conversation', async () => {
    const visitor = randomUUID();
    const post = (raw: string, path = `/api/v1/webchat/${inbox}/messages`, headers?: Record<string, string>) =>
      api(stack, 'POST', path, { raw, headers });
    const body = (extra: Record<string, unknown>) => JSON.stringify({ visitorId: visitor, clientMessageId: 'c1', text: 'hi', ...extra });
    const cases: [string, Awaited<ReturnType<typeof post>>, number, RegExp][] = [
      ['malformed JSON', await post('{"visitorId": '), 400, /malformed JSON/],
      ['unknown inbox', await post(body({}), '/api/v1/webchat/no-such-inbox/messages'), 404, /unknown web chat inbox/],
      ['missing field', await post(JSON.stringify({ visitorId: visitor, text: 'hi' })), 400, /missing field "clientMessageId"/],
      ['extra field', await post(body({ admin: true })), 400, /unknown field "admin"/],
      ['text over the limit', await post(body({ text: 'x'.repeat(4001) })), 400, /longer than 4000 characters/],
      ['empty text', await post(body({ text: '   ' })), 400, /text is empty/],
      ['wrong type', await post(body({ text: 42 })), 400, /must be string/],
      ['body over 1 MB', await post(body({ text: 'x'.repeat(1_100_000) })), 413, /larger than 1 MB/],
      ['not JSON', await post('text=hi', undefined, { 'content-type': 'application/x-www-form-urlencoded' }), 415, /JSON object body/],
      ['array body', await post('[1,2]'), 415, /JSON object body/],
      ['bad visitor id', await post(body({ visitorId: '../etc' })), 400, /pattern/],
    ];
    for (const [name, res, status, error] of cases) {
      expect({ name, status: res.status }).toEqual({ name, status });
      expect(res.body, name).toMatchObject({ error: expect.stringMatching(error) });
      expect(res.body, name).toHaveProperty('details');
    }
    await expect(stack.client.workflow.getHandle(conversationWorkflowId(inbox, visitor)).describe()).rejects.toThrow(/not found/i);
    expect(await transcript(visitor)).toEqual([]);
  });

  it('guards agent and admin endpoints with bearer tokens', async () => {
    expect(await api(stack, 'GET', '/api/v1/conversations')).toMatchObject({ status: 401, body: { error: expect.stringMatching(/bearer token/) } });
    expect(await api(stack, 'GET', '/api/v1/me', { token: 'hl_wrong' })).toMatchObject({ status: 401 });
    expect(await api(stack, 'GET', '/api/v1/inboxes', { token: stack.logins['agent-lina'].token })).toMatchObject({ status: 403 });
    const inboxes = await api(stack, 'GET', '/api/v1/inboxes', { token: ADMIN_TOKEN });
    expect(inboxes.status).toBe(200);
    expect(inboxes.body.inboxes).toContainEqual(expect.objectContaining({ id: 'demo-webchat', channel: 'webchat', flowId: 'default', flowVersion: 1 }));
    expect((await api(stack, 'GET', '/api/v1/inboxes', { token: stack.logins.admin.token })).status).toBe(200);
    const me = await api(stack, 'POST', '/api/v1/me/status', { token: stack.logins['agent-wang'].token, body: { status: 'busy' } });
    expect(me).toMatchObject({ status: 400, body: { error: expect.stringMatching(/must be equal to one of the allowed values/) } });
    expect(await api(stack, 'GET', '/api/v1/conversations/nope', { token: ADMIN_TOKEN })).toMatchObject({ status: 404 });
    expect(await api(stack, 'GET', '/api/v1/nothing-here')).toMatchObject({ status: 404, body: { error: expect.stringMatching(/no such endpoint/) } });
  });

  it('reports health, readiness and the OpenAPI document built from the request schemas', async () => {
    expect(await api(stack, 'GET', '/healthz')).toMatchObject({ status: 200 });
    expect(await api(stack, 'GET', '/readyz')).toMatchObject({ status: 200, body: { details: { temporal: 'ok', mongodb: 'ok', worker: 'ok' } } });
    const doc = (await api(stack, 'GET', '/api/v1/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.schemas.WebchatMessageRequest.required).toEqual(['visitorId', 'clientMessageId']); // text, or media with an optional caption
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/webchat/{inboxId}/messages', '/api/v1/conversations/{id}/accept', '/readyz']));
  });
});

describe('readiness without a worker', () => {
  it('answers 503 naming the worker as down', async () => {
    const bare = await startStack({ worker: false });
    try {
      const res = await api(bare, 'GET', '/readyz');
      expect(res).toMatchObject({ status: 503, body: { error: 'not ready: worker unavailable', details: { temporal: 'ok', mongodb: 'ok' } } });
      expect(res.body.details.worker).toMatch(/no worker is polling/);
    } finally {
      await bare.stop();
    }
  });
});
