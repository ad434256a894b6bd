// Liveness and readiness: ready only when Temporal, MongoDB and a worker answer.
import { Router } from 'express';
import proto from '@temporalio/proto';
import type { AppDeps } from '../app';

// A worker long-polls about once a minute; one not seen for longer is gone.
const WORKER_SEEN_WITHIN_MS = 90_000;

export function healthRoutes({ models, client, config }: AppDeps): Router {
  const r = Router();

  r.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  r.get('/readyz', async (_req, res) => {
    const checks = await Promise.all([
      check('temporal', async () => { await client.workflowService.getSystemInfo({}); }),
      check('mongodb', async () => { await models.Agent.db.db!.admin().ping(); }),
      check('worker', async () => {
        const { pollers } = await client.workflowService.describeTaskQueue({
          namespace: config.temporalNamespace,
          taskQueue: { name: config.taskQueue, kind: proto.temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
          taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        });
        const now = Date.now();
        const alive = (pollers ?? []).filter((p) => now - Number(p.lastAccessTime?.seconds ?? 0) * 1000 < WORKER_SEEN_WITHIN_MS);
        if (alive.length === 0) throw new Error(`no worker is polling task queue "${config.taskQueue}"`);
      }),
    ]);
    const down = checks.filter((c) => !c.ok);
    const details = Object.fromEntries(checks.map((c) => [c.name, c.ok ? 'ok' : c.error]));
    if (down.length) res.status(503).json({ error: `not ready: ${down.map((c) => c.name).join(', ')} unavailable`, details });
    else res.json({ status: 'ready', details });
  });

  return r;
}

async function check(name: string, probe: () => Promise<void>) {
  try {
    await withTimeout(probe(), 3000);
    return { name, ok: true as const };
  } catch (err) {
    return { name, ok: false as const, error: (err as Error).message };
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e) => { clearTimeout(t); reject(e); });
  });
}
