// Test support: a local shop on 127.0.0.1 that speaks Shopify's documented
// "Retrieve a specific order" endpoint (GET /admin/api/2024-07/orders/{id}.json,
// X-Shopify-Access-Token, `fields`, 401/404 bodies as Shopify sends them), so the
// plugins are tested against the protocol rather than a mock of our own code.
import { once } from 'node:events';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SHOPIFY_API_VERSION, type ShopifyOrder } from './shopify';

export interface LocalServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

/** An HTTP server on a free port of 127.0.0.1. */
export async function listenLocal(handler: RequestListener): Promise<LocalServer> {
  const server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections(); // requests a test left hanging on purpose
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export interface ShopifyTestServer extends LocalServer {
  /** Every request, in order, as the shop saw it. */
  requests: { path: string; token?: string }[];
}

const ORDER_PATH = new RegExp(`^/admin/api/${SHOPIFY_API_VERSION}/orders/(\\d+)\\.json$`);

export async function startShopifyTestServer(options: {
  token: string;
  orders: ShopifyOrder[];
  /** Order ids answered with this status instead (a shop that is down, rate limiting...). */
  failWith?: Record<string, number>;
}): Promise<ShopifyTestServer> {
  const requests: ShopifyTestServer['requests'] = [];
  const server = await listenLocal((req, res) => {
    const url = new URL(req.url ?? '/', 'http://shop');
    const token = req.headers['x-shopify-access-token'] as string | undefined;
    requests.push({ path: `${url.pathname}${url.search}`, token });
    const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));

    if (token !== options.token) return send(401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
    const id = ORDER_PATH.exec(url.pathname)?.[1];
    const order = options.orders.find((o) => String(o.id) === id);
    if (req.method !== 'GET' || !id) return send(404, { errors: 'Not Found' });
    if (options.failWith?.[id]) return send(options.failWith[id], { errors: 'Service Unavailable' });
    if (!order) return send(404, { errors: 'Not Found' });
    // `fields` narrows the order to the named top-level properties, as Shopify does.
    const fields = url.searchParams.get('fields')?.split(',');
    send(200, { order: fields ? Object.fromEntries(Object.entries(order).filter(([key]) => fields.includes(key))) : order });
  });
  return { ...server, requests };
}
