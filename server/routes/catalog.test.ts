// The published unified message schema: served publicly as JSON Schema and
// in the OpenAPI document, self-contained (any JSON Schema 2020-12 validator
// can check messages against it).
import type { AddressInfo } from 'node:net';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unifiedMessageSchema } from '../../activities/unified-message';
import { openApiDocument } from '../openapi';
import { catalogRoutes } from './catalog';

let server: ReturnType<express.Express['listen']>;
let url: string;
beforeAll(async () => {
  const app = express();
  app.use('/api/v1', catalogRoutes((_req, res) => void res.status(401).json({ error: 'sign in' })));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => { await new Promise((resolve) => server.close(resolve)); });

describe('GET /api/v1/schemas/unified-message.json', () => {
  it('serves the schema without sign-in, as application/schema+json', async () => {
    const res = await fetch(`${url}/api/v1/schemas/unified-message.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/schema\+json/);
    expect(await res.json()).toEqual(JSON.parse(JSON.stringify(unifiedMessageSchema)));
  });

  it('is a schema another validator checks messages with', async () => {
    const schema = await (await fetch(`${url}/api/v1/schemas/unified-message.json`)).json() as object;
    const ajv = new Ajv2020({ strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    const voice = {
      id: 'wechat:wx:1', conversationId: 'c', inboxId: 'wx', channel: 'wechat', visitorId: 'o1', direction: 'in', sender: { author: 'visitor', id: 'o1' },
      type: 'voice', text: '查一下订单', transcript: 'provider', media: [{ kind: 'voice', providerMediaId: 'm' }], language: 'zh', providerMessageId: '1', at: '2026-11-27T10:00:00.000Z',
    };
    expect(validate(voice)).toBe(true);
    expect(validate({ ...voice, type: 'hologram' })).toBe(false);
  });

  it('is in the OpenAPI document as a component and a path', () => {
    const doc = openApiDocument('http://localhost:3000');
    expect(doc.components.schemas.UnifiedMessage).toBe(unifiedMessageSchema);
    expect(doc.paths).toHaveProperty(['/api/v1/schemas/unified-message.json']);
  });
});
