// The order-status node at run time: finds the order number, asks the shop,
// and keeps the answer as the `order` fact. A read, so it runs in simulations
// too. Permanent trouble (no shop configured, a refused token, a URL the net
// guard refuses) leaves through `error`; what a retry may cure is thrown.
import type { Bilingual, NodeRunResult } from '../../../rules/plugin';
import { NetGuardError } from '../net-guard';
import { factAt } from '../template';
import type { NodeHandler, PluginDeps } from '../types';
import { orderFact, ShopApiError, shopifyClient, STATUS_TITLES, type OrderApiConfig } from './shopify';

export const ORDER_SOURCES = ['message', 'lastOrder'] as const;

export interface OrderStatusDeps extends Pick<PluginDeps, 'http'> {
  /** The shop to ask. Without it every lookup leaves through `error`, saying so. */
  orderApi?: OrderApiConfig;
}

/** The shop from ORDER_API_URL and ORDER_API_TOKEN in an environment object (the worker's process.env): both or neither. */
export function orderApiConfig(env: Record<string, string | undefined>): OrderApiConfig | undefined {
  const { ORDER_API_URL: url, ORDER_API_TOKEN: token } = env;
  if (!url && !token) return undefined;
  if (!url || !token) throw new Error('ORDER_API_URL and ORDER_API_TOKEN must be set together');
  return { url, token };
}

export function createOrderStatusHandler({ http, orderApi }: OrderStatusDeps): NodeHandler {
  const shop = orderApi && shopifyClient(orderApi, http);
  return async ({ parameters, facts }) => {
    const source = parameters.source ?? 'message';
    if (!(ORDER_SOURCES as readonly unknown[]).includes(source)) return failed(`unknown order number source ${String(source)}`);
    if (!shop) return failed('no shop is configured (ORDER_API_URL, ORDER_API_TOKEN)');
    const id = source === 'message' ? orderNumberIn(String(factAt(facts, 'message.text') ?? '')) : latestOrderId(factAt(facts, 'contact.orders'));
    if (!id) {
      return notFound('', source === 'message'
        ? { zh: '消息中没有订单号', en: 'No order number in the message' }
        : { zh: '客户没有订单记录', en: 'The customer has no orders on record' });
    }
    let order;
    try {
      order = await shop.order(id);
    } catch (err) {
      if ((err instanceof NetGuardError && !err.retryable) || err instanceof ShopApiError) return failed(err.message);
      throw err;
    }
    if (!order) return notFound(id, { zh: `商店中没有订单 ${id}`, en: `The shop has no order ${id}` });
    const fact = orderFact(order);
    const label = fact.name || fact.id;
    const { zh, en } = STATUS_TITLES[fact.status];
    return {
      handle: 'found',
      output: fact,
      note: { zh: `订单 ${label}：${zh}${fact.carrier ? `（${fact.carrier}）` : ''}`, en: `Order ${label}: ${en}${fact.carrier ? ` (${fact.carrier})` : ''}` },
    };
  };
}

/** The first number of six or more digits; NFKC first, so full-width digits typed on Chinese keyboards count. */
export function orderNumberIn(text: string): string | undefined {
  return /\d{6,}/.exec(text.normalize('NFKC'))?.[0];
}

/**
 * The id of the contact's latest order: entries are `{id, createdAt?}`; the
 * latest `createdAt` wins, and without dates the last entry. Only numeric ids
 * are Shopify order ids; other entries are skipped.
 */
export function latestOrderId(orders: unknown): string | undefined {
  if (!Array.isArray(orders)) return undefined;
  let latest: { id: string; at: number } | undefined;
  for (const entry of orders as { id?: unknown; createdAt?: unknown }[]) {
    const id = String(entry?.id ?? '');
    if (!/^\d+$/.test(id)) continue;
    const at = Date.parse(String(entry.createdAt ?? '')) || 0;
    if (!latest || at >= latest.at) latest = { id, at };
  }
  return latest?.id;
}

function notFound(id: string, note: Bilingual): NodeRunResult {
  return { handle: 'notFound', output: { found: false, id }, note };
}

function failed(message: string): NodeRunResult {
  return { handle: 'error', note: { zh: `查询订单失败：${message}`, en: `Order lookup failed: ${message}` } };
}
