// The full-message page (GET /m/:messageId?s=) on the real server: a long Weibo
// reply goes out cut, with a link; the link opens the whole text, escaped, in
// both languages' chrome. A wrong signature, an unknown id and a customer's
// own message are all the same 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fullMessageLinks, type FullMessageLinks } from '../activities/channels/full-message-link';
import { startFakeWeiboServer, type FakeWeiboServer } from '../activities/channels/weibo/fake-weibo-server';
import { weiboSender } from '../activities/channels/weibo/send';
import { messageActivities, messageStore } from '../activities/messages';
import { loadSecretKey } from '../server/secrets';
import { startStack, type Stack } from './support/stack';
import { weiboApp, weiboUid } from './support/weibo-app';

const credentials = weiboApp();
const SENTENCE = '订单满 99 元包邮，一般 48 小时内发货。';
// Markdown and markup: the page shows the plain text, and never the markup as HTML.
const LONG = `**运费说明** <script>alert(1)</script>\n${SENTENCE.repeat(20)}\n详见 [帮助中心](https://help.example/shipping?a=1&b=2)`;

let stack: Stack;
let fake: FakeWeiboServer;
let links: FullMessageLinks;

beforeAll(async () => {
  fake = await startFakeWeiboServer(credentials);
  stack = await startStack({ worker: false });
  links = fullMessageLinks(stack.config.publicUrl, await loadSecretKey(stack.config));
});
afterAll(async () => {
  await stack?.stop();
  await fake?.close();
});

/** Stores and sends a reply as a conversation would, through a Weibo sender signing links as workers do. */
async function sendReply(uid: string, text: string): Promise<string> {
  const { models } = stack.store;
  const send = weiboSender({ inbox: async () => ({ credentials, settings: { apiBaseUrl: fake.url } }), fullMessageUrl: links.url });
  const messageId = `conv-${uid}:out:1`;
  await messageActivities(models, messageStore(models, () => {}, { weibo: send })).sendMessage({
    conversationId: `conv-${uid}`, inboxId: 'wb-inbox', channel: 'weibo', visitorId: uid, messageId, author: 'agent', kind: 'text', text, at: Date.now(),
  });
  return messageId;
}

/** The page behind a link, asked of the test server (the link names the configured public URL). */
function open(link: string) {
  const url = new URL(link);
  return fetch(`${stack.url}${url.pathname}${url.search}`);
}

describe('GET /m/:messageId', () => {
  it('a long Weibo reply arrives cut with a link that opens the whole text, escaped', async () => {
    const uid = weiboUid();
    const messageId = await sendReply(uid, LONG);
    const [sent] = fake.sent.filter((m) => m.receiverId === uid);
    const link = sent!.text.split('全文 Full message: ')[1]!;
    expect(link).toBe(links.url(messageId));

    const res = await open(link);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const html = await res.text();
    expect(html).toContain('消息全文 · Full message');
    expect(html).toContain(`运费说明 &lt;script&gt;alert(1)&lt;/script&gt;\n${SENTENCE.repeat(20)}`);
    expect(html).toContain('帮助中心 (<a href="https://help.example/shipping?a=1&amp;b=2" rel="noopener noreferrer nofollow">https://help.example/shipping?a=1&amp;b=2</a>)');
    expect(html).not.toContain('<script>');
  });

  it('answers 404, the same for each, to a wrong or missing signature, an unknown id and a customer\'s message', async () => {
    const messageId = await sendReply(weiboUid(), LONG);
    const good = new URL(links.url(messageId));
    const tampered = `${good.pathname}?s=${good.searchParams.get('s')!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`;
    const inboundId = `weibo:wb-inbox:${weiboUid()}`;
    await stack.store.models.Message.create({
      _id: inboundId, conversationId: 'c', inboxId: 'wb-inbox', channel: 'weibo', visitorId: 'v', direction: 'in', author: 'visitor',
      text: '我的地址是……', at: new Date(), storedAt: new Date(),
    });
    const unknown = new URL(links.url('conv-nobody:out:1'));
    const inbound = new URL(links.url(inboundId));
    for (const path of [tampered, good.pathname, `${good.pathname}?s=`, `${unknown.pathname}${unknown.search}`, `${inbound.pathname}${inbound.search}`]) {
      const res = await fetch(`${stack.url}${path}`);
      expect(res.status, path).toBe(404);
      const html = await res.text();
      expect(html).toContain('找不到这条消息');
      expect(html).toContain('This message was not found');
      expect(html).not.toContain('我的地址');
    }
  });
});
