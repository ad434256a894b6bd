import { Router } from 'express';
import type { AppDeps } from '../app';

export function inboxRoutes({ models, config }: AppDeps): Router {
  const r = Router();
  r.get('/', async (_req, res) => {
    const [inboxes, flows] = await Promise.all([models.Inbox.find().sort({ _id: 1 }).lean(), models.Flow.find().lean()]);
    const published = new Map(flows.map((f) => [f._id, f.publishedVersion]));
    res.json({
      inboxes: inboxes.map((i) => ({
        id: i._id, name: i.name, channel: i.channel, flowId: i.flowId, flowVersion: published.get(i.flowId) ?? null,
        ...(i.channel === 'webchat' ? { messagesUrl: `${config.publicUrl}/api/v1/webchat/${i._id}/messages` } : {}),
      })),
    });
  });
  return r;
}
