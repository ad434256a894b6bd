// The HTTP application: API, web chat, health and the console. Built from its
// dependencies so tests run the same app against the real servers.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import type { WorkflowBundleOption } from '@temporalio/worker';
import express, { type Express } from 'express';
import { createActivities } from '../activities';
import type { ChannelSenders } from '../activities/channels';
import type { ProviderApis } from '../activities/channels/provider-apis';
import type { PublishEvent } from '../activities/events';
import type { Models } from '../activities/store';
import { authenticate, requireRole } from './auth';
import type { Config } from './config';
import type { ConversationGateway } from './conversation-gateway';
import type { InboundJournal } from './inbound-journal';
import { AppError, errorHandler } from './errors';
import { openApiDocument } from './openapi';
import { BulkOps } from './ops/bulk';
import { OpsService } from './ops/service';
import type { EventSubscribers } from './realtime/event-subscribers';
import type { LocalSubscribers } from './realtime/local-subscribers';
import { realtimePushRoutes } from './realtime/push-route';
import { appRoutes } from './routes/app';
import { catalogRoutes } from './routes/catalog';
import { conversationRoutes } from './routes/conversations';
import { eventRoutes, tokenFromQuery } from './routes/events';
import { flowRoutes } from './routes/flows';
import { fullMessageRoutes } from './routes/full-message';
import { healthRoutes } from './routes/health';
import { inboxRoutes } from './routes/inboxes';
import { opsRoutes } from './routes/ops';
import { recordRoutes } from './routes/records';
import { agentRoutingRoutes, queueRoutes, supervisorRoutes } from './routes/routing';
import { peopleRoutes } from './routes/people';
import { agentTypingRoutes, webchatRoutes } from './routes/webchat';
import { widgetRoutes } from './routes/widget';
import { webhookRoutes } from './routes/webhooks';
import { messageView } from './views';
import { bundleWorkflows } from './worker';

export interface AppDeps {
  config: Config;
  models: Models;
  client: Client;
  gateway: ConversationGateway;
  /** Where customers' messages are accepted: durably, before Temporal has them. */
  inbound: InboundJournal;
  /**
   * This process's visitor streams and routing event streams, the secret that
   * pushes to them are signed with, and where events this server emits go
   * (its own streams and the other servers').
   */
  realtime: { subscribers: LocalSubscribers; events: EventSubscribers; secret: string; publishEvent: PublishEvent };
  /** Provider channels' senders, for what operators send customers (terminate). */
  channels?: ChannelSenders;
  /** Provider API clients whose access tokens every process shares: WeCom pulls, and media downloads agents ask for. */
  providerApis?: ProviderApis;
  /** The workflow code deployed now, for replay checks; bundled on first use when absent. */
  workflowBundle?: WorkflowBundleOption;
}

function opsDeps(deps: AppDeps) {
  const { config, client, models } = deps;
  const scope = { client, taskQueue: config.taskQueue, idleMinutes: config.opsIdleMinutes };
  // Messages an operator sends are stored and pushed to this server's visitor streams (others catch up from the store).
  const activities = createActivities(models, {
    publish: (m) => deps.realtime.subscribers.dispatch(messageView(m)), publishEvent: deps.realtime.publishEvent, channels: deps.channels,
  });
  let bundle: Promise<WorkflowBundleOption> | undefined;
  const ops = new OpsService({
    client, models, activities, namespace: config.temporalNamespace, taskQueue: config.taskQueue, idleMinutes: config.opsIdleMinutes,
    temporalUiUrl: config.temporalUiUrl,
    workflowBundle: () => (bundle ??= deps.workflowBundle ? Promise.resolve(deps.workflowBundle) : bundleWorkflows()),
  });
  return { ops, scope, bulk: new BulkOps(ops, scope, models) };
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  // Before the JSON parser: a push's signature is checked over its raw body.
  app.use(realtimePushRoutes(deps.realtime));
  // Before the JSON parser too: providers post XML, verified over the raw body.
  app.use('/webhooks', webhookRoutes(deps));
  app.use('/webhooks', (req) => {
    throw new AppError(404, `no such webhook: ${req.method} ${req.originalUrl}`);
  });
  app.use(express.json({ limit: '1mb' }));

  app.use(healthRoutes(deps));
  app.get('/api/v1/openapi.json', (_req, res) => {
    res.json(openApiDocument(deps.config.publicUrl));
  });
  app.use('/api/v1/webchat', webchatRoutes(deps));
  // The embeddable widget (/widget.js, /widget/:inboxId) and uploaded media (/api/v1/media/:id): no sign-in.
  app.use(widgetRoutes(deps));
  // A message a channel cut short, whole (/m/:messageId?s=): no sign-in, the link is signed.
  app.use(fullMessageRoutes(deps));
  // The mobile app: its own API key, not a person's token.
  app.use('/api/v1/app', appRoutes(deps));

  const auth = authenticate(deps.models, deps.config.adminToken);
  app.use('/api/v1/me', auth, peopleRoutes(deps));
  app.use('/api/v1/inboxes', auth, requireRole('admin'), inboxRoutes(deps));
  app.use('/api/v1/conversations', auth, agentTypingRoutes(deps), conversationRoutes(deps));
  app.use('/api/v1/flows', auth, flowRoutes(deps));
  app.use('/api/v1/records', auth, recordRoutes(deps));
  // One ops service: operators' actions and supervisors' reassignments are audited alike.
  const ops = opsDeps(deps);
  app.use('/api/v1/ops', auth, requireRole('operator', 'admin'), opsRoutes(ops));
  app.use('/api/v1/agents', auth, requireRole('admin'), agentRoutingRoutes(deps));
  app.use('/api/v1/queues', auth, requireRole('admin'), queueRoutes(deps));
  app.use('/api/v1/supervisor', auth, requireRole('supervisor', 'admin'), supervisorRoutes(deps, ops.ops));
  app.use('/api/v1/events', tokenFromQuery, auth, eventRoutes(deps));
  app.use('/api/v1', catalogRoutes(auth));
  app.use('/api', (req) => {
    throw new AppError(404, `no such endpoint: ${req.method} ${req.originalUrl}`);
  });

  // The console (built by `npm run build`), with the SPA's client-side routes.
  const index = join(deps.config.consoleDir, 'index.html');
  app.use(express.static(deps.config.consoleDir, { index: false }));
  app.get(/^\/(?!api\/|webhooks\/).*/, (_req, res) => {
    if (existsSync(index)) res.sendFile(index);
    else res.status(503).type('text/plain').send('The console is not built yet: run `npm run build`. 控制台尚未构建：请运行 npm run build。');
  });

  app.use(errorHandler);
  return app;
}
