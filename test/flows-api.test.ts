// The flows API over HTTP against the real stack (FerretDB; the worker only
// for the one test that starts conversations): drafts, validation, versions,
// rollback, concurrency, inboxes, roles, bad input, catalogs and the simulator.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definitions } from '../activities/registry';
import { defaultFlow } from '../rules/default-flow';
import { factsCatalog } from '../rules/facts';
import type { FlowDefinition } from '../rules/flow';
import { hashToken, newToken } from '../server/auth';
import { waitFor } from './support/env';
import { api, startStack, type Stack } from './support/stack';

const ADMIN_TOKEN = 'test-admin-token-flows-0123456789';
const ANALYST = { _id: 'analyst-mei', name: '陈美 Chen Mei', email: 'mei@huiliu.local', role: 'analyst' as const };
let stack: Stack;
let analyst: string;
let agent: string;

beforeAll(async () => {
  stack = await startStack({ worker: false, adminToken: ADMIN_TOKEN });
  analyst = newToken();
  await stack.store.models.Agent.create({ ...ANALYST, tokenHash: hashToken(analyst) });
  agent = stack.logins['agent-lina'].token;
});
afterAll(async () => { await stack?.stop(); });

const call = (method: string, path: string, body?: unknown, token: string | null = analyst) =>
  api(stack, method, `/api/v1${path}`, { body, ...(token ? { token } : {}) });

const copy = (flow: FlowDefinition): FlowDefinition => structuredClone(flow);

/** The default flow with the bot stricter and a VIP rule first in the router. */
function editedFlow(): FlowDefinition {
  const flow = copy(defaultFlow);
  flow.nodes.find((n) => n.id === 'bot')!.parameters.minConfidence = 0.8;
  const route = flow.nodes.find((n) => n.id === 'route')!.parameters as { rules: unknown[] };
  route.rules.unshift({ name: 'vip-first', priority: 20, conditions: { all: [{ fact: 'contact', path: '$.vip', operator: 'equal', value: true }] }, event: { type: 'queue' } });
  return flow;
}

/** Queue node names a queue that does not exist, and an edge leads nowhere. */
function brokenFlow(): FlowDefinition {
  const flow = copy(defaultFlow);
  flow.nodes.find((n) => n.id === 'queue')!.parameters.queue = 'no-such-queue';
  flow.edges.push({ id: 'e-dangling', from: { nodeId: 'survey', handle: 'next' }, to: { nodeId: 'ghost' } });
  return flow;
}

async function createFlow(name = 'VIP 路由 VIP routing') {
  const res = await call('POST', '/flows', { name });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function saveDraft(id: string, definition: FlowDefinition) {
  const { body: flow } = await call('GET', `/flows/${id}`);
  const res = await call('PUT', `/flows/${id}/draft`, { definition, revision: flow.draftRevision });
  expect(res.status).toBe(200);
  return res.body;
}

const point = (flowId: string, token: string = ADMIN_TOKEN, inbox = 'demo-webchat') => call('PUT', `/inboxes/${inbox}/flow`, { flowId }, token);

async function publish(id: string, message = 'Publish') {
  const res = await call('POST', `/flows/${id}/publish`, { message });
  expect(res.status).toBe(201);
  return res.body.version as number;
}

describe('flows API', () => {
  it('creates a flow whose default draft validates, and lists and reads it', async () => {
    const created = await call('POST', '/flows', { name: '售后 After-sales', description: 'Returns and refunds' });

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: '售后 After-sales', description: 'Returns and refunds', publishedVersion: 0, draftRevision: 1,
      draftUpdatedBy: 'analyst-mei', inboxes: [], draft: defaultFlow, validation: { ok: true, issues: [] },
    });
    const list = (await call('GET', '/flows')).body.flows;
    expect(list).toContainEqual(expect.objectContaining({ id: created.body.id, name: '售后 After-sales', publishedVersion: 0, draftRevision: 1, inboxes: [] }));
    expect(list).toContainEqual(expect.objectContaining({ id: 'default', publishedVersion: 1, inboxes: ['demo-webchat'] }));
    expect((await call('GET', `/flows/${created.body.id}`)).body).toMatchObject({ id: created.body.id, draft: defaultFlow, draftRevision: 1 });
  });

  it('saves a draft at the revision the editor loaded, and refuses a stale save with 409 naming who saved', async () => {
    const id = await createFlow();

    const saved = await call('PUT', `/flows/${id}/draft`, { definition: editedFlow(), revision: 1 });
    const stale = await call('PUT', `/flows/${id}/draft`, { definition: defaultFlow, revision: 1 });

    expect(saved).toMatchObject({ status: 200, body: { draftRevision: 2, draftUpdatedBy: 'analyst-mei', validation: { ok: true } } });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatch(/revision 2 \(saved by 陈美 Chen Mei at .+\), not revision 1/);
    expect(stale.body.details).toMatchObject({ currentRevision: 2, savedBy: 'analyst-mei' });
    expect((await call('GET', `/flows/${id}`)).body).toMatchObject({ draftRevision: 2, draft: editedFlow() });
    // Publishing can name the revision the analyst reviewed, too.
    expect(await call('POST', `/flows/${id}/publish`, { message: 'Old', revision: 1 })).toMatchObject({ status: 409, body: { details: { currentRevision: 2 } } });
    expect(await call('POST', `/flows/${id}/publish`, { message: 'Reviewed', revision: 2 })).toMatchObject({ status: 201, body: { version: 1 } });
  });

  it('opens a flow saved before drafts existed with its published version as the draft, at revision 0', async () => {
    const { Flow, FlowVersion } = stack.store.models;
    // As the seed wrote it then: no draft, no revision.
    await Flow.updateOne({ _id: 'legacy' }, { $setOnInsert: { name: 'Legacy', publishedVersion: 1 } }, { upsert: true, setDefaultsOnInsert: false });
    await FlowVersion.updateOne({ _id: 'legacy@1' }, { $setOnInsert: { flowId: 'legacy', version: 1, definition: editedFlow(), publishedBy: 'seed' } }, { upsert: true });

    const opened = await call('GET', '/flows/legacy');
    const saved = await call('PUT', '/flows/legacy/draft', { definition: defaultFlow, revision: 0 });

    expect(opened.body).toMatchObject({ draftRevision: 0, publishedVersion: 1, draft: editedFlow() });
    expect(saved).toMatchObject({ status: 200, body: { draftRevision: 1 } });
    expect((await call('GET', '/flows/legacy')).body).toMatchObject({ draftRevision: 1, draft: defaultFlow });
  });

  it('accepts exactly one of several saves made at the same moment from the same revision', async () => {
    const id = await createFlow();

    const results = await Promise.all([1, 2, 3, 4, 5].map(() => call('PUT', `/flows/${id}/draft`, { definition: editedFlow(), revision: 1 })));

    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
    expect((await call('GET', `/flows/${id}`)).body.draftRevision).toBe(2);
  });

  it('saves an invalid draft with its issues, validates it the same way, and refuses to publish it (422)', async () => {
    const id = await createFlow();

    const saved = await call('PUT', `/flows/${id}/draft`, { definition: brokenFlow(), revision: 1 });
    const validated = await call('POST', `/flows/${id}/validate`, {});
    const other = await call('POST', `/flows/${id}/validate`, { definition: defaultFlow });
    const published = await call('POST', `/flows/${id}/publish`, { message: 'Try' });

    expect(saved.status).toBe(200);
    expect(saved.body.validation.ok).toBe(false);
    const issues = saved.body.validation.issues;
    expect(issues).toEqual(expect.arrayContaining([
      expect.objectContaining({ code: 'unknown-queue', nodeId: 'queue', pointer: expect.stringMatching(/^\/nodes\/5\/parameters/) }),
      expect.objectContaining({ edgeId: 'e-dangling', pointer: expect.stringMatching(/^\/edges\/9/) }),
    ]));
    for (const issue of issues) expect(issue.message).toEqual({ zh: expect.any(String), en: expect.any(String) });
    expect(validated).toEqual({ status: 200, body: { ok: false, issues } });
    expect(other).toEqual({ status: 200, body: { ok: true, issues: [] } });
    expect(published.status).toBe(422);
    expect(published.body.error).toMatch(/^the draft does not validate: /);
    expect(published.body.details.issues).toEqual(issues);
    expect((await call('GET', `/flows/${id}/versions`)).body.versions).toEqual([]);
    expect((await call('GET', `/flows/${id}`)).body.publishedVersion).toBe(0);
  });

  it('publishes numbered immutable versions, lists them newest first, and diffs them', async () => {
    const id = await createFlow();
    const first = await call('POST', `/flows/${id}/publish`, { message: 'First version' });
    await saveDraft(id, editedFlow());

    const second = await call('POST', `/flows/${id}/publish`, { message: 'VIPs first; stricter bot' });

    expect(first).toMatchObject({ status: 201, body: { version: 1, publishedBy: 'analyst-mei', message: 'First version', rollbackOf: null } });
    expect(second).toMatchObject({ status: 201, body: { version: 2, message: 'VIPs first; stricter bot' } });
    expect(Date.parse(second.body.publishedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect((await call('GET', `/flows/${id}`)).body.publishedVersion).toBe(2);
    const versions = (await call('GET', `/flows/${id}/versions`)).body.versions;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(versions[0]).not.toHaveProperty('definition');
    expect((await call('GET', `/flows/${id}/versions/1`)).body).toMatchObject({ version: 1, definition: defaultFlow });
    expect((await call('GET', `/flows/${id}/versions/2`)).body).toMatchObject({ version: 2, definition: editedFlow() });

    const diff = await call('GET', `/flows/${id}/diff?from=1&to=2`);
    expect(diff.status).toBe(200);
    expect(diff.body).toMatchObject({ from: 1, to: 2 });
    expect(diff.body.diff.nodes.changed.map((c: { nodeId: string }) => c.nodeId).sort()).toEqual(['bot', 'route']);
    expect(diff.body.diff.rules).toEqual([expect.objectContaining({ nodeId: 'route', added: ['vip-first'], removed: [] })]);
    const unchanged = (await call('GET', `/flows/${id}/diff?from=2&to=draft`)).body.diff;
    expect(unchanged).toMatchObject({ nodes: { added: [], removed: [], changed: [] }, edges: { added: [], removed: [], changed: [] }, rules: [] });

    // The list says what is live and whether the draft has unpublished changes, in one request.
    const row = async () => (await call('GET', '/flows')).body.flows.find((f: { id: string }) => f.id === id);
    expect(await row()).toMatchObject({ publishedVersion: 2, draftStatus: 'same', live: { version: 2, publishedBy: 'analyst-mei', message: 'VIPs first; stricter bot' } });
    await saveDraft(id, defaultFlow);
    expect(await row()).toMatchObject({ draftStatus: 'changed' });
    const unpublished = await createFlow('Never published');
    expect((await call('GET', '/flows')).body.flows.find((f: { id: string }) => f.id === unpublished)).toMatchObject({ draftStatus: 'new', live: null });
  });

  it('rolls back by publishing an old version again as a new version with rollbackOf', async () => {
    const id = await createFlow();
    await publish(id);
    await saveDraft(id, editedFlow());
    await publish(id);

    const rolledBack = await call('POST', `/flows/${id}/rollback`, { version: 1 });

    expect(rolledBack).toMatchObject({ status: 201, body: { version: 3, rollbackOf: 1, message: 'Rollback to version 1', publishedBy: 'analyst-mei' } });
    expect((await call('GET', `/flows/${id}/versions/3`)).body.definition).toEqual(defaultFlow);
    // The draft follows the rollback, so the next publish does not bring version 2 back.
    expect((await call('GET', `/flows/${id}`)).body).toMatchObject({ publishedVersion: 3, draft: defaultFlow, draftRevision: 3 });
    expect(await call('POST', `/flows/${id}/rollback`, { version: 3 })).toMatchObject({ status: 409, body: { error: /published version already/ } });
    expect(await call('POST', `/flows/${id}/rollback`, { version: 9, message: 'Back' })).toMatchObject({ status: 422, body: { error: /has no version 9/ } });
  });

  it('refuses to roll back to a version that no longer validates against the records that exist', async () => {
    const id = await createFlow();
    await stack.store.models.Queue.create({ _id: 'night-shift', name: '夜班 Night shift' });
    const flow = copy(defaultFlow);
    flow.nodes.find((n) => n.id === 'queue')!.parameters.queue = 'night-shift';
    await saveDraft(id, flow);
    await publish(id);
    await saveDraft(id, defaultFlow);
    await publish(id);
    await stack.store.models.Queue.deleteOne({ _id: 'night-shift' });

    const res = await call('POST', `/flows/${id}/rollback`, { version: 1 });

    expect(res.status).toBe(422);
    expect(res.body.details.issues).toContainEqual(expect.objectContaining({ code: 'unknown-queue', nodeId: 'queue' }));
    expect((await call('GET', `/flows/${id}`)).body.publishedVersion).toBe(2);
  });

  it('gives publishes at the same moment distinct version numbers and leaves the newest published', async () => {
    const id = await createFlow();

    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => call('POST', `/flows/${id}/publish`, { message: `Race ${n}` })));

    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(results.map((r) => r.body.version).sort()).toEqual([1, 2, 3, 4, 5]);
    expect((await call('GET', `/flows/${id}`)).body.publishedVersion).toBe(5);
    expect((await call('GET', `/flows/${id}/versions`)).body.versions.map((v: { version: number }) => v.version)).toEqual([5, 4, 3, 2, 1]);
  });

  it('keeps both the newest draft and the newest version when saves and publishes race', async () => {
    const id = await createFlow();

    const results = await Promise.all([
      ...[1, 2, 3].map((n) => call('POST', `/flows/${id}/publish`, { message: `Race ${n}` })),
      call('PUT', `/flows/${id}/draft`, { definition: editedFlow(), revision: 1 }),
    ]);

    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 200]);
    expect((await call('GET', `/flows/${id}`)).body).toMatchObject({ publishedVersion: 3, draftRevision: 2, draft: editedFlow() });
  });

  it('points an inbox at a published flow (admin only), and refuses to delete a flow an inbox runs', async () => {
    const id = await createFlow();

    expect(await point(id)).toMatchObject({ status: 409, body: { error: /no published version yet/ } });
    await publish(id);
    expect(await point(id, analyst)).toMatchObject({ status: 403 });
    expect(await point('no-such-flow')).toMatchObject({ status: 422, body: { error: /no flow "no-such-flow"/ } });
    expect(await point(id, ADMIN_TOKEN, 'no-such-inbox')).toMatchObject({ status: 404 });
    try {
      expect(await point(id)).toMatchObject({ status: 200, body: { id: 'demo-webchat', flowId: id, flowVersion: 1 } });
      expect((await call('GET', '/inboxes', undefined, ADMIN_TOKEN)).body.inboxes).toContainEqual(expect.objectContaining({ id: 'demo-webchat', flowId: id, flowVersion: 1 }));
      expect((await call('GET', `/flows/${id}`)).body.inboxes).toEqual(['demo-webchat']);
      expect(await call('DELETE', `/flows/${id}`)).toMatchObject({ status: 409, body: { details: { inboxes: ['demo-webchat'] } } });
    } finally {
      expect((await point('default')).status).toBe(200);
    }

    expect((await call('DELETE', `/flows/${id}`)).status).toBe(204);
    expect(await call('GET', `/flows/${id}`)).toMatchObject({ status: 404, body: { error: `no flow "${id}"` } });
    expect((await call('GET', '/flows')).body.flows.map((f: { id: string }) => f.id)).not.toContain(id);
  });

  it('refuses to point an inbox at a flow whose start node is for other inboxes or channels', async () => {
    const id = await createFlow();
    const restricted = copy(defaultFlow);
    restricted.nodes.find((n) => n.type === 'start')!.parameters = { inboxes: [], channels: ['wechat'] };
    await saveDraft(id, restricted);
    await publish(id);
    expect(await point(id)).toMatchObject({ status: 422, body: { error: /starts only for channels wechat, not webchat/ } });
    restricted.nodes.find((n) => n.type === 'start')!.parameters = { inboxes: ['demo-webchat'], channels: ['webchat'] };
    await saveDraft(id, restricted);
    await publish(id);
    try {
      expect(await point(id)).toMatchObject({ status: 200, body: { flowId: id, flowVersion: 2 } });
    } finally {
      expect((await point('default')).status).toBe(200);
    }
  });

  it('starts new conversations on the flow an inbox now points at; a running one keeps the version it pinned', async () => {
    await stack.startWorker();
    const send = (visitorId: string) =>
      api(stack, 'POST', '/api/v1/webchat/demo-webchat/messages', { body: { visitorId, clientMessageId: randomUUID(), text: '人工' } });
    const pinned = (conversationId: string) => waitFor('the conversation to pin its flow', async () => {
      const { body } = await call('GET', `/conversations/${conversationId}`, undefined, agent);
      return body.flowId && { flowId: body.flowId, flowVersion: body.flowVersion };
    });
    const running = (await send(randomUUID())).body.conversationId;
    expect(await pinned(running)).toEqual({ flowId: 'default', flowVersion: 1 });
    const id = await createFlow();
    await publish(id);

    try {
      expect((await point(id)).status).toBe(200);
      const next = (await send(randomUUID())).body.conversationId;

      expect(await pinned(next)).toEqual({ flowId: id, flowVersion: 1 });
      expect(await pinned(running)).toEqual({ flowId: 'default', flowVersion: 1 });
    } finally {
      expect((await point('default')).status).toBe(200);
    }
  });

  it('lets agents read flows but not change, publish or simulate them', async () => {
    const id = await createFlow();
    const asAgent = (method: string, path: string, body?: unknown) => call(method, path, body, agent);

    expect((await asAgent('GET', '/flows')).status).toBe(200);
    expect((await asAgent('GET', `/flows/${id}`)).status).toBe(200);
    const refused = [
      await asAgent('POST', '/flows', { name: 'Mine' }),
      await asAgent('PUT', `/flows/${id}/draft`, { definition: defaultFlow, revision: 1 }),
      await asAgent('POST', `/flows/${id}/validate`, {}),
      await asAgent('POST', `/flows/${id}/publish`, { message: 'Sneaky' }),
      await asAgent('POST', `/flows/${id}/rollback`, { version: 1 }),
      await asAgent('POST', `/flows/${id}/simulate`, { message: { text: 'hi' }, channel: 'webchat' }),
      await asAgent('DELETE', `/flows/${id}`),
    ];
    for (const res of refused) expect(res).toMatchObject({ status: 403, body: { error: 'this needs the admin or analyst role' } });
    expect(await call('GET', '/flows', undefined, null)).toMatchObject({ status: 401 });
    expect(await call('POST', '/flows', { name: 'By admin' }, ADMIN_TOKEN)).toMatchObject({ status: 201, body: { draftUpdatedBy: 'admin-token' } });
  });

  it('rejects bad input with a 4xx naming what is wrong', async () => {
    const id = await createFlow();
    const cases: [string, Awaited<ReturnType<typeof call>>, number, RegExp][] = [
      ['unknown field', await call('POST', '/flows', { name: 'x', owner: 'me' }), 400, /unknown field "owner"/],
      ['blank name', await call('POST', '/flows', { name: '  ' }), 400, /name is empty/],
      ['definition not an object', await call('POST', '/flows', { name: 'x', definition: [] }), 400, /must be object/],
      ['missing revision', await call('PUT', `/flows/${id}/draft`, { definition: defaultFlow }), 400, /missing field "revision"/],
      ['revision not a number', await call('PUT', `/flows/${id}/draft`, { definition: defaultFlow, revision: '1' }), 400, /must be integer/],
      ['missing message', await call('POST', `/flows/${id}/publish`, {}), 400, /missing field "message"/],
      ['empty message', await call('POST', `/flows/${id}/publish`, { message: '' }), 400, /message is empty/],
      ['message too long', await call('POST', `/flows/${id}/publish`, { message: 'x'.repeat(501) }), 400, /message is longer than 500 characters/],
      ['rollback to version 0', await call('POST', `/flows/${id}/rollback`, { version: 0 }), 400, /must be >= 1/],
      ['bad flow id', await call('GET', '/flows/bad%20id'), 400, /invalid id/],
      ['unknown flow', await call('POST', '/flows/no-such-flow/publish', { message: 'x' }), 404, /no flow "no-such-flow"/],
      ['bad version', await call('GET', `/flows/${id}/versions/first`), 400, /invalid version/],
      ['missing version', await call('GET', `/flows/${id}/versions/7`), 404, /has no version 7/],
      ['diff without to', await call('GET', `/flows/${id}/diff?from=draft`), 400, /missing field "to"/],
      ['diff of a word', await call('GET', `/flows/${id}/diff?from=latest&to=draft`), 400, /must match pattern/],
      ['diff of a missing version', await call('GET', `/flows/${id}/diff?from=3&to=draft`), 404, /has no version 3/],
      ['simulate without channel', await call('POST', `/flows/${id}/simulate`, { message: { text: 'hi' } }), 400, /missing field "channel"/],
      ['simulate at a bad clock', await call('POST', `/flows/${id}/simulate`, { message: { text: 'hi' }, channel: 'webchat', clock: 'noon' }), 400, /must match format "date-time"/],
      ['simulate in French', await call('POST', `/flows/${id}/simulate`, { message: { text: 'hi' }, channel: 'webchat', language: 'fr' }), 400, /allowed values/],
      ['simulate a bad version', await call('POST', `/flows/${id}/simulate`, { message: { text: 'hi' }, channel: 'webchat', version: 'latest' }), 400, /version/],
      ['inbox flow unknown field', await call('PUT', '/inboxes/demo-webchat/flow', { flowId: 'default', force: true }, ADMIN_TOKEN), 400, /unknown field "force"/],
      ['not JSON', await api(stack, 'POST', '/api/v1/flows', { token: analyst, raw: 'name=x', headers: { 'content-type': 'text/plain' } }), 415, /JSON object body/],
    ];
    for (const [name, res, status, error] of cases) {
      expect({ name, status: res.status }).toEqual({ name, status });
      expect(res.body, name).toMatchObject({ error: expect.stringMatching(error) });
      expect(res.body, name).toHaveProperty('details');
    }
    expect((await call('GET', `/flows/${id}`)).body).toMatchObject({ draftRevision: 1, publishedVersion: 0 });
  });

  it('refuses a draft with keys the database cannot store with 400 naming where, and stores an empty key', async () => {
    const id = await createFlow();
    const withKeys = (parameters: Record<string, unknown>) => {
      const flow = copy(defaultFlow);
      flow.nodes[2].parameters = { ...flow.nodes[2].parameters, ...parameters };
      return flow;
    };

    const dollar = await call('PUT', `/flows/${id}/draft`, { definition: withKeys({ extra: [{ $where: 'sleep(1)' }] }), revision: 1 });
    const dot = await call('POST', '/flows', { name: 'Dotted', definition: withKeys({ 'a/b.c': 1 }) });
    const empty = await call('PUT', `/flows/${id}/draft`, { definition: withKeys({ '': 1 }), revision: 1 });

    expect(dollar).toMatchObject({ status: 400, body: { error: /cannot be stored/, details: { pointer: '/nodes/2/parameters/extra/0/$where' } } });
    expect(dot).toMatchObject({ status: 400, body: { details: { pointer: '/nodes/2/parameters/a~1b.c' } } });
    expect(empty).toMatchObject({ status: 200, body: { draftRevision: 2, validation: { ok: false } } });
    expect((await call('GET', `/flows/${id}`)).body.draft).toEqual(withKeys({ '': 1 }));
  });

  it('serves the flow JSON Schema publicly, and node types, facts and operators to anyone signed in', async () => {
    const schema = await fetch(`${stack.url}/api/v1/schemas/flow.json`);
    expect(schema.status).toBe(200);
    expect(schema.headers.get('content-type')).toMatch(/^application\/schema\+json/);
    expect(await schema.json()).toMatchObject({ $id: expect.any(String), required: ['schemaVersion', 'nodes', 'edges'] });

    const { nodeTypes } = (await call('GET', '/node-types', undefined, agent)).body;
    expect(nodeTypes).toContainEqual(expect.objectContaining({ type: 'queue', typeVersion: 1, category: 'routing', superseded: true }));
    expect(nodeTypes).toContainEqual(expect.objectContaining({ type: 'queue', typeVersion: 2, category: 'routing', superseded: false }));
    for (const t of nodeTypes) expect(t.title).toEqual({ zh: expect.any(String), en: expect.any(String) });

    const catalog = (await call('GET', '/facts', undefined, agent)).body;
    expect(catalog.facts).toContainEqual(expect.objectContaining({ fact: 'message', properties: expect.objectContaining({ text: expect.objectContaining({ type: 'string' }) }) }));
    for (const d of definitions.filter((t) => t.provides)) {
      expect(catalog.facts).toContainEqual(expect.objectContaining({ fact: d.provides!.fact, providedBy: expect.arrayContaining([{ type: d.type, typeVersion: d.typeVersion }]) }));
    }
    expect(catalog.facts.filter((f: { providedBy?: unknown }) => !f.providedBy)).toEqual(factsCatalog);
    expect(catalog.operators).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: 'equal', custom: false }),
      expect.objectContaining({ name: 'containsAny', custom: true, description: { zh: expect.any(String), en: expect.any(String) } }),
    ]));
    expect(await call('GET', '/node-types', undefined, null)).toMatchObject({ status: 401 });
    expect(await call('GET', '/facts', undefined, null)).toMatchObject({ status: 401 });
  });

  it('gives the editor pickers the queues, inboxes, FAQ sets, agents and skills that exist', async () => {
    await stack.store.models.Agent.updateOne({ _id: 'agent-wang' }, { $set: { skills: ['billing', 'vip'] } });
    const { status, body } = await call('GET', '/records', undefined, analyst);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      queues: expect.arrayContaining([{ id: 'general', name: expect.any(String) }, { id: 'escalation', name: expect.any(String) }]),
      inboxes: expect.arrayContaining([{ id: 'demo-webchat', name: expect.any(String), channel: 'webchat' }]),
      faqSets: ['default'],
      agents: [{ id: 'agent-lina', name: expect.any(String) }, { id: 'agent-wang', name: expect.any(String) }],
      skills: ['billing', 'vip'],
    });
    expect(JSON.stringify(body)).not.toMatch(/token/i);
    expect(await call('GET', '/records', undefined, null)).toMatchObject({ status: 401 });
  });

  it('lists every flows endpoint in the OpenAPI document', async () => {
    const doc = (await api(stack, 'GET', '/api/v1/openapi.json')).body;

    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
      '/api/v1/flows', '/api/v1/flows/{id}', '/api/v1/flows/{id}/draft', '/api/v1/flows/{id}/validate', '/api/v1/flows/{id}/publish',
      '/api/v1/flows/{id}/rollback', '/api/v1/flows/{id}/versions', '/api/v1/flows/{id}/versions/{n}', '/api/v1/flows/{id}/diff',
      '/api/v1/flows/{id}/simulate', '/api/v1/inboxes/{id}/flow', '/api/v1/schemas/flow.json', '/api/v1/node-types', '/api/v1/facts', '/api/v1/records',
    ]));
    expect(doc.components.schemas.FlowPublishRequest.required).toEqual(['message']);
    expect(doc.paths['/api/v1/flows/{id}/publish'].post.responses).toHaveProperty('422');
  });

  it('simulates the draft or a published version on a sample message, and refuses to simulate an invalid flow', async () => {
    const id = await createFlow();
    await publish(id);
    const sample = { message: { text: '我要转人工' }, channel: 'webchat', inboxId: 'demo-webchat', language: 'zh' };

    const draft = await call('POST', `/flows/${id}/simulate`, sample);
    await saveDraft(id, brokenFlow());
    const invalid = await call('POST', `/flows/${id}/simulate`, sample);
    const published = await call('POST', `/flows/${id}/simulate`, { ...sample, version: 1 });

    expect(draft.status).toBe(200);
    expect(draft.body).toMatchObject({ path: expect.any(Array), facts: expect.any(Object), replies: expect.any(Array), stoppedAt: { reason: 'queued', nodeId: 'queue' } });
    expect(draft.body.path.map((s: { nodeId: string }) => s.nodeId)).toEqual(['start', 'normalize', 'bot', 'route', 'queue']);
    expect(invalid).toMatchObject({ status: 422, body: { error: /^the draft does not validate/, details: { issues: expect.any(Array) } } });
    expect(published).toMatchObject({ status: 200, body: { stoppedAt: { reason: 'queued', nodeId: 'queue' } } });
  });
});
