// Routing: admins set agents' routing profiles (skills, languages, channels,
// capacity, teams) and queues' requirement and strategy; supervisors watch the
// queues and agents and move a waiting conversation to an agent or a queue.
// A supervisor's move is an ops reroute (server/ops/service.ts), so it is
// audited like an operator's.
import { Router } from 'express';
import { channelCapacityOf, GENERAL_POOL, parseSkill, poolOf } from '../../activities/agent-profiles';
import { parseRequirement } from '../../activities/routing/expression';
import { trusted } from '../../activities/store';
import type { AgentDoc } from '../../activities/store/models';
import type { AppDeps } from '../app';
import type { Principal } from '../auth';
import { AppError } from '../errors';
import type { OpsService } from '../ops/service';
import { DEFAULT_TIME_ZONE } from '../../rules/facts';
import { businessHours } from '../../rules/operators';
import { idParam, validate } from '../schemas';

interface AgentRoutingRequest {
  skills?: string[];
  languages?: string[];
  channels?: string[];
  teams?: string[];
  capacity?: number;
  channelCapacity?: Record<string, number>;
}

interface QueueRequest {
  name?: string;
  requirement?: string;
  strategy?: string;
  offerTimeoutSeconds?: number;
  stickyWindowHours?: number;
  silenceReassignMinutes?: number;
  sla?: Record<string, number>;
  businessHours?: { days: number[]; from: string; to: string } | null;
  timeZone?: string;
  holidays?: string[];
}

interface ReassignRequest { agentId?: string; queue?: string; note?: string }

interface QueueFields {
  _id: string; name: string; requirement?: string | null; strategy?: string | null;
  offerTimeoutSeconds?: number | null; stickyWindowHours?: number | null; silenceReassignMinutes?: number | null; sla?: object | null;
  businessHours?: unknown; timeZone?: string | null; holidays?: string[] | null;
}


function profileView(a: AgentDoc) {
  return {
    id: a._id, name: a.name, status: a.status ?? 'offline',
    skills: a.skills ?? [], languages: a.languages ?? [], channels: a.channels ?? [], teams: a.teams ?? [],
    capacity: a.capacity ?? 0, channelCapacity: channelCapacityOf(a),
  };
}

function queueView(q: QueueFields) {
  return {
    id: q._id, name: q.name, requirement: q.requirement ?? null, strategy: q.strategy ?? 'least-busy',
    offerTimeoutSeconds: q.offerTimeoutSeconds ?? 30, stickyWindowHours: q.stickyWindowHours ?? 168, silenceReassignMinutes: q.silenceReassignMinutes ?? 0, sla: q.sla ?? {},
    businessHours: q.businessHours ?? null, timeZone: q.timeZone ?? DEFAULT_TIME_ZONE, holidays: q.holidays ?? [],
  };
}

/** A time zone this runtime knows, or a 400 naming it. */
function knownTimeZone(timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    throw new AppError(400, `timeZone: unknown time zone "${timeZone}" (use an IANA name such as Asia/Shanghai)`, { field: 'timeZone' });
  }
}

/** PUT /api/v1/agents/{id}/routing (admin). */
export function agentRoutingRoutes({ models }: AppDeps): Router {
  const r = Router();
  r.put('/:id/routing', validate('AgentRoutingRequest'), async (req, res) => {
    const id = idParam(req, 'id');
    const body = req.body as AgentRoutingRequest;
    const set: Record<string, unknown> = {};
    const unset: Record<string, 1> = {};
    for (const key of ['skills', 'languages', 'channels', 'teams', 'capacity'] as const) {
      if (body[key] !== undefined) set[key] = body[key];
    }
    if (body.channelCapacity !== undefined) {
      if (Object.keys(body.channelCapacity).length > 0) set.channelCapacity = body.channelCapacity;
      else unset.channelCapacity = 1;
    }
    const update = { ...(Object.keys(set).length ? { $set: set } : {}), ...(Object.keys(unset).length ? { $unset: unset } : {}) };
    const found = Object.keys(update).length
      ? await models.Agent.findOneAndUpdate({ _id: id, role: 'agent' }, update, { returnDocument: 'after' }).lean()
      : await models.Agent.findOne({ _id: id, role: 'agent' }).lean();
    if (!found) throw new AppError(404, `no agent "${id}"`, { id });
    res.json(profileView(found as AgentDoc));
  });
  return r;
}

/** PUT /api/v1/queues/{id} (admin): creates or updates a queue. */
export function queueRoutes({ models }: AppDeps): Router {
  const r = Router();
  r.put('/:id', validate('QueueRequest'), async (req, res) => {
    const id = idParam(req, 'id');
    const body = req.body as QueueRequest;
    const set: Record<string, unknown> = {};
    const unset: Record<string, 1> = {};
    if (body.requirement !== undefined) {
      const requirement = body.requirement.trim();
      if (requirement === '') {
        unset.requirement = 1;
      } else {
        const parsed = parseRequirement(requirement);
        if (!parsed.ok) throw new AppError(400, `requirement: ${parsed.error}`, { field: 'requirement', error: parsed.error, position: parsed.position });
        set.requirement = requirement;
      }
    }
    for (const key of ['name', 'strategy', 'offerTimeoutSeconds', 'stickyWindowHours', 'silenceReassignMinutes', 'sla', 'holidays'] as const) {
      if (body[key] !== undefined) set[key] = body[key];
    }
    if (body.businessHours === null) unset.businessHours = 1;
    else if (body.businessHours !== undefined) {
      if (!businessHours(body.businessHours)) throw new AppError(400, 'businessHours: opening and closing time are the same', { field: 'businessHours' });
      set.businessHours = body.businessHours;
    }
    if (body.timeZone !== undefined) set.timeZone = knownTimeZone(body.timeZone);
    const existed = await models.Queue.exists({ _id: id });
    const update = {
      ...(Object.keys(set).length ? { $set: set } : {}),
      ...(Object.keys(unset).length ? { $unset: unset } : {}),
      ...(set.name === undefined ? { $setOnInsert: { name: id } } : {}),
    };
    const queue = await models.Queue.findOneAndUpdate({ _id: id }, update, { returnDocument: 'after', upsert: true, setDefaultsOnInsert: true }).lean();
    res.status(existed ? 200 : 201).json(queueView(queue as QueueFields));
  });
  return r;
}

/** /api/v1/supervisor (supervisor or admin): the queues, the agents, and moving a waiting conversation. */
export function supervisorRoutes({ models }: AppDeps, ops: OpsService): Router {
  const r = Router();

  // Waiting: queued, or offered to an agent who has not accepted yet.
  r.get('/queues', async (_req, res) => {
    const now = Date.now();
    const [queues, open] = await Promise.all([
      models.Queue.find().sort({ _id: 1 }).lean(),
      models.Conversation.find(trusted({ status: { $in: ['queued' as const, 'assigned' as const] } })).lean(),
    ]);
    const waiting = open
      .filter((c) => c.status === 'queued' || !c.acceptedAt)
      .sort((a, b) => (a.queuedAt?.getTime() ?? 0) - (b.queuedAt?.getTime() ?? 0) || a._id.localeCompare(b._id));
    const items = (queue: string) => waiting.filter((c) => (c.queue ?? '') === queue).map((c) => ({
      id: c._id, workflowId: c.workflowId, inboxId: c.inboxId, channel: c.channel, language: c.language ?? null,
      priority: c.priority ?? 0, escalated: c.escalated ?? false,
      queuedAt: c.queuedAt?.toISOString() ?? null,
      waitedSeconds: c.queuedAt ? Math.max(0, Math.floor((now - c.queuedAt.getTime()) / 1000)) : 0,
      agentId: c.status === 'assigned' ? (c.agentId ?? null) : null,
      offeredAt: c.status === 'assigned' ? (c.offeredAt?.toISOString() ?? null) : null,
      declinedBy: c.declinedBy ?? [],
      slaBreached: c.slaBreached ?? false,
    }));
    const counts = (list: { agentId: string | null; slaBreached: boolean }[]) => ({
      waiting: list.length, queued: list.filter((c) => !c.agentId).length, offered: list.filter((c) => c.agentId).length,
      slaBreached: list.filter((c) => c.slaBreached).length,
    });
    const configured = new Set(queues.map((q) => q._id));
    // Conversations in a queue a flow names but nobody configured still show, under that name.
    const unconfigured = [...new Set(waiting.map((c) => c.queue ?? '').filter((q) => !configured.has(q)))].sort();
    const result = [
      ...queues.map((q) => ({ ...queueView(q as QueueFields), configured: true })),
      ...unconfigured.map((q) => ({ id: q, name: q, requirement: null, strategy: null, offerTimeoutSeconds: null, stickyWindowHours: null, silenceReassignMinutes: null, sla: null, configured: false })),
    ].map((q) => {
      const conversations = items(q.id);
      return { ...q, counts: counts(conversations), waiting: conversations };
    });
    const all = result.flatMap((q) => q.waiting);
    res.json({ queues: result, counts: counts(all), generatedAt: new Date(now).toISOString() });
  });

  r.get('/agents', async (_req, res) => {
    const agents = (await models.Agent.find({ role: 'agent' }).sort({ _id: 1 }).lean()) as AgentDoc[];
    const ids = agents.map((a) => a._id);
    const [seats, open, ratings] = await Promise.all([
      models.Seat.find(trusted({ agentId: { $in: ids } })).lean(),
      models.Conversation.find(trusted({ agentId: { $in: ids }, status: 'assigned' as const })).select('_id agentId acceptedAt').lean(),
      models.Survey.find({ status: 'answered' }).select('agentId rating').lean(),
    ]);
    const csatOf = (agentId: string) => {
      const mine = ratings.filter((s) => s.agentId === agentId && typeof s.rating === 'number').map((s) => s.rating!);
      return { ratings: mine.length, average: mine.length ? Math.round((mine.reduce((a, b) => a + b, 0) / mine.length) * 100) / 100 : null };
    };
    res.json({
      agents: agents.map((a) => {
        const own = channelCapacityOf(a);
        const capacity: Record<string, number> = { [GENERAL_POOL]: a.capacity ?? 0, ...own };
        const load: Record<string, number> = Object.fromEntries(Object.keys(capacity).map((pool) => [pool, 0]));
        for (const seat of seats.filter((s) => s.agentId === a._id)) {
          const pool = seat.channel ? poolOf(a, seat.channel) : GENERAL_POOL;
          load[pool] = (load[pool] ?? 0) + 1;
        }
        const free = Object.fromEntries(Object.entries(capacity).map(([pool, n]) => [pool, Math.max(0, n - (load[pool] ?? 0))]));
        const mine = open.filter((c) => c.agentId === a._id).sort((x, y) => x._id.localeCompare(y._id));
        return {
          id: a._id, name: a.name, status: a.status ?? 'offline',
          skills: (a.skills ?? []).map(parseSkill), languages: a.languages ?? [], channels: a.channels ?? [], teams: a.teams ?? [],
          capacity: a.capacity ?? 0, channelCapacity: own,
          load, free,
          conversations: mine.map((c) => c._id),
          offered: mine.filter((c) => !c.acceptedAt).map((c) => c._id),
          lastAssignedAt: a.lastAssignedAt?.toISOString() ?? null,
          csat: csatOf(a._id),
        };
      }),
    });
  });

  // What escalation steps asked supervisors to look at, newest first; open ones unless `all`.
  r.get('/alerts', async (req, res) => {
    const all = req.query.all === 'true';
    const alerts = await models.Alert.find(all ? {} : { acknowledgedAt: null }).sort({ at: -1 }).limit(200).lean();
    res.json({
      alerts: alerts.map((a) => ({
        id: a._id, conversationId: a.conversationId, inboxId: a.inboxId ?? null, channel: a.channel ?? null, queue: a.queue ?? null, nodeId: a.nodeId ?? null,
        reason: a.reason, at: a.at.toISOString(), acknowledgedBy: a.acknowledgedBy ?? null, acknowledgedAt: a.acknowledgedAt?.toISOString() ?? null,
      })),
    });
  });

  r.post('/alerts/:id/acknowledge', async (req, res) => {
    const id = idParam(req, 'id');
    const by = (res.locals.principal as Principal).id;
    const alert = await models.Alert.findOneAndUpdate({ _id: id }, { $set: { acknowledgedBy: by, acknowledgedAt: new Date() } }, { returnDocument: 'after' }).lean();
    if (!alert) throw new AppError(404, `no alert "${id}"`, { id });
    res.json({ id, acknowledgedBy: alert.acknowledgedBy, acknowledgedAt: alert.acknowledgedAt?.toISOString() });
  });

  // Messages customers left for a call back, oldest first; open ones unless `all`.
  r.get('/callbacks', async (req, res) => {
    const all = req.query.all === 'true';
    const callbacks = await models.Callback.find(all ? {} : { status: 'open' }).sort({ at: 1 }).limit(500).lean();
    res.json({
      callbacks: callbacks.map((c) => ({
        id: c._id, conversationId: c.conversationId, inboxId: c.inboxId, channel: c.channel, visitorId: c.visitorId, queue: c.queue ?? null,
        text: c.text ?? '', phone: c.phone ?? null, status: c.status, at: c.at.toISOString(), doneBy: c.doneBy ?? null, doneAt: c.doneAt?.toISOString() ?? null,
      })),
    });
  });

  r.post('/callbacks/:id/done', async (req, res) => {
    const id = idParam(req, 'id');
    const by = (res.locals.principal as Principal).id;
    const callback = await models.Callback.findOneAndUpdate({ _id: id }, { $set: { status: 'done', doneBy: by, doneAt: new Date() } }, { returnDocument: 'after' }).lean();
    if (!callback) throw new AppError(404, `no callback "${id}"`, { id });
    res.json({ id, status: callback.status, doneBy: callback.doneBy, doneAt: callback.doneAt?.toISOString() });
  });

  r.post('/conversations/:id/reassign', validate('SupervisorReassignRequest'), async (req, res) => {
    const id = idParam(req, 'id');
    const body = req.body as ReassignRequest;
    if ((body.agentId === undefined) === (body.queue === undefined)) throw new AppError(400, 'give exactly one of agentId or queue');
    const conversation = await models.Conversation.findById(id).lean();
    if (!conversation) throw new AppError(404, `no conversation "${id}"`, { id });
    if (conversation.status === 'closed') throw new AppError(409, 'the conversation is closed');
    const target = body.agentId !== undefined ? { agentId: body.agentId } : { queue: body.queue };
    try {
      const result = await ops.act(res.locals.principal as Principal, conversation.workflowId, 'reroute', { reason: body.note ?? 'reassigned by a supervisor', ...target });
      res.json({ conversationId: id, ...result });
    } catch (err) {
      // The conversation's workflow has ended (say it closed a moment ago): nothing to move.
      if (err instanceof AppError && err.status === 404) throw new AppError(409, `the conversation is no longer running (${err.message})`);
      throw err;
    }
  });

  return r;
}
