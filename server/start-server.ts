// The API server process: `tsx server/start-server.ts` (the launcher runs it).
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import type { WorkflowBundleOption } from '@temporalio/worker';
import { channelSenders } from '../activities/channels';
import { fullMessageLinks } from '../activities/channels/full-message-link';
import { providerApis } from '../activities/channels/provider-apis';
import { eventLog } from '../activities/events';
import { openStore } from '../activities/store';
import { createApp } from './app';
import { loadConfig, type Config } from './config';
import { ConversationGateway } from './conversation-gateway';
import { InboundJournal } from './inbound-journal';
import { scheduleCatchUp } from './realtime/catch-up';
import { scheduleEventPruning } from './realtime/event-pruning';
import { EventSubscribers } from './realtime/event-subscribers';
import { LocalSubscribers } from './realtime/local-subscribers';
import { realtimeModels } from './realtime/models';
import { registerNode } from './realtime/node-registration';
import { ServerEventRelay } from './realtime/server-events';
import { loadSharedSecret } from './realtime/shared-secret';
import { scheduleAutoAway } from './presence';
import { ensureSearchAttributes } from './search-attributes';
import { loadSecretKey, sealingWith } from './secrets';
import { connectClient } from './temporal';

export async function runServer(config: Config, opts: { workflowBundle?: WorkflowBundleOption } = {}) {
  const store = await openStore(config.mongoUri);
  const client = await connectClient(config);
  await ensureSearchAttributes(client.connection, config.temporalNamespace);
  const realtime = realtimeModels(store.connection);
  const subscribers = new LocalSubscribers();
  const events = new EventSubscribers();
  const secret = await loadSharedSecret(realtime);
  const relay = new ServerEventRelay(realtime, secret, events);
  const secretKey = await loadSecretKey(config);
  const sealing = sealingWith(secretKey);
  // Access tokens shared with the workers and every other server.
  const apis = providerApis(store.models, sealing);
  const gateway = new ConversationGateway(client, config.taskQueue);
  // This server's realtime node id, known before it listens: accepted messages carry it.
  const nodeId = randomUUID();
  const inbound = new InboundJournal(store.models, realtime, gateway, nodeId);
  const app = createApp({
    config, models: store.models, client, gateway, inbound,
    realtime: { subscribers, events, secret, publishEvent: relay.publishEvent },
    channels: channelSenders(store.models, sealing.open, { fullMessageUrl: fullMessageLinks(config.publicUrl, secretKey).url }, apis),
    providerApis: apis,
    workflowBundle: opts.workflowBundle,
  });
  const listeningSince = Date.now();
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s)).once('error', reject);
  });
  const address = server.address() as AddressInfo;
  // Workers push this server the messages and events its streams wait for.
  const node = await registerNode(realtime, config.internalUrl ?? reachableUrl(address), nodeId);
  inbound.start();
  await relay.start(node.id);
  const cancelCatchUp = scheduleCatchUp(store.models, subscribers, listeningSince, events);
  const stopAutoAway = scheduleAutoAway(store.models, config.agentAwayMinutes, eventLog(store.models, relay.publishEvent));
  const stopPruning = scheduleEventPruning(store.models);
  return {
    url: `http://127.0.0.1:${address.port}`,
    /** Its id among the realtime nodes. */
    nodeId: node.id,
    async stop() {
      // Leave the node list first, so workers stop pushing here.
      await node.stop();
      await relay.stop();
      await cancelCatchUp();
      stopAutoAway();
      await stopPruning();
      // Event streams never end on their own: close them with the server.
      const closed = new Promise((r) => server.close(r));
      server.closeAllConnections();
      await closed;
      // Nothing is accepted any more: what is not delivered yet stays in the journal, to be taken over.
      await inbound.stop();
      await client.connection.close();
      await store.close();
    },
  };
}

/** The address bound, or loopback when bound to every interface. */
function reachableUrl({ address, family, port }: AddressInfo): string {
  if (address === '0.0.0.0' || address === '::') return `http://127.0.0.1:${port}`;
  return family === 'IPv6' ? `http://[${address}]:${port}` : `http://${address}:${port}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const config = loadConfig();
  const running = await runServer(config);
  console.log(`[huiliu] server listening on ${config.host}:${config.port}`);
  const stop = async () => { await running.stop(); process.exit(0); };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}
