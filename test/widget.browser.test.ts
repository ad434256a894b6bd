// The embeddable widget in a real browser (Debian's chromium, headless)
// against the real stack: a site on another loopback origin pastes the
// snippet; the widget's traffic goes through a TCP proxy the test can cut, to
// drop the connection and bring it back. A second page signs its user. Needs the built console and widget
// (`npm run build`). Screenshots land in test-results/screenshots/.
import { createHmac, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, it } from 'vitest';
import { runSignedWidgetScenario, runWidgetScenario } from '../editor/e2e/widget';
import { PROJECT_ROOT } from '../server/embedded';
import { waitFor } from './support/env';
import { api, startStack, type Stack } from './support/stack';

const INBOX = 'demo-webchat';
const ADMIN_TOKEN = `admin-${randomUUID()}`;
const USER_ID = `member-${randomUUID().slice(0, 8)}`;
let stack: Stack;
let signed: { inboxId: string; secret: string };
let proxy: Awaited<ReturnType<typeof startProxy>>;
let site: Server;
let siteUrl: string;

/** Forwards TCP to the server; `drop()` cuts every connection and refuses new ones until `restore()`. */
async function startProxy(target: URL) {
  const sockets = new Set<Socket>();
  let dropped = false;
  const server = net.createServer((client) => {
    if (dropped) { client.destroy(); return; }
    const upstream = net.connect(Number(target.port), target.hostname);
    const pair = [client, upstream];
    for (const s of pair) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => { for (const other of pair) { other.destroy(); sockets.delete(other); } });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    drop() { dropped = true; for (const s of sockets) s.destroy(); },
    restore() { dropped = false; },
    close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}

beforeAll(async () => {
  for (const built of ['index.html', 'widget.js', join('widget', 'index.html')]) {
    if (!existsSync(join(PROJECT_ROOT, 'editor', 'dist', built))) throw new Error(`editor/dist/${built} is missing: run \`npm run build\` first`);
  }
  stack = await startStack({ adminToken: ADMIN_TOKEN });
  proxy = await startProxy(new URL(stack.url));
  const created = await api(stack, 'POST', '/api/v1/inboxes', { token: ADMIN_TOKEN, body: { name: '会员商城 Members', channel: 'webchat', identity: true } });
  if (created.status !== 201) throw new Error(`creating the inbox answered ${created.status}`);
  signed = { inboxId: created.body.id, secret: created.body.secrets.identitySecret };
  // The site: its own origin (localhost, not 127.0.0.1), its own CSS (which must not reach the widget), and the snippet.
  // The signed page: what the site's backend renders for its signed-in user.
  const userHash = createHmac('sha256', signed.secret).update(USER_ID).digest('hex');
  site = createServer((req, res) => {
    const snippet = req.url === '/signed'
      ? `<script src="${proxy.url}/widget.js" data-inbox="${signed.inboxId}" data-lang="zh" data-user-id="${USER_ID}" data-user-hash="${userHash}" async></script>`
      : `<script src="${proxy.url}/widget.js" data-inbox="${INBOX}" data-lang="en" async></script>`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Shop</title>
<style>button { background: hotpink !important; } * { font-family: serif; }</style></head>
<body><h1>A shop</h1><p>Welcome.</p>
${snippet}
</body></html>`);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://localhost:${(site.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await proxy?.close();
  await new Promise((resolve) => site?.close(resolve));
  await stack?.stop();
});

/** A 160 × 100 PNG: a teal-to-blue gradient, so the screenshot shows a picture. */
function gradientPng(width = 160, height = 100): Buffer {
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1); // each row starts with filter type 0
    for (let x = 0; x < width; x++) rows.set([15, Math.round(118 - (x / width) * 60), Math.round(110 + (y / height) * 120)], row + 1 + x * 3);
  }
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}
const PNG = gradientPng();

it('works on a site: bot answer, a picture, the agent typing, a dropped connection without lost or doubled messages, a phone screen', async () => {
  const lina = stack.logins['agent-lina'].token;
  await runWidgetScenario({
    hostUrl: siteUrl,
    inboxId: INBOX,
    screenshotDir: join(PROJECT_ROOT, 'test-results', 'screenshots'),
    image: PNG,
    refundAnswer: 'You can return any item within 7 days of delivery; refunds reach your original payment method within 3 working days.',
    async acceptConversation(visitorId) {
      const conversationId = await waitFor('the conversation queued', async () => {
        const { body } = await api(stack, 'GET', '/api/v1/conversations?status=queued', { token: lina });
        return (body.conversations as { id: string; visitorId: string }[]).find((c) => c.visitorId === visitorId)?.id;
      });
      const accepted = await api(stack, 'POST', `/api/v1/conversations/${conversationId}/accept`, { token: lina });
      if (accepted.status !== 200) throw new Error(`accept answered ${accepted.status}: ${JSON.stringify(accepted.body)}`);
      return conversationId;
    },
    async agentTyping(conversationId, typing) {
      const res = await api(stack, 'POST', `/api/v1/conversations/${conversationId}/typing`, { token: lina, body: { typing } });
      if (res.status !== 202) throw new Error(`typing answered ${res.status}`);
    },
    async agentReply(conversationId, text) {
      const res = await api(stack, 'POST', `/api/v1/conversations/${conversationId}/messages`, { token: lina, body: { text } });
      if (res.status !== 201) throw new Error(`reply answered ${res.status}: ${JSON.stringify(res.body)}`);
    },
    async closeConversation(conversationId) {
      const res = await api(stack, 'POST', `/api/v1/conversations/${conversationId}/close`, { token: lina });
      if (res.status !== 200) throw new Error(`close answered ${res.status}: ${JSON.stringify(res.body)}`);
    },
    async serverTranscript(visitorId) {
      return (await api(stack, 'GET', `/api/v1/webchat/${INBOX}/visitors/${visitorId}/messages`)).body.messages;
    },
    dropConnections: () => proxy.drop(),
    restoreConnections: () => proxy.restore(),
  });
}, 180_000);

it("recognises the site's signed-in user, in Chinese", async () => {
  const userHash = createHmac('sha256', signed.secret).update(USER_ID).digest('hex');
  await runSignedWidgetScenario({
    hostUrl: `${siteUrl}signed`,
    inboxId: signed.inboxId,
    userId: USER_ID,
    screenshotDir: join(PROJECT_ROOT, 'test-results', 'screenshots'),
    hoursAnswer: '我们的在线客服时间是每天 9:00–21:00。',
    async serverTranscript(visitorId) {
      const res = await api(stack, 'GET', `/api/v1/webchat/${signed.inboxId}/visitors/${visitorId}/messages`, { headers: { 'x-user-hash': userHash } });
      return res.body.messages;
    },
  });
}, 120_000);
