// Connections to Temporal: the embedded dev server, a cluster, or Temporal
// Cloud (TEMPORAL_API_KEY turns on TLS with an API key).
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from './config';

const options = (c: Config) => ({
  address: c.temporalAddress,
  ...(c.temporalApiKey ? { tls: true, apiKey: c.temporalApiKey } : {}),
});

export async function connectClient(c: Config): Promise<Client> {
  // No client-side retries: every call here answers an HTTP request that has a
  // deadline, and a webhook's caller retries on our 503 itself. (The SDK's
  // retry timers also outlive a closed connection and then throw.)
  const connection = await Connection.connect({ ...options(c), interceptors: [] });
  return new Client({ connection, namespace: c.temporalNamespace });
}

export function connectWorker(c: Config): Promise<NativeConnection> {
  return NativeConnection.connect(options(c));
}
