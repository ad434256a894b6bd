// The flows API the flow editor calls. Anyone signed in may read flows; only
// analysts and admins change, validate, publish or simulate them.
import { Router, type Request, type Response } from 'express';
import { requireRole, type Principal } from '../auth';
import { AppError } from '../errors';
import { flowService, type VersionRef } from '../flows/service';
import { idParam, validate } from '../schemas';
import type { AppDeps } from '../app';

const VERSION = /^[1-9][0-9]{0,8}$/;

function versionNumber(name: string, value: unknown): number {
  if (typeof value === 'string' && VERSION.test(value)) return Number(value);
  throw new AppError(400, `invalid ${name}: expected a version number`, { [name]: value ?? null });
}

const versionRef = (name: string, value: unknown): VersionRef => (value === 'draft' ? 'draft' : versionNumber(name, value));

export function flowRoutes({ models, config }: AppDeps): Router {
  const r = Router();
  const flows = flowService(models, config.integrations);
  const author = requireRole('admin', 'analyst');
  const actor = (res: Response) => res.locals.principal as Principal;
  const flowId = (req: Request) => idParam(req, 'id');

  r.get('/', async (_req, res) => {
    res.json({ flows: await flows.list() });
  });

  r.post('/', author, validate('FlowCreateRequest'), async (req, res) => {
    res.status(201).json(await flows.create(req.body, actor(res)));
  });

  r.get('/:id', async (req, res) => {
    res.json(await flows.get(flowId(req)));
  });

  r.delete('/:id', author, async (req, res) => {
    await flows.remove(flowId(req));
    res.status(204).end();
  });

  r.put('/:id/draft', author, validate('FlowDraftRequest'), async (req, res) => {
    res.json(await flows.saveDraft(flowId(req), req.body, actor(res)));
  });

  r.post('/:id/validate', author, validate('FlowValidateRequest'), async (req, res) => {
    res.json(await flows.validate(flowId(req), req.body.definition));
  });

  r.post('/:id/publish', author, validate('FlowPublishRequest'), async (req, res) => {
    res.status(201).json(await flows.publish(flowId(req), req.body, actor(res)));
  });

  r.post('/:id/rollback', author, validate('FlowRollbackRequest'), async (req, res) => {
    res.status(201).json(await flows.rollback(flowId(req), req.body, actor(res)));
  });

  r.get('/:id/versions', async (req, res) => {
    res.json({ versions: await flows.versions(flowId(req)) });
  });

  r.get('/:id/versions/:n', async (req, res) => {
    res.json(await flows.version(flowId(req), versionNumber('version', req.params.n)));
  });

  r.get('/:id/diff', validate('FlowDiffQuery', 'query'), async (req, res) => {
    const { from, to } = req.query;
    res.json(await flows.diff(flowId(req), versionRef('from', from), versionRef('to', to)));
  });

  r.post('/:id/simulate', author, validate('FlowSimulateRequest'), async (req, res) => {
    res.json(await flows.simulate(flowId(req), req.body));
  });

  return r;
}
