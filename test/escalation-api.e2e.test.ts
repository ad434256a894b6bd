// Escalation, SLA calendars and surveys over HTTP against the real stack:
// admins give queues business hours, agents ask for a rating mid-conversation,
// supervisors see agents' CSAT, the alerts escalation steps raise and the
// messages customers leave for a call back.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalationActivities } from '../activities/escalation';
import { waitFor } from './support/env';
import { api, startStack, type Stack } from './support/stack';

let stack: Stack;
let admin: string;
let supervisor: string;
let lina: string;
beforeAll(async () => {
  stack = await startStack();
  admin = stack.logins.admin.token;
  supervisor = stack.logins['sup-liu'].token;
  lina = stack.logins['agent-lina'].token;
});
afterAll(async () => { await stack?.stop(); });

const call = (method: string, path: string, token: string, body?: unknown) => api(stack, method, `/api/v1${path}`, { token, body });
const send = (visitorId: string, text: string) =>
  api(stack, 'POST', '/api/v1/webchat/demo-webchat/messages', { body: { visitorId, clientMessageId: randomUUID(), text } });
const conversation = async (id: string) => (await call('GET', `/conversations/${id}`, admin)).body;

describe('queue business hours (admin)', () => {
  it('sets, shows and clears them; refuses an unknown time zone and hours that never open', async () => {
    const hours = { days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' };
    const set = await call('PUT', '/queues/after-sales', admin, { sla: { firstResponseSeconds: 300 }, businessHours: hours, timeZone: 'Asia/Shanghai', holidays: ['2027-01-01'] });
    expect(set).toMatchObject({ status: 201, body: { businessHours: hours, timeZone: 'Asia/Shanghai', holidays: ['2027-01-01'], sla: { firstResponseSeconds: 300 } } });

    const zone = await call('PUT', '/queues/after-sales', admin, { timeZone: 'Mars/Olympus' });
    expect(zone).toMatchObject({ status: 400, body: { error: expect.stringMatching(/unknown time zone "Mars\/Olympus"/), details: { field: 'timeZone' } } });
    const never = await call('PUT', '/queues/after-sales', admin, { businessHours: { days: [1], from: '09:00', to: '09:00' } });
    expect(never).toMatchObject({ status: 400, body: { details: { field: 'businessHours' } } });
    for (const body of [{ businessHours: { days: [8], from: '09:00', to: '18:00' } }, { businessHours: { days: [1], from: '9am', to: '18:00' } }, { holidays: ['next monday'] }]) {
      expect((await call('PUT', '/queues/after-sales', admin, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await call('PUT', '/queues/after-sales', admin, { businessHours: null })).body).toMatchObject({ businessHours: null, holidays: ['2027-01-01'] });
  });
});

describe('surveys', () => {
  it('the agent asks for a rating mid-conversation; the rating counts in their CSAT', async () => {
    expect((await call('POST', '/me/status', lina, { status: 'online' })).status).toBe(200);
    const visitor = randomUUID();
    const { body: { conversationId } } = await send(visitor, '人工');
    await waitFor('offered to Lina', async () => (await conversation(conversationId)).agentId === 'agent-lina');

    const early = await call('POST', `/conversations/${conversationId}/survey`, lina);
    expect(early).toMatchObject({ status: 409, body: { error: expect.stringMatching(/accept/) } });
    expect((await call('POST', `/conversations/${conversationId}/accept`, lina)).status).toBe(200);
    expect((await call('POST', `/conversations/${conversationId}/survey`, stack.logins['analyst-zhao'].token)).status).toBe(403);
    expect((await call('POST', `/conversations/${randomUUID()}/survey`, lina)).status).toBe(404);

    const asked = await call('POST', `/conversations/${conversationId}/survey`, lina);
    expect(asked.status).toBe(200);
    const question = asked.body.messages.at(-1);
    expect(question).toMatchObject({ kind: 'survey', text: '请为本次服务打分：回复 1–5（5 为非常满意）。' });
    expect(question.choices.map((c: { label: string }) => c.label)).toEqual(['1 非常不满意', '2 不满意', '3 一般', '4 满意', '5 非常满意']);

    await send(visitor, '5 非常满意');
    const rated = await waitFor('rated', async () => (await conversation(conversationId)).survey);
    expect(rated).toMatchObject({ rating: 5, status: 'answered', agentId: 'agent-lina', servedBy: ['agent-lina'], trigger: 'agent' });
    expect((await call('POST', `/conversations/${conversationId}/survey`, admin))).toMatchObject({ status: 409, body: { error: expect.stringMatching(/rated this conversation already/) } });

    const agents = (await call('GET', '/supervisor/agents', supervisor)).body.agents;
    expect(agents.find((a: { id: string }) => a.id === 'agent-lina').csat).toEqual({ ratings: 1, average: 5 });
    expect(agents.find((a: { id: string }) => a.id === 'agent-wang').csat).toEqual({ ratings: 0, average: null });
  });
});

describe('alerts and callbacks (supervisor)', () => {
  it('lists what escalation steps raised and what customers left, and marks them handled', async () => {
    const ref = { conversationId: 'conv-esc-1', inboxId: 'demo-webchat', channel: 'webchat', visitorId: 'v-esc-1' };
    const escalation = escalationActivities(stack.store.models);
    const { alertId } = await escalation.notifySupervisors({ ...ref, nodeId: 'urgent', queue: 'general', waitedSeconds: 190, at: Date.now() });
    const { callbackId } = await escalation.requestCallback({ ...ref, nodeId: 'leave-message', queue: 'general', text: 'Call me on +44 20 7946 0958 please', at: Date.now() });

    const alerts = (await call('GET', '/supervisor/alerts', supervisor)).body.alerts;
    expect(alerts).toEqual([expect.objectContaining({ id: alertId, conversationId: 'conv-esc-1', queue: 'general', reason: { zh: expect.stringContaining('约 3 分钟'), en: expect.stringContaining('about 3 min') }, acknowledgedAt: null })]);
    expect((await call('POST', `/supervisor/alerts/${alertId}/acknowledge`, supervisor)).body).toMatchObject({ id: alertId, acknowledgedBy: 'sup-liu' });
    expect((await call('GET', '/supervisor/alerts', supervisor)).body.alerts).toEqual([]);
    expect((await call('GET', '/supervisor/alerts?all=true', supervisor)).body.alerts).toHaveLength(1);

    const callbacks = (await call('GET', '/supervisor/callbacks', supervisor)).body.callbacks;
    expect(callbacks).toEqual([expect.objectContaining({ id: callbackId, phone: '+442079460958', status: 'open', text: 'Call me on +44 20 7946 0958 please' })]);
    expect((await call('POST', `/supervisor/callbacks/${callbackId}/done`, supervisor)).body).toMatchObject({ status: 'done', doneBy: 'sup-liu' });
    expect((await call('GET', '/supervisor/callbacks', supervisor)).body.callbacks).toEqual([]);

    expect((await call('POST', '/supervisor/callbacks/nope/done', supervisor)).status).toBe(404);
    expect((await call('GET', '/supervisor/callbacks', lina)).status).toBe(403);
  });
});
