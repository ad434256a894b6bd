// The operations API (operator and admin roles): stuck conversations, one
// conversation's business timeline and raw history, actions on one or many,
// and the audit log of what operators did.
import { Router, type Request } from 'express';
import type { Principal } from '../auth';
import { AppError } from '../errors';
import type { BulkOps } from '../ops/bulk';
import type { OpsService } from '../ops/service';
import { listStuck, type StuckScope } from '../ops/stuck';
import { OPS_ACTIONS, type ActionBodies, type BulkRequest, type OpsAction, type StuckFilter } from '../ops/types';
import { validate } from '../schemas';

const BODY_SCHEMA = {
  retry: 'OpsRetryRequest', reset: 'OpsResetRequest', reroute: 'OpsRerouteRequest', 'replay-check': 'OpsReplayCheckRequest', terminate: 'OpsTerminateRequest',
} as const satisfies Record<OpsAction, string>;

function workflowIdParam(req: Request): string {
  const id = req.params.workflowId;
  if (typeof id !== 'string' || !/^\S{1,300}$/.test(id)) throw new AppError(400, 'invalid workflowId');
  return id;
}

export function opsRoutes(deps: { ops: OpsService; bulk: BulkOps; scope: StuckScope }): Router {
  const router = Router();
  const actor = (res: { locals: Record<string, unknown> }) => res.locals.principal as Principal;

  router.get('/stuck', validate('OpsStuckQuery', 'query'), async (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    const filter: StuckFilter = {
      inbox: q.inbox, channel: q.channel, flowId: q.flowId, reason: q.reason as StuckFilter['reason'],
      flowVersion: q.flowVersion ? Number(q.flowVersion) : undefined,
      minAgeMinutes: q.minAgeMinutes ? Number(q.minAgeMinutes) : undefined,
      limit: q.limit ? Number(q.limit) : undefined,
    };
    res.json(await listStuck(deps.scope, filter));
  });

  router.get('/conversations/:workflowId', async (req, res) => {
    res.json(await deps.ops.conversation(workflowIdParam(req)));
  });

  for (const action of OPS_ACTIONS) {
    router.post(`/conversations/:workflowId/${action}`, validate(BODY_SCHEMA[action]), async (req, res) => {
      res.json(await deps.ops.act(actor(res), workflowIdParam(req), action, req.body as ActionBodies[typeof action]));
    });
  }

  router.post('/bulk', validate('OpsBulkRequest'), async (req, res) => {
    const request = { filter: {}, ...req.body } as BulkRequest;
    if (request.action === 'reroute' && ['queue', 'agentId', 'nodeId'].filter((k) => request.params?.[k] !== undefined).length !== 1) {
      throw new AppError(400, 'a bulk reroute needs exactly one of params.queue, params.agentId or params.nodeId');
    }
    if (request.dryRun) res.json(await deps.bulk.plan(request));
    else res.status(202).json(await deps.bulk.start(actor(res), request));
  });

  router.get('/bulk/:jobId', async (req, res) => {
    res.json(await deps.bulk.job(String(req.params.jobId)));
  });

  router.get('/audit', async (req, res) => {
    const limit = Math.min(Math.max(Number(req.query.limit) || 100, 1), 1000);
    const workflowId = typeof req.query.workflowId === 'string' ? req.query.workflowId : undefined;
    res.json({ entries: await deps.ops.auditLog(limit, workflowId) });
  });

  return router;
}
