// The mobile app channel end to end against the real stack: an app inbox
// created through the API, messages with its API key, verified users across
// devices, the app's stream while it is open, and signed pushes to a local
// HTTP server standing in for the app's backend while it is closed.
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationWorkflowId } from '../workflows/messages';
import { waitFor } from './support/env';
import { sseFrames } from './support/sse';
import { api, startStack, type Stack } from './support/stack';

const ADMIN_TOKEN = 'test-admin-token-0123456789';
const HOURS_ANSWER = '我们的在线客服时间是每天 9:00–21:00。';
const SHIPPING_ANSWER = '订单满 99 元包邮，一般 48 小时内发货。';
const REFUND_ANSWER = 'You can return any item within 7 days of delivery; refunds reach your original payment method within 3 working days.';

interface Push { path: string; headers: IncomingHttpHeaders; raw: string; body: Record<string, unknown> }
interface App { id: string; apiKey: string; identitySecret: string; pushSecret: string }

let stack: Stack;
let receiver: Server;
let pushBase: string;
const pushes: Push[] = [];
/** Statuses the receiver answers for a visitor's next pushes (200 otherwise). */
const answers = new Map<string, number[]>();
let shop: App;
let other: App;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => { raw += c.toString('utf8'); });
    req.on('end', () => {
      const body = JSON.parse(raw) as Record<string, unknown>;
      pushes.push({ path: req.url ?? '', headers: req.headers, raw, body });
      res.writeHead(answers.get(String(body.visitorId))?.shift() ?? 200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  pushBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  stack = await startStack({ adminToken: ADMIN_TOKEN });
  shop = await createApp({ name: '商城 App', settings: { pushUrl: `${pushBase}/push/shop` } });
  other = await createApp({ name: 'Other app', settings: { pushUrl: `${pushBase}/push/other` } });
});
afterAll(async () => {
  await stack?.stop();
  receiver?.closeAllConnections();
  await new Promise((r) => receiver?.close(r));
});

async function createApp(body: Record<string, unknown>): Promise<App> {
  const res = await api(stack, 'POST', '/api/v1/inboxes', { token: ADMIN_TOKEN, body: { channel: 'app', ...body } });
  expect(res.status).toBe(201);
  return { id: res.body.id, ...res.body.secrets };
}

const sign = (app: App, userId: string) => createHmac('sha256', app.identitySecret).update(userId).digest('hex');
const send = (app: App, body: Record<string, unknown>, headers: Record<string, string> = { authorization: `Bearer ${app.apiKey}` }) =>
  api(stack, 'POST', '/api/v1/app/messages', { body: { clientMessageId: randomUUID(), ...body }, headers });
const read = (app: App, visitorId: string, headers: Record<string, string> = {}) =>
  api(stack, 'GET', `/api/v1/app/conversations/${encodeURIComponent(visitorId)}/messages`, { headers: { 'x-api-key': app.apiKey, ...headers } });
const lines = async (app: App, visitorId: string, headers?: Record<string, string>) =>
  ((await read(app, visitorId, headers)).body.messages as { author: string; text: string }[]).map((m) => `${m.author}: ${m.text}`);
const pushesTo = (visitorId: string) => pushes.filter((p) => p.body.visitorId === visitorId);
const stored = (app: App, visitorId: string) => stack.store.models.Message.find({ inboxId: app.id, visitorId }).lean();

/** The app's stream, read as a mobile SSE client would (with its key in a header). */
function openAppStream(app: App, visitorId: string, headers: Record<string, string> = {}) {
  const received: { id: string; author: string; text: string }[] = [];
  const controller = new AbortController();
  let status = 0;
  const opened = (async () => {
    const res = await fetch(`${stack.url}/api/v1/app/conversations/${encodeURIComponent(visitorId)}/stream`, {
      headers: { authorization: `Bearer ${app.apiKey}`, ...headers }, signal: controller.signal,
    });
    status = res.status;
    return res;
  })();
  const done = (async () => {
    const res = await opened;
    if (res.status !== 200) return;
    for await (const frame of sseFrames(res.body!)) if (frame.data !== undefined) received.push(JSON.parse(frame.data));
  })().catch(() => undefined);
  return { received, open: opened.then(() => status), close: async () => { controller.abort(); await done; } };
}

describe('app inboxes (admin)', () => {
  it('creating one returns the API key, identity secret and push secret once; they are stored sealed and hashed, never listed', async () => {
    const res = await api(stack, 'POST', '/api/v1/inboxes', { token: ADMIN_TOKEN, body: { name: 'Shop', channel: 'app', settings: { pushUrl: `${pushBase}/x` } } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      channel: 'app', flowId: 'default', flowVersion: 1, apiUrl: `${stack.config.publicUrl}/api/v1/app`, settings: { pushUrl: `${pushBase}/x` },
      secrets: { apiKey: expect.stringMatching(/^hlapp_app-[0-9a-f]{8}\.[A-Za-z0-9_-]{43}$/), identitySecret: expect.stringMatching(/^[0-9a-f]{64}$/), pushSecret: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    const secrets = Object.values(res.body.secrets as Record<string, string>);
    const doc = JSON.stringify(await stack.store.models.Inbox.findById(res.body.id).lean());
    for (const secret of secrets) expect(doc).not.toContain(secret);
    const listed = await api(stack, 'GET', '/api/v1/inboxes', { token: ADMIN_TOKEN });
    const app = (listed.body.inboxes as { id: string }[]).find((i) => i.id === res.body.id);
    expect(app).toEqual({ id: res.body.id, name: 'Shop', channel: 'app', flowId: 'default', flowVersion: 1, apiUrl: `${stack.config.publicUrl}/api/v1/app`, settings: { pushUrl: `${pushBase}/x` } });
    for (const secret of secrets) expect(JSON.stringify(listed.body)).not.toContain(secret);
  });

  it('changes the push URL, rotates secrets, and refuses bad input and other channels with a 4xx', async () => {
    const app = await createApp({ name: 'Rotating' });
    const changed = await api(stack, 'PATCH', `/api/v1/inboxes/${app.id}/settings`, { token: ADMIN_TOKEN, body: { pushUrl: `${pushBase}/new` } });
    expect(changed).toMatchObject({ status: 200, body: { id: app.id, settings: { pushUrl: `${pushBase}/new` } } });
    const cleared = await api(stack, 'PATCH', `/api/v1/inboxes/${app.id}/settings`, { token: ADMIN_TOKEN, body: { pushUrl: null } });
    expect(cleared.body.settings).toEqual({ pushUrl: null });

    expect((await send(app, { deviceId: 'd-rot', text: 'hi' })).status).toBe(202);
    const rotated = await api(stack, 'POST', `/api/v1/inboxes/${app.id}/secrets`, { token: ADMIN_TOKEN, body: { rotate: ['apiKey'] } });
    expect(rotated.status).toBe(200);
    expect(Object.keys(rotated.body.secrets)).toEqual(['apiKey']);
    const fresh = { ...app, apiKey: rotated.body.secrets.apiKey as string };
    expect((await send(fresh, { deviceId: 'd-rot', text: 'hi again' })).status).toBe(202);
    // Servers cache an inbox for up to 5 s: then the old key is refused everywhere.
    await waitFor('the old key refused', async () => (await send(app, { deviceId: 'd-rot', text: 'old' })).status === 401, 10_000);

    const cases: [string, Awaited<ReturnType<typeof api>>, number, RegExp][] = [
      ['credentials on an app', await api(stack, 'POST', '/api/v1/inboxes', { token: ADMIN_TOKEN, body: { name: 'x', channel: 'app', credentials: { a: 1 } } }), 400, /unknown field "credentials"/],
      ['bad push URL', await api(stack, 'POST', '/api/v1/inboxes', { token: ADMIN_TOKEN, body: { name: 'x', channel: 'app', settings: { pushUrl: 'javascript:alert(1)' } } }), 400, /pushUrl/],
      ['taken id', await api(stack, 'POST', '/api/v1/inboxes', { token: ADMIN_TOKEN, body: { id: app.id, name: 'x', channel: 'app' } }), 409, /exists already/],
      ['web chat settings', await api(stack, 'PATCH', '/api/v1/inboxes/demo-webchat/settings', { token: ADMIN_TOKEN, body: { pushUrl: null } }), 422, /only app inboxes/],
      ['unknown inbox', await api(stack, 'POST', '/api/v1/inboxes/nope/secrets', { token: ADMIN_TOKEN, body: { rotate: ['pushSecret'] } }), 404, /no inbox/],
      ['unknown secret', await api(stack, 'POST', `/api/v1/inboxes/${app.id}/secrets`, { token: ADMIN_TOKEN, body: { rotate: ['token'] } }), 400, /allowed values/],
      ['not an admin', await api(stack, 'PATCH', `/api/v1/inboxes/${app.id}/settings`, { token: stack.logins['agent-lina'].token, body: { pushUrl: null } }), 403, /./],
    ];
    for (const [name, res, status, error] of cases) {
      expect({ name, status: res.status }).toEqual({ name, status });
      expect(res.body, name).toMatchObject({ error: expect.stringMatching(error) });
    }
  });
});

describe('the app API', () => {
  it("answers a message sent with the app's key; a retried clientMessageId adds no second message", async () => {
    const device = `d-${randomUUID()}`;
    const first = await send(shop, { deviceId: device, clientMessageId: 'c-1', text: '营业时间是几点？' });
    expect(first).toMatchObject({ status: 202, body: { visitorId: device, identified: false, conversationId: expect.stringMatching(/^[0-9a-f-]{36}$/) } });
    // The client did not see the 202 and retries, twice at once.
    const retries = await Promise.all([1, 2].map(() => send(shop, { deviceId: device, clientMessageId: 'c-1', text: '营业时间是几点？' }, { 'x-api-key': shop.apiKey })));
    expect(retries.map((r) => [r.status, r.body.conversationId])).toEqual([[202, first.body.conversationId], [202, first.body.conversationId]]);
    await send(shop, { deviceId: device, clientMessageId: 'c-2', text: '运费多少' });
    await waitFor('both answers', async () => (await lines(shop, device)).length >= 4);
    expect(await lines(shop, device)).toEqual([`visitor: 营业时间是几点？`, `bot: ${HOURS_ANSWER}`, 'visitor: 运费多少', `bot: ${SHIPPING_ANSWER}`]);
    const conversation = await stack.store.models.Conversation.findById(first.body.conversationId).lean();
    expect(conversation).toMatchObject({ channel: 'app', inboxId: shop.id, visitorId: device });

    // `after` reads on from a message.
    const all = (await read(shop, device)).body.messages as { id: string }[];
    const after = await api(stack, 'GET', `/api/v1/app/conversations/${device}/messages?after=${encodeURIComponent(all[1]!.id)}`, { headers: { 'x-api-key': shop.apiKey } });
    expect((after.body.messages as { text: string }[]).map((m) => m.text)).toEqual(['运费多少', SHIPPING_ANSWER]);
  });

  it("refuses a missing or wrong key with a 401, and another app's key reads nothing of this app's users", async () => {
    const device = `d-${randomUUID()}`;
    await send(shop, { deviceId: device, text: '运费多少' });
    await waitFor('the answer', async () => (await lines(shop, device)).length === 2);
    const forged = shop.apiKey.replace(/\.[^.]+$/, `.${'A'.repeat(43)}`);
    const webchatKey = `hlapp_demo-webchat.${'A'.repeat(43)}`;
    const unauthorized = [
      await send(shop, { deviceId: device, text: 'x' }, {}),
      await send(shop, { deviceId: device, text: 'x' }, { authorization: 'Bearer nonsense' }),
      await send(shop, { deviceId: device, text: 'x' }, { 'x-api-key': forged }),
      await send(shop, { deviceId: device, text: 'x' }, { 'x-api-key': webchatKey }),
      await send(shop, { deviceId: device, text: 'x' }, { authorization: `Basic ${shop.apiKey}` }),
      // The key is checked before the body is validated.
      await api(stack, 'POST', '/api/v1/app/messages', { body: { nonsense: true }, headers: { 'x-api-key': forged } }),
      await api(stack, 'GET', `/api/v1/app/conversations/${device}/messages`, { headers: { 'x-api-key': forged } }),
    ];
    for (const res of unauthorized) expect(res).toMatchObject({ status: 401, body: { error: expect.stringMatching(/API key/) } });
    // Nothing of the shop's device through the other app's key: its users are its own.
    expect((await read(other, device)).body).toEqual({ visitorId: device, messages: [] });
    // And a message sent with it lands in the other app's inbox, not the shop's.
    const res = await send(other, { deviceId: device, text: '营业时间是几点？' });
    expect(res.status).toBe(202);
    await waitFor('the other app answered', async () => (await lines(other, device)).length === 2);
    expect(await lines(shop, device)).toEqual(['visitor: 运费多少', `bot: ${SHIPPING_ANSWER}`]);
    expect(res.body.conversationId).not.toBe((await stored(shop, device))[0]!.conversationId);
  });

  it('makes a signed user user:<userId> on every device, in one conversation; a wrong signature stays anonymous', async () => {
    const userId = `alice-${randomUUID().slice(0, 8)}`;
    const userHash = sign(shop, userId);
    const phone = await send(shop, { deviceId: 'phone-1', clientMessageId: 'm-1', userId, userHash, text: '营业时间是几点？' });
    expect(phone).toMatchObject({ status: 202, body: { visitorId: `user:${userId}`, identified: true } });
    await waitFor('the answer', async () => (await lines(shop, `user:${userId}`, { 'x-user-hash': userHash })).length === 2);
    // Same clientMessageId on another device is another message: ids are per device.
    const tablet = await send(shop, { deviceId: 'tablet-1', clientMessageId: 'm-1', userId, userHash, text: '运费多少' });
    expect(tablet).toMatchObject({ status: 202, body: { visitorId: `user:${userId}`, identified: true, conversationId: phone.body.conversationId } });
    await waitFor('the second answer', async () => (await lines(shop, `user:${userId}`, { 'x-user-hash': userHash })).length === 4);

    const wrong = await send(shop, { deviceId: 'tablet-2', userId, userHash: sign(other, userId), text: 'hi' });
    expect(wrong).toMatchObject({ status: 202, body: { visitorId: 'tablet-2', identified: false } });
    expect(wrong.body.conversationId).not.toBe(phone.body.conversationId);
    const unsigned = await send(shop, { deviceId: 'tablet-3', userId, text: 'hi' });
    expect(unsigned.body).toMatchObject({ visitorId: 'tablet-3', identified: false });

    // A verified user's transcript needs their signature, not just the app's key (which ships inside the app).
    expect(await read(shop, `user:${userId}`)).toMatchObject({ status: 403, body: { error: expect.stringMatching(/X-User-Hash/) } });
    expect((await read(shop, `user:${userId}`, { 'x-user-hash': sign(shop, 'bob') })).status).toBe(403);
    expect((await read(shop, `user:${userId}`, { 'x-user-hash': userHash })).status).toBe(200);
    // Nor can a device claim a user's id as its own.
    expect(await send(shop, { deviceId: `user:${userId}`, text: 'hi' })).toMatchObject({ status: 400, body: { error: expect.stringMatching(/user:/) } });
    await expect(stack.client.workflow.getHandle(conversationWorkflowId(shop.id, `user:${userId}`)).describe()).resolves.toBeTruthy();
  });

  it('refuses bad input with a 4xx naming what is wrong, and starts no conversation', async () => {
    const device = `d-${randomUUID()}`;
    const post = (raw: string, headers: Record<string, string> = {}) => api(stack, 'POST', '/api/v1/app/messages', { raw, headers: { 'x-api-key': shop.apiKey, ...headers } });
    const body = (extra: Record<string, unknown>) => JSON.stringify({ deviceId: device, clientMessageId: 'c1', text: 'hi', ...extra });
    const cases: [string, Awaited<ReturnType<typeof post>>, number, RegExp][] = [
      ['malformed JSON', await post('{"deviceId": '), 400, /malformed JSON/],
      ['missing field', await post(JSON.stringify({ deviceId: device, text: 'hi' })), 400, /missing field "clientMessageId"/],
      ['extra field', await post(body({ visitorId: 'x' })), 400, /unknown field "visitorId"/],
      ['empty text', await post(body({ text: ' ' })), 400, /text is empty/],
      ['text over the limit', await post(body({ text: 'x'.repeat(4001) })), 400, /longer than 4000 characters/],
      ['bad device id', await post(body({ deviceId: '../etc' })), 400, /pattern/],
      ['bad user id', await post(body({ userId: 'a b', userHash: 'x' })), 400, /userId/],
      ['body over 1 MB', await post(body({ text: 'x'.repeat(1_100_000) })), 413, /larger than 1 MB/],
      ['not JSON', await post('text=hi', { 'content-type': 'application/x-www-form-urlencoded' }), 415, /JSON object body/],
      ['bad visitor in the path', await api(stack, 'GET', '/api/v1/app/conversations/a%20b/messages', { headers: { 'x-api-key': shop.apiKey } }), 400, /visitorId/],
      ['bad after', await api(stack, 'GET', `/api/v1/app/conversations/${device}/messages?after=a%20b`, { headers: { 'x-api-key': shop.apiKey } }), 400, /after/],
    ];
    for (const [name, res, status, error] of cases) {
      expect({ name, status: res.status }).toEqual({ name, status });
      expect(res.body, name).toMatchObject({ error: expect.stringMatching(error) });
      expect(res.body, name).toHaveProperty('details');
    }
    await expect(stack.client.workflow.getHandle(conversationWorkflowId(shop.id, device)).describe()).rejects.toThrow(/not found/i);
  });
  it('is described in the OpenAPI document, with its own security scheme', async () => {
    const doc = (await api(stack, 'GET', '/api/v1/openapi.json')).body;
    expect(doc.components.securitySchemes.appKey).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-Api-Key' });
    expect(doc.components.schemas.AppMessageRequest.required).toEqual(['deviceId', 'clientMessageId', 'text']);
    expect(doc.paths['/api/v1/app/messages'].post.security).toEqual([{ appKey: [] }]);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
      '/api/v1/app/conversations/{visitorId}/messages', '/api/v1/app/conversations/{visitorId}/stream', '/api/v1/inboxes/{id}/settings', '/api/v1/inboxes/{id}/secrets',
    ]));
  });
});

describe('replies while the app is closed or open', () => {
  it("pushes the bot's reply, signed with the push secret, while the app is closed", async () => {
    const userId = `u-${randomUUID().slice(0, 8)}`;
    const visitorId = `user:${userId}`;
    const { body: { conversationId } } = await send(shop, { deviceId: 'phone-9', userId, userHash: sign(shop, userId), text: 'How do I get a refund?' });
    await waitFor('the bot reply pushed', async () => pushesTo(visitorId).length === 1);
    const [bot] = pushesTo(visitorId);
    expect(bot!.path).toBe('/push/shop');
    expect(bot!.headers['content-type']).toBe('application/json');
    expect(bot!.body).toEqual({
      inboxId: shop.id, visitorId, userId, conversationId, messageId: expect.stringMatching(new RegExp(`^${conversationId}:out:`)),
      author: 'bot', text: REFUND_ANSWER, at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    // What the app's backend checks: the HMAC of the raw body with the push secret.
    expect(bot!.headers['x-huiliu-signature']).toBe(`sha256=${createHmac('sha256', shop.pushSecret).update(bot!.raw).digest('hex')}`);
    await waitFor('the delivery recorded', async () => (await stored(shop, visitorId)).find((m) => m.author === 'bot')?.delivery?.status === 'sent');
    expect(pushesTo(visitorId)).toHaveLength(1);
  });

  it("pushes an agent's reply (and the queue notices) while the app is closed, each once", async () => {
    const device = `d-${randomUUID()}`;
    const { body: { conversationId } } = await send(shop, { deviceId: device, text: '人工' });
    const agent = stack.logins['agent-lina'].token;
    await waitFor('queued', async () => (await api(stack, 'GET', `/api/v1/conversations/${conversationId}`, { token: agent })).body.status === 'queued');
    expect((await api(stack, 'POST', `/api/v1/conversations/${conversationId}/accept`, { token: agent })).status).toBe(200);
    expect((await api(stack, 'POST', `/api/v1/conversations/${conversationId}/messages`, { token: agent, body: { text: '您好，我是李娜。' } })).status).toBe(201);
    await waitFor('the agent reply pushed', async () => pushesTo(device).some((p) => p.body.author === 'agent'));
    expect(pushesTo(device).find((p) => p.body.author === 'agent')!.body).toMatchObject({ text: '您好，我是李娜。', conversationId, visitorId: device });
    const outbound = (await stored(shop, device)).filter((m) => m.direction === 'out').map((m) => m._id);
    expect(pushesTo(device).map((p) => p.body.messageId).sort()).toEqual(outbound.sort());
    await api(stack, 'POST', `/api/v1/conversations/${conversationId}/close`, { token: agent });
  });

  it('sends replies on the open stream and pushes nothing; once the stream closes, replies are pushed again', async () => {
    const device = `d-${randomUUID()}`;
    const stream = openAppStream(shop, device);
    try {
      expect(await stream.open).toBe(200);
      await send(shop, { deviceId: device, text: '营业时间是几点？' });
      await waitFor('the answer on the stream', async () => stream.received.some((m) => m.author === 'bot'));
      expect(stream.received.map((m) => `${m.author}: ${m.text}`)).toEqual(['visitor: 营业时间是几点？', `bot: ${HOURS_ANSWER}`]);
      // The sender ran (it records the delivery after deciding), and decided not to push.
      await waitFor('the delivery recorded', async () => (await stored(shop, device)).find((m) => m.author === 'bot')?.delivery?.status === 'sent');
      expect(pushesTo(device)).toEqual([]);
    } finally {
      await stream.close();
    }
    await waitFor('the stream recorded closed', async () => {
      const session = await stack.store.models.AppSession.findById(`${shop.id}:${device}`).lean();
      return !!session?.closedAt && session.closedAt >= session.lastSeenAt;
    });
    await send(shop, { deviceId: device, text: '运费多少' });
    await waitFor('the answer pushed', async () => pushesTo(device).length === 1);
    expect(pushesTo(device)[0]!.body).toMatchObject({ author: 'bot', text: SHIPPING_ANSWER, visitorId: device });
    expect(pushesTo(device)[0]!.body).not.toHaveProperty('userId');
  });

  it("a verified user's stream needs their signature", async () => {
    const userId = `s-${randomUUID().slice(0, 8)}`;
    const refused = openAppStream(shop, `user:${userId}`);
    expect(await refused.open).toBe(403);
    await refused.close();
    const stream = openAppStream(shop, `user:${userId}`, { 'x-user-hash': sign(shop, userId) });
    try {
      expect(await stream.open).toBe(200);
      await send(shop, { deviceId: 'any', userId, userHash: sign(shop, userId), text: '运费多少' });
      await waitFor('the answer on the stream', async () => stream.received.some((m) => m.author === 'bot'));
    } finally {
      await stream.close();
    }
  });

  it('retries a push the webhook answers with a 5xx, and records a 4xx as a failed delivery without retrying', async () => {
    const flaky = `d-${randomUUID()}`;
    answers.set(flaky, [503]);
    await send(shop, { deviceId: flaky, text: '运费多少' });
    await waitFor('the push delivered on retry', async () => (await stored(shop, flaky)).find((m) => m.author === 'bot')?.delivery?.status === 'sent');
    expect(pushesTo(flaky).map((p) => p.body.text)).toEqual([SHIPPING_ANSWER, SHIPPING_ANSWER]);

    const gone = `d-${randomUUID()}`;
    answers.set(gone, [410]);
    await send(shop, { deviceId: gone, text: '运费多少' });
    const bot = await waitFor('the failure recorded', async () => (await stored(shop, gone)).find((m) => m.author === 'bot' && m.delivery));
    expect(bot.delivery).toMatchObject({ status: 'failed', error: 'the push webhook refused the message: HTTP 410' });
    expect(pushesTo(gone)).toHaveLength(1);
    // The user reads it when the app opens.
    expect(await lines(shop, gone)).toEqual(['visitor: 运费多少', `bot: ${SHIPPING_ANSWER}`]);
  });
});
