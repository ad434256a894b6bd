// The API server process: `tsx server/start-server.ts` (the launcher runs it).
import type { Server } from 'node:http';
import { pathToFileURL } from 'node:url';
import { openStore } from '../activities/store';
import { createApp } from './app';
import { loadConfig, type Config } from './config';
import { ConversationGateway } from './conversation-gateway';
import { MessageFeed } from './realtime';
import { connectClient } from './temporal';

export async function runServer(config: Config) {
  const store = await openStore(config.mongoUri);
  const client = await connectClient(config);
  const feed = new MessageFeed(store.models);
  const app = createApp({ config, models: store.models, client, feed, gateway: new ConversationGateway(client, config.taskQueue) });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s)).once('error', reject);
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      feed.stop();
      // Event streams never end on their own: close them with the server.
      const closed = new Promise((r) => server.close(r));
      server.closeAllConnections();
      await closed;
      await client.connection.close();
      await store.close();
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const config = loadConfig();
  const running = await runServer(config);
  console.log(`[huiliu] server listening on ${config.host}:${config.port}`);
  const stop = async () => { await running.stop(); process.exit(0); };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}
