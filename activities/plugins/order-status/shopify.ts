// The shop side of order-status: Shopify's Admin REST API, "Retrieve a specific
// order" (GET /admin/api/2024-07/orders/{id}.json, header X-Shopify-Access-Token),
// and the mapping from its order to the `order` fact.
import type { Bilingual } from '../../../rules/plugin';
import { guardedRequest, isRetryableStatus } from '../net-guard';
import type { HttpPolicy } from '../types';

export const SHOPIFY_API_VERSION = '2024-07';

/** Where the shop is and the token for it: platform configuration, never part of a flow. */
export interface OrderApiConfig {
  /** The shop's base URL, e.g. `https://example.myshopify.com` (ORDER_API_URL). */
  url: string;
  /** An Admin API access token with read_orders (ORDER_API_TOKEN). Sent only in its header; never logged or shown. */
  token: string;
}

export interface ShopifyFulfillment {
  status?: string;
  shipment_status?: string | null;
  tracking_company?: string | null;
  tracking_number?: string | null;
  updated_at?: string;
}

export interface ShopifyOrder {
  id: number | string;
  name?: string;
  cancelled_at?: string | null;
  fulfillment_status?: string | null;
  updated_at?: string;
  fulfillments?: ShopifyFulfillment[];
}

/** Only what the fact needs, so a large order stays far below the size cap. */
const FIELDS = 'id,name,cancelled_at,fulfillment_status,updated_at,fulfillments';
const TIMEOUT_MS = 5000;
const MAX_RESPONSE_BYTES = 256 * 1024;

/** A shop answer no retry changes (a refused token, a malformed order). */
export class ShopApiError extends Error {
  override name = 'ShopApiError';
}

/**
 * A client for one shop. The shop's host joins the allow-list (an operator
 * configured it, not an analyst), but its addresses are still vetted. Throws
 * at once when the configured URL is not one, so a worker fails at start.
 */
export function shopifyClient(api: OrderApiConfig, policy: HttpPolicy) {
  const base = URL.parse(api.url);
  if (base?.protocol !== 'https:' && base?.protocol !== 'http:') throw new Error('ORDER_API_URL must be an http(s) URL');
  const shopPolicy: HttpPolicy = { ...policy, allowHosts: [...policy.allowHosts, base.hostname] };
  const prefix = `${base.origin}${base.pathname.replace(/\/+$/, '')}/admin/api/${SHOPIFY_API_VERSION}/orders/`;

  return {
    /** The order, or null when the shop has none with this id. Throws NetGuardError, ShopApiError (permanent) or Error (retryable). */
    async order(id: string): Promise<ShopifyOrder | null> {
      const response = await guardedRequest({
        method: 'GET',
        url: `${prefix}${encodeURIComponent(id)}.json?fields=${FIELDS}`,
        headers: { 'x-shopify-access-token': api.token, accept: 'application/json' },
        timeoutMs: TIMEOUT_MS,
        maxResponseBytes: MAX_RESPONSE_BYTES,
      }, shopPolicy);
      const { status } = response;
      if (status === 404) return null;
      if (isRetryableStatus(status)) throw new Error(`the shop answered ${status} for an order lookup`);
      if (status === 401 || status === 403) throw new ShopApiError(`the shop refused the configured access token (${status})`);
      if (status !== 200) throw new ShopApiError(`the shop answered ${status} for an order lookup`);
      let order: unknown;
      try {
        order = (JSON.parse(response.body.toString('utf8')) as { order?: unknown }).order;
      } catch {
        throw new ShopApiError('the shop answered with something that is not JSON');
      }
      if (!order || typeof order !== 'object' || !('id' in order)) throw new ShopApiError('the shop answered without an order');
      return order as ShopifyOrder;
    },
  };
}

export const ORDER_STATUSES = [
  'unfulfilled', 'partially_fulfilled', 'fulfilled', 'in_transit', 'out_for_delivery',
  'attempted_delivery', 'ready_for_pickup', 'delayed', 'delivered', 'failure', 'cancelled',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const STATUS_TITLES: Record<OrderStatus, Bilingual> = {
  unfulfilled: { zh: '待发货', en: 'not shipped yet' },
  partially_fulfilled: { zh: '部分发货', en: 'partly shipped' },
  fulfilled: { zh: '已发货', en: 'shipped' },
  in_transit: { zh: '运输中', en: 'in transit' },
  out_for_delivery: { zh: '派送中', en: 'out for delivery' },
  attempted_delivery: { zh: '派送未成功', en: 'delivery attempted' },
  ready_for_pickup: { zh: '待取件', en: 'ready for pickup' },
  delayed: { zh: '延误', en: 'delayed' },
  delivered: { zh: '已签收', en: 'delivered' },
  failure: { zh: '配送失败', en: 'delivery failed' },
  cancelled: { zh: '已取消', en: 'cancelled' },
};

/** Carrier updates (a fulfillment's shipment_status) that name a stage of their own; the label and confirmation stages are just "shipped". */
const SHIPMENT_STATUS = new Map<string, OrderStatus>([
  ['carrier_picked_up', 'in_transit'],
  ['in_transit', 'in_transit'],
  ['out_for_delivery', 'out_for_delivery'],
  ['attempted_delivery', 'attempted_delivery'],
  ['ready_for_pickup', 'ready_for_pickup'],
  ['delayed', 'delayed'],
  ['delivered', 'delivered'],
  ['picked_up', 'delivered'], // collected by the customer
  ['failure', 'failure'],
]);

/** Fulfillments that shipped nothing. */
const VOID_FULFILLMENT = new Set(['cancelled', 'error', 'failure']);

// A type, not an interface: node outputs are plain records.
export type OrderFact = {
  found: boolean;
  id: string;
  name: string;
  status: OrderStatus;
  carrier: string;
  trackingNumber: string;
  updatedAt: string;
};

/** The `order` fact: the latest live shipment's carrier stage, else what the order itself says. */
export function orderFact(order: ShopifyOrder): OrderFact {
  // Timestamps carry the shop's UTC offset, so compare instants, not strings; on a tie the later one in the list wins.
  const at = (f: ShopifyFulfillment) => Date.parse(f.updated_at ?? '') || 0;
  const shipment = (order.fulfillments ?? [])
    .filter((f) => !VOID_FULFILLMENT.has(f.status ?? ''))
    .reduce<ShopifyFulfillment | undefined>((latest, f) => (!latest || at(f) >= at(latest) ? f : latest), undefined);
  const shipped: OrderStatus = order.fulfillment_status === 'partial' ? 'partially_fulfilled' : 'fulfilled';
  let status: OrderStatus;
  if (order.cancelled_at) status = 'cancelled';
  else if (shipment) status = SHIPMENT_STATUS.get(shipment.shipment_status ?? '') ?? shipped;
  else status = order.fulfillment_status === 'partial' || order.fulfillment_status === 'fulfilled' ? shipped : 'unfulfilled';
  return {
    found: true,
    id: String(order.id),
    name: order.name ?? '',
    status,
    carrier: shipment?.tracking_company ?? '',
    trackingNumber: shipment?.tracking_number ?? '',
    updatedAt: shipment?.updated_at ?? order.updated_at ?? '',
  };
}
