// Conversations for agents and admins: list, read, the media their messages
// carry, and the agent's actions.
import { Router, type Request, type Response } from 'express';
import { providerMedia, ProviderMediaError } from '../../activities/channels/provider-media';
import { trusted } from '../../activities/store';
import { requireRole, type Principal } from '../auth';
import { Dispatcher } from '../dispatch';
import { AppError } from '../errors';
import { mediaStore, sendMedia } from '../media';
import { idParam, MESSAGE_ID_PATTERN, validate } from '../schemas';
import { conversationView, flowStepView, messageView } from '../views';
import type { AppDeps } from '../app';

const MESSAGE_ID = new RegExp(MESSAGE_ID_PATTERN);
/** A message carries at most 20 media (the unified message). */
const MEDIA_INDEX = /^(1?[0-9])$/;

/** What a failed copy of provider media means to the agent who asked: 404 when there is none to be had, else a 502 naming the provider's trouble. */
function mediaFailure(err: ProviderMediaError, where: { messageId: string; index: number }): AppError {
  const details = { ...where, reason: err.reason };
  switch (err.reason) {
    case 'not-found': return new AppError(404, err.message, details);
    case 'gone': return new AppError(404, `the channel no longer has this media (it keeps media three days): ${err.message}`, details);
    case 'too-large': return new AppError(502, err.message, details);
    case 'unavailable': return new AppError(502, `the channel could not give the media now; try again later: ${err.message}`, details);
    case 'refused': return new AppError(502, `the channel refused to give the media: ${err.message}`, details);
  }
}

export function conversationRoutes({ models, gateway, client, providerApis }: AppDeps): Router {
  const r = Router();
  const dispatcher = new Dispatcher(models, client);
  const stored = mediaStore(models);
  const copies = providerMedia(models, providerApis?.mediaDownloads ?? {});

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

  // A message's media item, for agents: the stored copy, or the provider's file
  // (WeChat, WeCom: a media id, kept three days) fetched and stored now.
  r.get('/:id/media/:messageId/:index', async (req, res) => {
    const c = await load(req);
    const { messageId, index: rawIndex } = req.params as { messageId: string; index: string };
    if (!MESSAGE_ID.test(messageId)) throw new AppError(400, 'invalid messageId', { messageId });
    if (!MEDIA_INDEX.test(rawIndex)) throw new AppError(400, 'invalid index: a media item\'s position in the message, 0 to 19', { index: rawIndex });
    const index = Number(rawIndex);
    const message = await models.Message.findById(messageId).lean();
    if (!message || message.conversationId !== c._id) throw new AppError(404, `no message "${messageId}" in conversation "${c._id}"`, { messageId });
    let info;
    try {
      info = await copies.copy(message, index);
    } catch (err) {
      if (err instanceof ProviderMediaError) throw mediaFailure(err, { messageId, index });
      throw err;
    }
    await sendMedia(req, res, stored, info);
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
