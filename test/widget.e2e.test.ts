// The web chat widget's server side against the real stack: the script and
// page a site embeds; identities signed with the inbox's secret; images and
// files with their limits, served back safely; typing both ways; and a
// visitor stream that resumes after a dropped connection without losing a
// message (and, with the client dropping repeats by id, without doubling one).
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './support/env';
import { openEventsStream, sseFrames } from './support/sse';
import { api, startStack, type Stack } from './support/stack';

const ADMIN_TOKEN = 'test-admin-token-widget-0123456789';
const DEMO = 'demo-webchat';
const REFUND_ANSWER = 'You can return any item within 7 days of delivery; refunds reach your original payment method within 3 working days.';
const MB = 1024 * 1024;
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(200)]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\n', 'latin1');

let stack: Stack;
beforeAll(async () => { stack = await startStack({ adminToken: ADMIN_TOKEN }); });
afterAll(async () => { await stack?.stop(); });

const sign = (secret: string, userId: string) => createHmac('sha256', secret).update(userId).digest('hex');
const send = (inbox: string, body: Record<string, unknown>) => api(stack, 'POST', `/api/v1/webchat/${inbox}/messages`, { body: { clientMessageId: randomUUID(), ...body } });
const transcript = async (inbox: string, visitorId: string, headers?: Record<string, string>) =>
  (await api(stack, 'GET', `/api/v1/webchat/${inbox}/visitors/${encodeURIComponent(visitorId)}/messages`, { headers })).body.messages as Msg[];
const uploadTo = (inbox: string, visitorId: string, body: Buffer, type: string, name?: string, headers: Record<string, string> = {}) =>
  fetch(`${stack.url}/api/v1/webchat/${inbox}/visitors/${encodeURIComponent(visitorId)}/uploads`, {
    method: 'POST', body, headers: { 'content-type': type, ...(name ? { 'x-file-name': encodeURIComponent(name) } : {}), ...headers },
  }).then(async (res) => ({ status: res.status, body: await res.json() as Record<string, any> })); // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read whatever came back

interface Msg { id: string; author: string; text: string; conversationId: string; clientMessageId?: string; media?: { kind: string; id: string; url: string; mime: string; name: string; size: number }[] }
interface Frame { event: string; id?: string; data: Record<string, unknown> }

/** A visitor stream read frame by frame, as EventSource would (event type, id, data). */
function openStream(path: string, headers: Record<string, string> = {}) {
  const frames: Frame[] = [];
  const controller = new AbortController();
  let opened!: (status: number) => void;
  const open = new Promise<number>((resolve) => { opened = resolve; });
  const done = (async () => {
    const res = await fetch(`${stack.url}${path}`, { headers, signal: controller.signal });
    opened(res.status);
    if (res.status !== 200) return;
    for await (const frame of sseFrames(res.body!)) {
      if (frame.data !== undefined) frames.push({ event: frame.event ?? 'message', id: frame.id, data: JSON.parse(frame.data) });
    }
  })().catch(() => undefined);
  const messages = () => frames.filter((f) => f.event === 'message').map((f) => f.data as unknown as Msg);
  return { frames, messages, open, close: async () => { controller.abort(); await done; } };
}
const streamPath = (inbox: string, visitorId: string, query = '') => `/api/v1/webchat/${inbox}/visitors/${encodeURIComponent(visitorId)}/stream${query}`;

describe('what a site embeds', () => {
  it('serves widget.js as a script any page may load, and the chat page any site may frame', async () => {
    const script = await fetch(`${stack.url}/widget.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const code = await script.text();
    expect(code).toContain('huiliu-widget');
    expect(code).not.toMatch(/^\s*(import|export)\s/m); // a classic script: it runs from a plain <script src async>

    const page = await fetch(`${stack.url}/widget/${DEMO}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('x-frame-options')).toBeNull();
    expect(page.headers.get('content-security-policy')).toBe('frame-ancestors *');
    expect(await page.text()).toContain('<div id="root">');
  });

  it('starts a session with the visitor and the upload limits; an unknown inbox is a 404', async () => {
    const visitorId = `v-${randomUUID()}`;
    const session = await api(stack, 'POST', `/api/v1/webchat/${DEMO}/session`, { body: { visitorId } });
    expect(session).toMatchObject({
      status: 200,
      body: {
        visitorId, identified: false, inbox: { id: DEMO, name: expect.any(String) },
        uploads: { image: { maxBytes: 5 * MB, types: ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] }, file: { maxBytes: 10 * MB } },
      },
    });
    expect(await api(stack, 'POST', '/api/v1/webchat/no-such/session', { body: { visitorId } })).toMatchObject({ status: 404 });
  });
});

describe('identity', () => {
  let shop: string;
  let secret: string;
  beforeAll(async () => {
    const created = await api(stack, 'POST', '/api/v1/inboxes', { token: ADMIN_TOKEN, body: { name: '商城 Shop', channel: 'webchat', identity: true } });
    expect(created.status).toBe(201);
    shop = created.body.id;
    secret = created.body.secrets.identitySecret;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(created.body).toMatchObject({
      channel: 'webchat', identity: true,
      widget: { snippet: `<script src="${stack.config.publicUrl}/widget.js" data-inbox="${shop}" data-lang="zh" async></script>` },
    });
  });

  it("makes a correctly signed user the visitor user:<userId>, whose transcript needs the signature to read", async () => {
    const browser = `v-${randomUUID()}`;
    const userId = `alice-${randomUUID().slice(0, 8)}`;
    const userHash = sign(secret, userId);
    const session = await api(stack, 'POST', `/api/v1/webchat/${shop}/session`, { body: { visitorId: browser, userId, userHash } });
    expect(session.body).toMatchObject({ visitorId: `user:${userId}`, identified: true });

    const sent = await send(shop, { visitorId: browser, text: 'How do I get a refund?', userId, userHash });
    expect(sent).toMatchObject({ status: 202, body: { visitorId: `user:${userId}`, identified: true } });
    const read = () => transcript(shop, `user:${userId}`, { 'x-user-hash': userHash });
    await waitFor('the bot answers the user', async () => (await read()).some((m) => m.author === 'bot'));
    expect((await read()).map((m) => `${m.author}: ${m.text}`)).toEqual(['visitor: How do I get a refund?', `bot: ${REFUND_ANSWER}`]);
    // Nothing under the browser's anonymous id.
    expect(await transcript(shop, browser)).toEqual([]);

    // Without the signature, or with another user's, the user's conversation is not readable.
    const path = `/api/v1/webchat/${shop}/visitors/user:${userId}/messages`;
    expect(await api(stack, 'GET', path)).toMatchObject({ status: 403, body: { error: expect.stringMatching(/signature/) } });
    expect(await api(stack, 'GET', path, { headers: { 'x-user-hash': sign(secret, 'mallory') } })).toMatchObject({ status: 403 });
    expect((await api(stack, 'GET', `${path}?userHash=${userHash}`)).status).toBe(200);
    const denied = openStream(streamPath(shop, `user:${userId}`));
    expect(await denied.open).toBe(403);
    const stream = openStream(streamPath(shop, `user:${userId}`, `?userHash=${userHash}`));
    try {
      expect(await stream.open).toBe(200);
      await waitFor('the user\'s transcript on the stream', async () => stream.messages().length === 2);
    } finally {
      await stream.close();
    }
  });

  it('keeps unsigned, wrongly signed and half-given identities anonymous, and refuses anonymous ids in the user: namespace', async () => {
    const cases = [
      {},
      { userId: 'bob' },
      { userId: 'bob', userHash: sign(secret, 'eve') },
      { userId: 'bob', userHash: sign('another secret', 'bob') },
      { userId: 'bob', userHash: 'not-hex' },
    ];
    for (const claim of cases) {
      const browser = `v-${randomUUID()}`;
      const res = await send(shop, { visitorId: browser, text: 'hello', ...claim });
      expect({ claim, ...res.body }).toMatchObject({ claim, visitorId: browser, identified: false });
    }
    // An inbox without a secret verifies nobody.
    const demo = await send(DEMO, { visitorId: `v-${randomUUID()}`, text: 'hi', userId: 'bob', userHash: sign(secret, 'bob') });
    expect(demo.body).toMatchObject({ identified: false });
    expect(await send(shop, { visitorId: 'user:bob', text: 'I am bob' })).toMatchObject({ status: 400, body: { error: expect.stringMatching(/may not start with "user:"/) } });
  });

  it('shows whether an inbox verifies identities (never its secret); rotating the secret voids old signatures; removing it makes everyone anonymous', async () => {
    const listed = (await api(stack, 'GET', '/api/v1/inboxes', { token: ADMIN_TOKEN })).body.inboxes as Record<string, unknown>[];
    expect(listed.find((i) => i.id === shop)).toMatchObject({ identity: true, widget: { scriptUrl: `${stack.config.publicUrl}/widget.js` } });
    expect(listed.find((i) => i.id === DEMO)).toMatchObject({ identity: false });
    expect(JSON.stringify(listed)).not.toContain(secret);
    const stored = await stack.store.models.Inbox.findById(shop).lean();
    expect(stored?.credentials).toMatch(/^v1\./);
    expect(stored?.credentials).not.toContain(secret);

    const rotated = await api(stack, 'POST', `/api/v1/inboxes/${shop}/secrets`, { token: ADMIN_TOKEN, body: { rotate: ['identitySecret'] } });
    expect(rotated).toMatchObject({ status: 200, body: { id: shop, secrets: { identitySecret: expect.stringMatching(/^[0-9a-f]{64}$/) } } });
    const fresh = rotated.body.secrets.identitySecret as string;
    const session = (userHash: string) => api(stack, 'POST', `/api/v1/webchat/${shop}/session`, { body: { visitorId: 'v-rotation', userId: 'carol', userHash } });
    // Servers read inboxes through a 5-second cache.
    await waitFor('the new secret in use', async () => (await session(sign(fresh, 'carol'))).body.identified === true, 10_000);
    expect((await session(sign(secret, 'carol'))).body).toMatchObject({ visitorId: 'v-rotation', identified: false });
    expect(await api(stack, 'POST', `/api/v1/inboxes/${shop}/secrets`, { token: ADMIN_TOKEN, body: { rotate: ['apiKey'] } })).toMatchObject({ status: 400 });

    expect(await api(stack, 'DELETE', `/api/v1/inboxes/${shop}/secrets/identitySecret`, { token: ADMIN_TOKEN })).toMatchObject({ status: 200, body: { identity: false } });
    await waitFor('identities no longer verified', async () => (await session(sign(fresh, 'carol'))).body.identified === false, 10_000);
    expect(await api(stack, 'DELETE', `/api/v1/inboxes/${DEMO}/secrets/identitySecret`, { token: stack.logins['agent-lina'].token })).toMatchObject({ status: 403 });
  });
});

describe('images and files', () => {
  it('stores an upload, serves it back as it was, and a message carrying it shows it in the transcript', async () => {
    const visitorId = `v-${randomUUID()}`;
    const up = await uploadTo(DEMO, visitorId, PNG, 'image/png', '截图 1.png');
    expect(up).toMatchObject({ status: 201, body: { kind: 'image', mime: 'image/png', name: '截图 1.png', size: PNG.length } });
    const { mediaId, url } = up.body as { mediaId: string; url: string };
    expect(url).toBe(`/api/v1/media/${mediaId}`);

    const served = await fetch(`${stack.url}${url}`);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);
    expect(Object.fromEntries(['content-type', 'x-content-type-options', 'content-disposition', 'content-length'].map((h) => [h, served.headers.get(h)]))).toEqual({
      'content-type': 'image/png', 'x-content-type-options': 'nosniff', 'content-length': String(PNG.length),
      'content-disposition': `inline; filename="__ 1.png"; filename*=UTF-8''${encodeURIComponent('截图 1.png')}`,
    });
    const again = await fetch(`${stack.url}${url}`, { headers: { 'if-none-match': served.headers.get('etag')! } });
    expect(again.status).toBe(304);
    expect((await fetch(`${stack.url}/api/v1/media/med_0123456789abcdef0123456789abcdef`)).status).toBe(404);

    const sent = await send(DEMO, { visitorId, media: [mediaId] });
    expect(sent.status).toBe(202);
    const shown = await waitFor('the image message stored', async () => (await transcript(DEMO, visitorId)).find((m) => m.author === 'visitor'));
    expect(shown).toMatchObject({ text: '[图片 Image]', media: [{ kind: 'image', id: mediaId, url, mime: 'image/png', name: '截图 1.png', size: PNG.length }] });
  });

  it('serves a file as an attachment, and keeps a caption as the text', async () => {
    const visitorId = `v-${randomUUID()}`;
    const up = await uploadTo(DEMO, visitorId, PDF, 'application/pdf', 'invoice.pdf');
    expect(up.body).toMatchObject({ kind: 'file', mime: 'application/pdf', name: 'invoice.pdf' });
    const served = await fetch(`${stack.url}${up.body.url}`);
    expect(served.headers.get('content-disposition')).toMatch(/^attachment; filename="invoice.pdf"/);
    expect(served.headers.get('content-security-policy')).toMatch(/sandbox/);
    expect((await send(DEMO, { visitorId, media: [up.body.mediaId], text: '这是发票' })).status).toBe(202);
    const shown = await waitFor('the file message stored', async () => (await transcript(DEMO, visitorId)).find((m) => m.author === 'visitor'));
    expect(shown).toMatchObject({ text: '这是发票', media: [{ kind: 'file', name: 'invoice.pdf' }] });
  });

  it('refuses what is too large (413), of another type or not what it claims (415), and media that is not the visitor\'s', async () => {
    const visitorId = `v-${randomUUID()}`;
    const big = Buffer.concat([PNG, Buffer.alloc(5 * MB)]);
    expect(await uploadTo(DEMO, visitorId, big, 'image/png', 'big.png')).toMatchObject({
      status: 413, body: { error: 'images may be at most 5 MB; this one is 5.0 MB', details: { kind: 'image', maxBytes: 5 * MB } },
    });
    const tooBigFile = Buffer.concat([PDF, Buffer.alloc(10 * MB)]);
    expect(await uploadTo(DEMO, visitorId, tooBigFile, 'application/pdf', 'big.pdf')).toMatchObject({ status: 413, body: { details: { kind: 'file', maxBytes: 10 * MB } } });
    expect(await uploadTo(DEMO, visitorId, Buffer.from('<svg onload="alert(1)"/>'), 'image/svg+xml', 'x.svg')).toMatchObject({
      status: 415, body: { error: expect.stringMatching(/not accepted \(image\/svg\+xml\)/) },
    });
    expect(await uploadTo(DEMO, visitorId, Buffer.from('<html>hi</html>'), 'image/png', 'fake.png')).toMatchObject({ status: 415, body: { error: expect.stringMatching(/not what its type/) } });
    expect(await uploadTo(DEMO, visitorId, Buffer.alloc(0), 'image/png', 'empty.png')).toMatchObject({ status: 400 });
    expect(await uploadTo('no-such', visitorId, PNG, 'image/png')).toMatchObject({ status: 404 });
    expect(await uploadTo(DEMO, 'user:bob', PNG, 'image/png')).toMatchObject({ status: 403 });

    const theirs = await uploadTo(DEMO, `v-${randomUUID()}`, PNG, 'image/png', 'a.png');
    expect(await send(DEMO, { visitorId, media: [theirs.body.mediaId] })).toMatchObject({ status: 400, body: { error: expect.stringMatching(/no upload/) } });
    expect(await send(DEMO, { visitorId })).toMatchObject({ status: 400, body: { error: expect.stringMatching(/text, media, or both/) } });
    expect(await transcript(DEMO, visitorId)).toEqual([]);
  });
});

describe('typing', () => {
  it('tells the agent holding the conversation that the visitor types, and the visitor that the agent does', async () => {
    const lina = stack.logins['agent-lina'].token;
    const visitorId = `v-${randomUUID()}`;
    const typing = (body: Record<string, unknown>) => api(stack, 'POST', `/api/v1/webchat/${DEMO}/visitors/${visitorId}/typing`, { body });
    expect(await typing({ typing: true })).toMatchObject({ status: 202, body: { delivered: false } }); // no conversation yet

    const { body: { conversationId } } = await send(DEMO, { visitorId, text: '人工' });
    await waitFor('queued', async () => (await api(stack, 'GET', `/api/v1/conversations/${conversationId}`, { token: lina })).body.status === 'queued');
    expect((await api(stack, 'POST', `/api/v1/conversations/${conversationId}/accept`, { token: lina })).status).toBe(200);

    const events = openEventsStream(stack.url, lina, { query: 'types=conversation.typing' });
    const visitor = openStream(streamPath(DEMO, visitorId));
    try {
      await events.open;
      expect(await visitor.open).toBe(200);
      await waitFor('the transcript replayed', async () => visitor.messages().length >= 1);

      expect(await typing({ typing: true, conversationId })).toMatchObject({ status: 202, body: { delivered: true } });
      const heard = await waitFor('the agent hears the visitor typing', async () => events.received.find((e) => e.data.conversationId === conversationId));
      expect(heard).toMatchObject({ type: 'conversation.typing', data: { agentId: 'agent-lina', data: { from: 'visitor', typing: true, visitorId } } });

      const lastId = visitor.frames.at(-1)?.id;
      expect(await api(stack, 'POST', `/api/v1/conversations/${conversationId}/typing`, { token: lina, body: { typing: true } })).toMatchObject({ status: 202 });
      const frame = await waitFor('the visitor sees the agent typing', async () => visitor.frames.find((f) => f.event === 'typing'));
      // No id: a typing frame leaves where the stream resumes alone.
      expect(frame).toEqual({ event: 'typing', id: undefined, data: { from: 'agent', typing: true, conversationId } });
      expect(visitor.frames.filter((f) => f.id).at(-1)?.id).toBe(lastId);
      expect(await api(stack, 'POST', `/api/v1/conversations/${conversationId}/typing`, { token: lina, body: { typing: false } })).toMatchObject({ status: 202 });
      await waitFor('the agent stopped', async () => visitor.frames.some((f) => f.event === 'typing' && f.data.typing === false));

      // Only the agent holding it types in it; a conversation of another visitor is not this visitor's.
      expect(await api(stack, 'POST', `/api/v1/conversations/${conversationId}/typing`, { token: stack.logins['agent-wang'].token, body: { typing: true } })).toMatchObject({ status: 409 });
      expect(await api(stack, 'POST', '/api/v1/conversations/nope/typing', { token: lina, body: { typing: true } })).toMatchObject({ status: 404 });
      expect(await api(stack, 'POST', `/api/v1/webchat/${DEMO}/visitors/v-someone-else/typing`, { body: { typing: true, conversationId } })).toMatchObject({ body: { delivered: false } });
    } finally {
      await Promise.all([events.close(), visitor.close()]);
    }
  });
});

describe('reconnecting', () => {
  it('resumes after the last message received: nothing stored meanwhile is lost, and dropping repeats by id leaves each message once', async () => {
    const visitorId = `v-${randomUUID()}`;
    const first = openStream(streamPath(DEMO, visitorId));
    expect(await first.open).toBe(200);
    await send(DEMO, { visitorId, text: 'How do I get a refund?' });
    await waitFor('the bot reply', async () => first.messages().length === 2);
    const lastSeen = first.frames.filter((f) => f.id).at(-1)!.id!;
    await first.close(); // the connection drops

    // While the visitor is away: a retried send (same clientMessageId) and a new question, each answered.
    const retried = randomUUID();
    await send(DEMO, { visitorId, clientMessageId: retried, text: '营业时间是几点？' });
    await send(DEMO, { visitorId, clientMessageId: retried, text: '营业时间是几点？' });
    await send(DEMO, { visitorId, text: '运费怎么算？' });
    const all = await waitFor('everything answered', async () => {
      const messages = await transcript(DEMO, visitorId);
      return messages.filter((m) => m.author === 'bot').length === 3 && messages;
    });
    expect(all.map((m) => m.text)).toEqual([
      'How do I get a refund?', REFUND_ANSWER, '营业时间是几点？', '我们的在线客服时间是每天 9:00–21:00。', '运费怎么算？', '订单满 99 元包邮，一般 48 小时内发货。',
    ]);

    // EventSource's own reconnect (Last-Event-ID), and a new EventSource (?after=).
    for (const resumed of [openStream(streamPath(DEMO, visitorId), { 'last-event-id': lastSeen }), openStream(streamPath(DEMO, visitorId, `?after=${encodeURIComponent(lastSeen)}`))]) {
      try {
        expect(await resumed.open).toBe(200);
        await waitFor('the missed messages', async () => resumed.messages().length >= 4);
        const ids = resumed.messages().map((m) => m.id);
        expect(new Set(ids).size).toBe(ids.length); // one connection never repeats itself
        expect(ids).not.toContain(lastSeen);
        // What the client shows: what it had, then what came, repeats dropped by id.
        const shown = [...new Map([...first.messages(), ...resumed.messages()].map((m) => [m.id, m])).values()];
        expect(shown.map((m) => m.id)).toEqual(all.map((m) => m.id));
        // Live again.
      } finally {
        await resumed.close();
      }
    }

    // An id the server does not know (another visitor's, or pruned) replays everything.
    const unknown = openStream(streamPath(DEMO, visitorId), { 'last-event-id': 'webchat:demo-webchat:not-a-message' });
    try {
      await waitFor('the whole transcript', async () => unknown.messages().length === all.length);
    } finally {
      await unknown.close();
    }
  });
});
