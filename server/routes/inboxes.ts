// Inboxes (admin): where conversations come in, and which flow they run.
import { randomUUID } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import { isDuplicateKey } from '../../activities/store';
import { wechatSettings, type WechatCredentials, type WechatSettings } from '../../activities/channels/wechat/inbox';
import { wecomSettings, type WecomCredentials, type WecomSettings } from '../../activities/channels/wecom/inbox';
import { weiboSettings, type WeiboCredentials, type WeiboSettings } from '../../activities/channels/weibo/inbox';
import type { Config } from '../config';
import { AppError } from '../errors';
import { flowService } from '../flows/service';
import { idParam, validate } from '../schemas';
import { loadSecretKey, sealSecret } from '../secrets';
import type { AppDeps } from '../app';
import { appInboxAdminRoutes, appInboxView, createAppInbox, type AppInboxCreateRequest } from './app';
import { createWebchatInbox, webchatInboxAdminRoutes, webchatInboxView, type WebchatInboxCreateRequest } from './webchat';

interface InboxFields { _id: string; name: string; channel: string; flowId: string; settings?: unknown; credentials?: string | null }

interface InboxCreateRequest {
  id?: string;
  name: string;
  channel: 'wechat';
  credentials: WechatCredentials;
  settings?: Partial<WechatSettings>;
  flowId?: string;
}

interface WecomInboxCreateRequest {
  id?: string;
  name: string;
  channel: 'wecom';
  credentials: WecomCredentials;
  settings?: Partial<WecomSettings>;
  flowId?: string;
}

interface WeiboInboxCreateRequest {
  id?: string;
  name: string;
  channel: 'weibo';
  credentials: WeiboCredentials;
  settings?: Partial<WeiboSettings>;
  flowId?: string;
}

/** The body's schema follows its channel. */
const validateInboxCreate: RequestHandler = (req, res, next) => {
  const channel = (req.body as { channel?: unknown } | undefined)?.channel;
  if (channel === 'app') return validate('AppInboxCreateRequest')(req, res, next);
  if (channel === 'webchat') return validate('WebchatInboxCreateRequest')(req, res, next);
  validate(channel === 'wecom' ? 'WecomInboxCreateRequest' : channel === 'weibo' ? 'WeiboInboxCreateRequest' : 'InboxCreateRequest')(req, res, next);
};

const webhookUrl = (config: Config, i: InboxFields) => `${config.publicUrl}/webhooks/${i.channel}/${i._id}`;

// Never the credentials: only what an admin may see again.
function inboxView(i: InboxFields, flowVersion: number | null, config: Config) {
  return {
    id: i._id, name: i.name, channel: i.channel, flowId: i.flowId, flowVersion,
    ...(i.channel === 'webchat' ? webchatInboxView(config, i) : {}),
    ...(i.channel === 'wechat' ? { webhookUrl: webhookUrl(config, i), settings: wechatSettings(i.settings as Partial<WechatSettings>) } : {}),
    ...(i.channel === 'wecom' ? { webhookUrl: webhookUrl(config, i), settings: wecomSettings(i.settings as Partial<WecomSettings>) } : {}),
    ...(i.channel === 'weibo' ? { webhookUrl: webhookUrl(config, i), settings: weiboSettings(i.settings as Partial<WeiboSettings>) } : {}),
    ...(i.channel === 'app' ? appInboxView(config, i.settings) : {}),
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

  // Creates a provider inbox; the answer is what to paste into the provider's
  // console, shown this once (the admin just typed it).
  r.post('/', validateInboxCreate, async (req, res) => {
    const body = req.body as InboxCreateRequest | WecomInboxCreateRequest | WeiboInboxCreateRequest;
    const flowId = body.flowId ?? 'default';
    const flow = await models.Flow.findById(flowId).lean();
    if (!flow && flowId !== 'default') throw new AppError(422, `no flow "${flowId}"`, { flowId });
    // A mobile app brings no provider credentials: its API key and secrets are made here and shown this once.
    if ((req.body as { channel: string }).channel === 'app') {
      const { inbox, secrets } = await createAppInbox({ models, config }, req.body as AppInboxCreateRequest, flowId);
      res.status(201).json({ ...inboxView(inbox, flow?.publishedVersion ?? null, config), secrets });
      return;
    }
    // Web chat: the embed snippet, and the identity secret (when asked for) shown this once.
    if ((req.body as { channel: string }).channel === 'webchat') {
      const { inbox, secrets } = await createWebchatInbox({ models, config }, req.body as WebchatInboxCreateRequest, flowId);
      res.status(201).json({ ...inboxView(inbox, flow?.publishedVersion ?? null, config), ...(secrets ? { secrets } : {}) });
      return;
    }
    const settings = body.channel === 'wecom' ? wecomSettings(body.settings) : body.channel === 'weibo' ? weiboSettings(body.settings) : wechatSettings(body.settings);
    const inbox = {
      _id: body.id ?? `${body.channel}-${randomUUID().slice(0, 8)}`, name: body.name, channel: body.channel, flowId,
      credentials: sealSecret(body.credentials, await loadSecretKey(config)), settings,
    };
    try {
      await models.Inbox.create(inbox);
    } catch (err) {
      if (isDuplicateKey(err)) throw new AppError(409, `inbox "${inbox._id}" exists already`, { id: inbox._id });
      throw err;
    }
    const url = webhookUrl(config, inbox);
    res.status(201).json({
      ...inboxView(inbox, flow?.publishedVersion ?? null, config),
      // Weibo's console (粉丝服务 → 高级功能 → 开发模式) asks for the URL and the APPKEY only: the secret and token stay here.
      console: body.channel === 'weibo' ? { url, appKey: body.credentials.appKey } : {
        url, token: body.credentials.token, encodingAesKey: body.credentials.encodingAesKey,
        ...('messageMode' in settings ? { messageMode: settings.messageMode } : {}),
      },
    });
  });

  // New conversations run the flow's published version; running ones keep the version they pinned.
  r.put('/:id/flow', validate('InboxFlowRequest'), async (req, res) => {
    const { inbox, flowVersion } = await flows.assignToInbox(idParam(req, 'id'), (req.body as { flowId: string }).flowId);
    res.json(inboxView(inbox, flowVersion, config));
  });

  // Web chat inboxes: POST /:id/secrets (the identity secret) and DELETE /:id/secrets/identitySecret.
  r.use(webchatInboxAdminRoutes({ models, config }));
  // App inboxes: PATCH /:id/settings (the push webhook) and POST /:id/secrets (rotation).
  r.use(appInboxAdminRoutes({ models, config }));

  return r;
}
