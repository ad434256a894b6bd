// Inboxes (admin): where conversations come in, and which flow they run.
import { Router } from 'express';
import type { Config } from '../config';
import { flowService } from '../flows/service';
import { idParam, validate } from '../schemas';
import type { AppDeps } from '../app';

interface InboxFields { _id: string; name: string; channel: string; flowId: string }

function inboxView(i: InboxFields, flowVersion: number | null, config: Config) {
  return {
    id: i._id, name: i.name, channel: i.channel, flowId: i.flowId, flowVersion,
    ...(i.channel === 'webchat' ? { messagesUrl: `${config.publicUrl}/api/v1/webchat/${i._id}/messages` } : {}),
  };
}

export function inboxRoutes({ models, config }: AppDeps): Router {
  const r = Router();
  const flows = flowService(models);

  r.get('/', async (_req, res) => {
    const [inboxes, published] = await Promise.all([models.Inbox.find().sort({ _id: 1 }).lean(), models.Flow.find().select('publishedVersion').lean()]);
    const versions = new Map(published.map((f) => [f._id, f.publishedVersion]));
    res.json({ inboxes: inboxes.map((i) => inboxView(i, versions.get(i.flowId) ?? null, config)) });
  });

  // New conversations run the flow's published version; running ones keep the version they pinned.
  r.put('/:id/flow', validate('InboxFlowRequest'), async (req, res) => {
    const { inbox, flowVersion } = await flows.assignToInbox(idParam(req, 'id'), (req.body as { flowId: string }).flowId);
    res.json(inboxView(inbox, flowVersion, config));
  });

  return r;
}
