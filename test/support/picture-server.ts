// A local web server with pictures for the senders that upload them (WeChat,
// WeCom): a PNG whose bytes hold CRLFs and dashes (they must survive the
// upload's form), a PNG one byte over a limit, a page that is not a picture,
// a busy host, and 404 for anything else.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(4000), Buffer.from('\r\n--\r\n')]);

/** `hugeBytes`: the size of /huge.png. */
export async function startPictureServer(hugeBytes: number): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    if (req.url === '/logo.png') return void res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
    if (req.url === '/huge.png') return void res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(hugeBytes));
    if (req.url === '/page') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>');
    if (req.url === '/busy') return void res.writeHead(503).end();
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); }),
  };
}
