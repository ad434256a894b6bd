import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeRunInput, NodeRunResult } from '../../../rules/plugin';
import type { HttpPolicy } from '../types';
import { createOrderStatusHandler, latestOrderId, orderApiConfig, orderNumberIn, type OrderStatusDeps } from './handler';
import { orderStatusPlugin } from './index';
import { orderFact, type ShopifyOrder } from './shopify';
import { startShopifyTestServer, type ShopifyTestServer } from './shopify-test-server';

const TOKEN = 'shpat_0123456789abcdef';

const inTransit: ShopifyOrder = {
  id: 450789469, name: '#1001', fulfillment_status: 'fulfilled', cancelled_at: null, updated_at: '2025-04-28T09:00:00+08:00',
  fulfillments: [{
    status: 'success', shipment_status: 'in_transit', tracking_company: 'SF Express', tracking_number: 'SF1234567890', updated_at: '2025-04-29T10:00:00+08:00',
  }],
};
const notShipped: ShopifyOrder = { id: 450789470, name: '#1002', fulfillment_status: null, updated_at: '2025-04-30T09:00:00+08:00', fulfillments: [] };

let shop: ShopifyTestServer;
// The shop runs on 127.0.0.1; only tests let a private address through.
const localPolicy: HttpPolicy = { allowHosts: [], allowPrivateAddresses: true };

function lookup(parameters: Record<string, unknown>, facts: Record<string, unknown>, deps: Partial<OrderStatusDeps> = {}, more: Partial<NodeRunInput> = {}) {
  const handler = createOrderStatusHandler({ http: localPolicy, orderApi: { url: shop.url, token: TOKEN }, ...deps });
  return handler({
    conversationId: 'c1', inboxId: 'web', channel: 'webchat', visitorId: 'v1',
    nodeId: 'order', type: 'order-status', typeVersion: 1, language: 'zh', now: Date.parse('2025-05-01T10:00:00Z'),
    messageId: 'c1:out:1', dryRun: false, parameters, facts, ...more,
  });
}
const message = (text: string) => ({ message: { text, type: 'text', language: 'zh' } });

/** Nothing a node hands back (note, output) may carry the shop's token. */
function expectNoToken(result: NodeRunResult) {
  expect(JSON.stringify(result)).not.toContain(TOKEN);
}

beforeAll(async () => {
  shop = await startShopifyTestServer({ token: TOKEN, orders: [inTransit, notShipped], failWith: { 999999999: 503 } });
});
afterAll(() => shop.close());

describe('order-status plugin', () => {
  it('definition: three required handles, provides the order fact, is a read', () => {
    const { definition } = orderStatusPlugin;
    expect(definition.handles.map((h) => h.id)).toEqual(['found', 'notFound', 'error']);
    expect(definition.handles.every((h) => h.required)).toBe(true);
    expect(definition.provides?.fact).toBe('order');
    expect(definition.sideEffects).toBe(false);
  });

  it('finds the order numbered in the message (full-width digits too) and provides its delivery status', async () => {
    const result = await lookup({ source: 'message' }, message('我的订单 ４５０７８９４６９ 到哪了？'));
    expect(result).toEqual({
      handle: 'found',
      output: {
        found: true, id: '450789469', name: '#1001', status: 'in_transit',
        carrier: 'SF Express', trackingNumber: 'SF1234567890', updatedAt: '2025-04-29T10:00:00+08:00',
      },
      note: { zh: '订单 #1001：运输中（SF Express）', en: 'Order #1001: in transit (SF Express)' },
    });
    expect(shop.requests.at(-1)).toEqual({
      path: '/admin/api/2024-07/orders/450789469.json?fields=id,name,cancelled_at,fulfillment_status,updated_at,fulfillments', token: TOKEN,
    });
    expectNoToken(result);
  });

  it("looks up the contact's latest order", async () => {
    const orders = [{ id: 450789469, createdAt: '2025-04-20T00:00:00Z' }, { id: '450789470', createdAt: '2025-04-27T00:00:00Z' }, { id: 1, createdAt: '2025-01-01T00:00:00Z' }];
    const result = await lookup({ source: 'lastOrder' }, { contact: { orders } });
    expect(result).toMatchObject({ handle: 'found', output: { id: '450789470', status: 'unfulfilled', carrier: '' } });
  });

  it('leaves through notFound for an order the shop does not have (404)', async () => {
    const result = await lookup({ source: 'message' }, message('order 123456 please'));
    expect(result).toMatchObject({ handle: 'notFound', output: { found: false, id: '123456' } });
  });

  it('leaves through notFound without asking the shop when the message has no order number', async () => {
    const before = shop.requests.length;
    const result = await lookup({ source: 'message' }, message('where is my parcel? call me at 12345'));
    expect(result).toMatchObject({ handle: 'notFound', output: { found: false, id: '' }, note: { en: 'No order number in the message' } });
    expect(shop.requests.length).toBe(before);
  });

  it('leaves through error when the shop refuses the token, without showing it', async () => {
    const result = await lookup({ source: 'message' }, message('450789469'), { orderApi: { url: shop.url, token: 'shpat_wrong' } });
    expect(result).toMatchObject({ handle: 'error', note: { en: 'Order lookup failed: the shop refused the configured access token (401)' } });
    expect(JSON.stringify(result)).not.toContain('shpat_wrong');
  });

  it('throws when the shop is unavailable (503), so the interpreter retries', async () => {
    await expect(lookup({ source: 'message' }, message('999999999'))).rejects.toThrow(/503/);
  });

  it('leaves through error, saying so, when no shop is configured', async () => {
    const result = await lookup({ source: 'message' }, message('450789469'), { orderApi: undefined });
    expect(result).toMatchObject({ handle: 'error', note: { en: expect.stringContaining('ORDER_API_URL') } });
  });

  it('still goes through the net guard: a shop on a private address is refused in production', async () => {
    const result = await lookup({ source: 'message' }, message('450789469'), { http: { allowHosts: [], allowPrivateAddresses: false } });
    expect(result).toMatchObject({ handle: 'error', note: { en: expect.stringContaining('private address') } });
  });

  it('asks the shop in a dry run too: it is a read', async () => {
    const before = shop.requests.length;
    const result = await lookup({ source: 'message' }, message('450789469'), {}, { dryRun: true });
    expect(result.handle).toBe('found');
    expect(shop.requests.length).toBe(before + 1);
  });
});

describe('orderFact', () => {
  const base: ShopifyOrder = { id: 1, name: '#1', fulfillment_status: null, updated_at: '2025-04-01T00:00:00Z', fulfillments: [] };
  const shipment = (shipment_status: string | null, updated_at: string, status = 'success') =>
    ({ status, shipment_status, tracking_company: `carrier ${updated_at}`, tracking_number: 'T', updated_at });

  it.each<[string, ShopifyOrder, string]>([
    ['nothing shipped', base, 'unfulfilled'],
    ['part shipped, no carrier news', { ...base, fulfillment_status: 'partial', fulfillments: [shipment(null, '2025-04-02T00:00:00Z')] }, 'partially_fulfilled'],
    ['label printed only', { ...base, fulfillment_status: 'fulfilled', fulfillments: [shipment('label_printed', '2025-04-02T00:00:00Z')] }, 'fulfilled'],
    ['out for delivery', { ...base, fulfillments: [shipment('out_for_delivery', '2025-04-02T00:00:00Z')] }, 'out_for_delivery'],
    ['picked up by the customer', { ...base, fulfillments: [shipment('picked_up', '2025-04-02T00:00:00Z')] }, 'delivered'],
    ['cancelled', { ...base, cancelled_at: '2025-04-03T00:00:00Z', fulfillments: [shipment('in_transit', '2025-04-02T00:00:00Z')] }, 'cancelled'],
    ['a cancelled fulfillment shipped nothing', { ...base, fulfillments: [shipment('delivered', '2025-04-02T00:00:00Z', 'cancelled')] }, 'unfulfilled'],
    ['a shipment status we do not know', { ...base, fulfillment_status: 'fulfilled', fulfillments: [shipment('teleported', '2025-04-02T00:00:00Z')] }, 'fulfilled'],
  ])('%s → %s', (_name, order, status) => {
    expect(orderFact(order).status).toBe(status);
  });

  it('reports the most recently updated shipment, comparing instants across UTC offsets', () => {
    const order = { ...base, fulfillments: [shipment('delivered', '2025-04-02T09:00:00+08:00'), shipment('in_transit', '2025-04-02T02:00:00Z')] };
    expect(orderFact(order)).toMatchObject({ status: 'in_transit', carrier: 'carrier 2025-04-02T02:00:00Z', updatedAt: '2025-04-02T02:00:00Z' });
  });
});

describe('finding the order number', () => {
  it.each([
    ['订单号 20250501123 到哪了', '20250501123'],
    ['order #12345 and 654321', '654321'],
    ['１２３４５６７', '1234567'],
    ['no number', undefined],
  ])('in %j: %s', (text, expected) => {
    expect(orderNumberIn(text)).toBe(expected);
  });

  it('takes the latest order by createdAt, else the last one listed, skipping non-numeric ids', () => {
    expect(latestOrderId([{ id: 1, createdAt: '2025-02-01' }, { id: 2, createdAt: '2025-01-01' }])).toBe('1');
    expect(latestOrderId([{ id: 1 }, { id: 2 }, { id: 'TB-3' }])).toBe('2');
    expect(latestOrderId('not a list')).toBeUndefined();
  });
});

describe('orderApiConfig', () => {
  it('reads ORDER_API_URL and ORDER_API_TOKEN, both or neither', () => {
    expect(orderApiConfig({})).toBeUndefined();
    expect(orderApiConfig({ ORDER_API_URL: 'https://s.myshopify.com', ORDER_API_TOKEN: 't' })).toEqual({ url: 'https://s.myshopify.com', token: 't' });
    expect(() => orderApiConfig({ ORDER_API_URL: 'https://s.myshopify.com' })).toThrow(/set together/);
  });

  it('a shop URL that is not one fails when the handler is made (worker start), not per conversation', () => {
    expect(() => createOrderStatusHandler({ http: localPolicy, orderApi: { url: 'ftp://shop', token: 't' } })).toThrow(/http\(s\) URL/);
  });
});
