// A loopback TCP proxy that holds back what clients send by `delayMs`, in
// order: a slow Temporal (or database) for fault tests, without touching it.
import net from 'node:net';

export interface DelayProxy {
  /** host:port to connect to instead of the target. */
  address: string;
  /** Delay for bytes sent from now on (0: none); bytes already held keep their order. */
  delayMs: number;
  close(): Promise<void>;
}

export async function startDelayProxy(target: string): Promise<DelayProxy> {
  const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(port, host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
      s.once('error', () => { client.destroy(); upstream.destroy(); });
    }
    upstream.pipe(client);
    // Each chunk leaves at its arrival plus the delay, and never before the one ahead of it.
    let ahead = Promise.resolve();
    client.on('data', (chunk) => {
      const due = Date.now() + proxy.delayMs;
      ahead = ahead.then(() => new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())))).then(() => { upstream.write(chunk); });
    });
    client.once('end', () => { void ahead.then(() => upstream.end()); });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxy: DelayProxy = {
    address: `127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    delayMs: 0,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
