// The signed-in person (agent or admin) and their presence.
import { Router, type Response } from 'express';
import { eventLog, presenceEvent } from '../../activities/events';
import type { Principal } from '../auth';
import { Dispatcher } from '../dispatch';
import { validate } from '../schemas';
import { conversationView } from '../views';
import type { AppDeps } from '../app';

export function peopleRoutes({ models, client, realtime }: AppDeps): Router {
  const r = Router();
  const dispatcher = new Dispatcher(models, client);
  const emit = eventLog(models, realtime.publishEvent);

  async function me(res: Response) {
    const p = res.locals.principal as Principal;
    const [doc, seated] = await Promise.all([models.Agent.findById(p.id).lean(), models.Seat.countDocuments({ agentId: p.id })]);
    const capacity = doc?.capacity ?? 0;
    return { id: p.id, name: p.name, role: p.role, status: doc?.status ?? 'offline', capacity, free: Math.max(0, capacity - seated) };
  }

  r.get('/', async (_req, res) => {
    res.json(await me(res));
  });

  // The conversations offered to or held by the signed-in agent, newest activity first.
  r.get('/conversations', async (_req, res) => {
    const p = res.locals.principal as Principal;
    const docs = await models.Conversation.find({ agentId: p.id, status: 'assigned' }).sort({ updatedAt: -1 }).limit(200).lean();
    res.json({ conversations: docs.map((c) => ({ ...conversationView(c), offered: c.acceptedAt === null || c.acceptedAt === undefined })) });
  });

  r.post('/status', validate('AgentStatusRequest'), async (req, res) => {
    const p = res.locals.principal as Principal;
    const { status } = req.body as { status: string };
    await models.Agent.updateOne({ _id: p.id }, { $set: { status } });
    await emit(presenceEvent(p.id, status as 'online' | 'away' | 'offline'));
    if (status === 'online') void dispatcher.agentAvailable(p.id);
    res.json(await me(res));
  });

  return r;
}
