// Integration nodes in a running conversation: the order-status plugin asks a
// local shop that speaks Shopify's orders API, rules route on the `order` fact
// it provides, a reply quotes it, and an HTTP request node posts a ticket to a
// local CRM. Both servers are on 127.0.0.1, which only tests may reach.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenLocal, startShopifyTestServer, type LocalServer, type ShopifyTestServer } from '../activities/plugins/order-status/shopify-test-server';
import { FLOW_SCHEMA_VERSION, type FlowDefinition, type FlowNode } from '../rules/flow';
import { waitFor } from '../test/support/env';
import { checkReplay, workflowTestEnv } from '../test/support/workflow-env';
import { conversationWorkflowId } from './messages';

const TOKEN = 'shpat_test_token';
let shop: ShopifyTestServer;
let crm: LocalServer;
const tickets: unknown[] = [];

beforeAll(async () => {
  shop = await startShopifyTestServer({
    token: TOKEN,
    orders: [{
      id: 450789469, name: '#1001', fulfillment_status: 'fulfilled', updated_at: '2025-04-28T09:00:00+08:00',
      fulfillments: [{ status: 'success', shipment_status: 'in_transit', tracking_company: 'SF Express', tracking_number: 'SF1234567890', updated_at: '2025-04-29T10:00:00+08:00' }],
    }],
    failWith: { 555555555: 503 },
  });
  crm = await listenLocal((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      tickets.push(JSON.parse(body));
      res.writeHead(201, { 'content-type': 'application/json' }).end('{"ticket":"T-1"}');
    });
  });
});
afterAll(async () => {
  await shop?.close();
  await crm?.close();
});

const t = workflowTestEnv('integration-nodes', () => ({
  integrations: { http: { allowHosts: ['127.0.0.1'], allowPrivateAddresses: true }, orderApi: { url: shop.url, token: TOKEN } },
}));

const node = (id: string, type: string, parameters: Record<string, unknown> = {}): FlowNode => ({ id, type, typeVersion: 1, position: { x: 0, y: 0 }, parameters });
const reply = (id: string, zh: string) => node(id, 'reply', { text: { zh, en: zh } });

function parcelFlow(): FlowDefinition {
  const links: [string, string, string][] = [
    ['start', 'next', 'normalize'], ['normalize', 'next', 'order'],
    ['order', 'found', 'route'], ['order', 'notFound', 'unknown'], ['order', 'error', 'sorry'],
    ['route', 'moving', 'moving'], ['route', 'other', 'status'],
    ['moving', 'next', 'ticket'], ['ticket', 'ok', 'idle'], ['ticket', 'error', 'idle'],
    ['status', 'next', 'idle'], ['unknown', 'next', 'idle'], ['sorry', 'next', 'idle'],
    ['idle', 'message', 'normalize'], ['idle', 'timeout', 'close'],
  ];
  return {
    schemaVersion: FLOW_SCHEMA_VERSION,
    nodes: [
      node('start', 'start'), node('normalize', 'normalize'),
      node('order', 'order-status', { source: 'message' }),
      node('route', 'rules', {
        rules: [{ name: 'on-its-way', event: { type: 'moving' }, conditions: { all: [{ fact: 'order', path: '$.status', operator: 'equal', value: 'in_transit' }] } }],
        defaultHandle: 'other',
      }),
      reply('moving', '您的订单 {{order.name}} 正由 {{order.carrier}} 配送中，运单号 {{order.trackingNumber}}。'),
      node('ticket', 'http-request', { method: 'POST', url: `${crm.url}/tickets`, body: '{"order":"{{order.id}}","text":"{{message.text}}"}' }),
      reply('status', '订单状态：{{order.status}}'),
      reply('unknown', '没有找到这个订单号。'),
      reply('sorry', '暂时查不到物流信息，请稍后再试。'),
      node('idle', 'wait', { timeoutSeconds: 600 }), node('close', 'close'),
    ],
    edges: links.map(([from, handle, to], i) => ({ id: `e${i}`, from: { nodeId: from, handle }, to: { nodeId: to } })),
  };
}

describe('integration nodes in a running conversation', () => {
  it('looks up the order, routes on it, quotes it, posts a ticket, and takes the error way when the shop is down', async () => {
    await t.m.FlowVersion.create({ _id: 'parcel@1', flowId: 'parcel', version: 1, definition: parcelFlow(), publishedBy: 'test', message: 'v1' });
    await t.m.Flow.create({ _id: 'parcel', name: 'parcel', publishedVersion: 1 });
    await t.m.Inbox.create({ _id: 'shop', name: 'Shop', channel: 'webchat', flowId: 'parcel' });
    const visitor = randomUUID();
    const say = (text: string) => t.gateway.deliver({ inboxId: 'shop', channel: 'webchat', visitorId: visitor }, { providerMessageId: randomUUID(), text, receivedAt: Date.now() });
    const transcript = async (id: string) => (await t.m.Message.find({ conversationId: id }).sort({ storedAt: 1, _id: 1 }).lean()).map((x) => x.text);

    const { conversationId } = await say('我的订单 450789469 到哪了？');
    await waitFor('order reply', async () => (await transcript(conversationId)).length >= 2);
    expect((await transcript(conversationId))[1]).toBe('您的订单 #1001 正由 SF Express 配送中，运单号 SF1234567890。');
    await waitFor('ticket posted', async () => tickets.length === 1);
    expect(tickets[0]).toEqual({ order: '450789469', text: '我的订单 450789469 到哪了？' });
    expect(shop.requests.every((r) => r.token === TOKEN)).toBe(true);

    await say('那 123456789 呢');
    await waitFor('not found', async () => (await transcript(conversationId)).length >= 4);
    await say('还有 555555555');
    await waitFor('shop down', async () => (await transcript(conversationId)).length >= 6, 60_000);
    expect((await transcript(conversationId)).slice(3)).toEqual(['没有找到这个订单号。', '还有 555555555', '暂时查不到物流信息，请稍后再试。']);
    // Steps reach the timeline when the flow next waits, just after the reply.
    const failure = await waitFor('the failed lookup in the timeline', () => t.m.FlowStep.findOne({ conversationId, nodeId: 'order', handle: 'error' }).lean());
    expect(failure.note?.en).toMatch(/503|unavailable/i);
    await checkReplay(t, conversationWorkflowId('shop', visitor), 'flow-integrations');
  });
});
