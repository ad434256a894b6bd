// Conversations for agents and admins: list, read, and the agent's actions.
import { Router, type Request, type Response } from 'express';
import { trusted } from '../../activities/store';
import { requireRole, type Principal } from '../auth';
import { Dispatcher } from '../dispatch';
import { AppError } from '../errors';
import { idParam, validate } from '../schemas';
import { conversationView, flowStepView, messageView } from '../views';
import type { AppDeps } from '../app';

export function conversationRoutes({ models, gateway, client }: AppDeps): Router {
  const r = Router();
  const dispatcher = new Dispatcher(models, client);

  async function load(req: Request) {
    const conversation = await models.Conversation.findById(idParam(req, 'id')).lean();
    if (!conversation) throw new AppError(404, `no conversation "${req.params.id}"`);
    return conversation;
  }

  async function detail(id: string) {
    const [conversation, messages, steps, survey] = await Promise.all([
      models.Conversation.findById(id).lean(),
      models.Message.find({ conversationId: id }).sort({ storedAt: 1, _id: 1 }).lean(),
      models.FlowStep.find({ conversationId: id }).lean(),
      models.Survey.findById(id).lean(),
    ]);
    const messageViews = messages.map(messageView);
    const stepViews = steps.map(flowStepView);
    return {
      ...conversationView(conversation!),
      messages: messageViews,
      // Messages and the flow's decisions in one sequence: "why did this go to queue B?"
      timeline: [
        ...messageViews.map((m) => ({ kind: 'message' as const, at: m.at, message: m })),
        ...stepViews.map((s) => ({ kind: 'step' as const, at: s.at, step: s })),
      ].sort((a, b) => a.at.localeCompare(b.at)),
      survey: survey ? {
        rating: survey.rating ?? null, status: survey.status, agentId: survey.agentId ?? null, servedBy: survey.servedBy ?? [],
        comment: survey.comment ?? null, trigger: survey.trigger ?? 'flow', reminded: survey.reminded ?? false, at: survey.at.toISOString(),
      } : null,
    };
  }

  r.get('/', validate('ConversationListQuery', 'query'), async (req, res) => {
    const q = req.query as { status?: string; inboxId?: string; agentId?: string; limit?: string };
    const filter: Record<string, unknown> = {};
    if (q.inboxId) filter.inboxId = q.inboxId;
    if (q.agentId) filter.agentId = q.agentId;
    if (q.status) filter.status = { $in: q.status.split(',') }; // the schema allows only known statuses
    const docs = await models.Conversation.find(trusted(filter)).sort({ updatedAt: -1 }).limit(Math.min(Number(q.limit ?? 50), 200)).lean();
    res.json({ conversations: docs.map(conversationView) });
  });

  r.get('/:id', async (req, res) => {
    res.json(await detail((await load(req))._id));
  });

  const agentOf = (res: Response) => (res.locals.principal as Principal).id;

  r.post('/:id/accept', async (req, res) => {
    const c = await load(req);
    await gateway.accept(c.workflowId, { conversationId: c._id, agentId: agentOf(res) });
    res.json(await detail(c._id));
  });

  r.post('/:id/transfer', validate('AgentTransferRequest'), async (req, res) => {
    const c = await load(req);
    const { queue, agentId, note } = req.body as { queue?: string; agentId?: string; note?: string };
    if (queue !== undefined && !(await models.Queue.exists({ _id: queue }))) throw new AppError(400, `no such queue: ${queue}`);
    if (agentId !== undefined && !(await models.Agent.exists({ _id: agentId, role: 'agent' }))) throw new AppError(400, `no such agent: ${agentId}`);
    await gateway.transfer(c.workflowId, { conversationId: c._id, agentId: agentOf(res), queue, toAgentId: agentId, note });
    void dispatcher.agentAvailable(agentOf(res)); // their seat is free again
    res.json(await detail(c._id));
  });

  r.post('/:id/decline', async (req, res) => {
    const c = await load(req);
    await gateway.decline(c.workflowId, { conversationId: c._id, agentId: agentOf(res) });
    void dispatcher.agentAvailable(agentOf(res)); // their seat is free again
    res.json(await detail(c._id));
  });

  r.post('/:id/messages', validate('AgentReplyRequest'), async (req, res) => {
    const c = await load(req);
    const { messageId } = await gateway.reply(c.workflowId, { conversationId: c._id, agentId: agentOf(res), text: (req.body as { text: string }).text });
    res.status(201).json({ id: messageId });
  });

  // The agent serving the customer asks for their rating now; supervisors and admins ask as API clients.
  r.post('/:id/survey', requireRole('agent', 'supervisor', 'admin'), async (req, res) => {
    const principal = res.locals.principal as Principal;
    const c = await load(req);
    await gateway.requestSurvey(c.workflowId, { conversationId: c._id, ...(principal.role === 'agent' ? { agentId: principal.id } : {}) });
    res.json(await detail(c._id));
  });

  r.post('/:id/close', async (req, res) => {
    const c = await load(req);
    await gateway.close(c.workflowId, { conversationId: c._id, agentId: agentOf(res) });
    void dispatcher.agentAvailable(agentOf(res)); // their seat is free again
    res.json(await detail(c._id));
  });

  return r;
}
