// The worker process: `tsx server/start-worker.ts` (the launcher runs it).
import { pathToFileURL } from 'node:url';
import { DefaultLogger, Runtime, type WorkflowBundleOption } from '@temporalio/worker';
import { channelSenders } from '../activities/channels';
import { fullMessageLinks } from '../activities/channels/full-message-link';
import { providerApis } from '../activities/channels/provider-apis';
import { providerMedia } from '../activities/channels/provider-media';
import { openStore } from '../activities/store';
import { loadConfig, type Config } from './config';
import { lowerCpuPriority } from './cpu-priority';
import { realtimeModels } from './realtime/models';
import { NodeDirectory } from './realtime/node-directory';
import { HttpPushPublisher } from './realtime/push-publisher';
import { loadSharedSecret } from './realtime/shared-secret';
import { ensureSearchAttributes } from './search-attributes';
import { loadSecretKey, sealingWith } from './secrets';
import { connectWorker } from './temporal';
import { bundleWorkflows, createWorker } from './worker';

export async function runWorker(config: Config, workflowBundle?: WorkflowBundleOption) {
  const store = await openStore(config.mongoUri);
  // Stored messages and routing events are pushed to every server, for their streams.
  const realtime = realtimeModels(store.connection);
  const nodes = new NodeDirectory(realtime);
  await nodes.start();
  const publisher = new HttpPushPublisher(nodes, await loadSharedSecret(realtime));
  // Provider channels send with the inboxes' credentials, unsealed with the secret key; access tokens are shared with every process.
  const secretKey = await loadSecretKey(config);
  const sealing = sealingWith(secretKey);
  const apis = providerApis(store.models, sealing);
  const channels = channelSenders(store.models, sealing.open, { fullMessageUrl: fullMessageLinks(config.publicUrl, secretKey).url }, apis);
  // What customers send as provider media ids is copied as it arrives: the provider keeps it three days.
  const media = providerMedia(store.models, apis.mediaDownloads);
  const connection = await connectWorker(config);
  await ensureSearchAttributes(connection, config.temporalNamespace);
  const worker = await createWorker({
    connection, namespace: config.temporalNamespace, taskQueue: config.taskQueue, models: store.models,
    deps: { publish: publisher.publish, publishEvent: publisher.publishEvent, integrations: config.integrations, channels, media }, workflowBundle,
  });
  const running = worker.run();
  return {
    running,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown(); // finishes the tasks in hand, then resolves `running`
      await running;
      await publisher.stop(); // after the tasks, which may still publish
      await nodes.stop();
      await connection.close();
      await store.close();
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const config = loadConfig();
  // Before the SDK starts its threads, which inherit the priority.
  const lowered = lowerCpuPriority(config.workerNice);
  Runtime.install({ logger: new DefaultLogger(process.env.LOG_LEVEL === 'debug' ? 'DEBUG' : 'WARN') });
  const w = await runWorker(config, await bundleWorkflows());
  const priority = lowered.thread || lowered.session ? `, at nice ${config.workerNice}${lowered.session ? ' (its session too)' : ''}` : '';
  console.log(`[huiliu] worker polling task queue "${config.taskQueue}"${priority}`);
  // The SDK shuts the worker down on SIGINT/SIGTERM by itself; exit once it has.
  await w.running;
  await w.stop();
  process.exit(0);
}
