// The records flows name, for the editor's pickers: queues, inboxes, FAQ sets,
// agents and their skills. Names and ids only (no tokens, no channel secrets),
// so anyone signed in may read them.
import { Router } from 'express';
import type { AppDeps } from '../app';

export function recordRoutes({ models }: AppDeps): Router {
  const r = Router();
  r.get('/', async (_req, res) => {
    const [queues, inboxes, faqSets, agents] = await Promise.all([
      models.Queue.find().sort({ _id: 1 }).lean(),
      models.Inbox.find().sort({ _id: 1 }).lean(),
      models.Faq.distinct('faqSet'),
      models.Agent.find({ role: 'agent' }).sort({ _id: 1 }).lean(),
    ]);
    res.json({
      queues: queues.map((q) => ({ id: q._id, name: q.name })),
      inboxes: inboxes.map((i) => ({ id: i._id, name: i.name, channel: i.channel })),
      faqSets: [...faqSets].sort(),
      agents: agents.map((a) => ({ id: a._id, name: a.name })),
      skills: [...new Set(agents.flatMap((a) => a.skills ?? []))].sort(),
    });
  });
  return r;
}
