// Typed configuration from the environment, with the defaults the launcher uses.
import { join, resolve } from 'node:path';
import { orderApiConfig } from '../activities/plugins/order-status/handler';
import type { Integrations } from '../activities/plugins/types';
import { PROJECT_ROOT } from './embedded';

export interface Config {
  port: number;
  host: string;
  /** The URL people open; printed by the launcher and used in webhook URLs. */
  publicUrl: string;
  /**
   * Where workers reach this server to push realtime messages. By default the
   * address and port actually bound (127.0.0.1 when bound to all interfaces),
   * which only works for workers on the same machine.
   */
  internalUrl?: string;
  temporalAddress: string;
  temporalNamespace: string;
  temporalApiKey?: string;
  /** TEMPORAL_UI_URL: the Temporal web UI, for the ops console's deep links. */
  temporalUiUrl?: string;
  taskQueue: string;
  mongoUri: string;
  adminToken?: string;
  dataDir: string;
  consoleDir: string;
  /**
   * SECRET_KEY: 32 bytes as base64, the key inbox credentials are encrypted
   * with. Unset: a key file `secret.key` in dataDir, created on first use.
   */
  secretKey?: string;
  /** AGENT_AWAY_MINUTES: an online agent not seen for this long is set away (0: never). */
  agentAwayMinutes: number;
  /** OPS_IDLE_MINUTES: a running conversation that has not moved for this long counts as stuck (idle). */
  opsIdleMinutes: number;
  /**
   * WORKER_NICE: the worker's CPU priority, as a nice value 0-19 (0: normal).
   * Lowered by default so that, on a machine it shares, answering webhooks
   * and visitors comes before working through a backlog.
   */
  workerNice: number;
  /** What flows' integration nodes may reach: HTTP_ALLOW_HOSTS, ORDER_API_URL and ORDER_API_TOKEN. */
  integrations: Integrations;
}

function port(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a port number (0-65535), got "${value}"`);
  return n;
}

function httpUrl(name: string, value: string | undefined): string | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} must be an http(s) URL, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${name} must be an http(s) URL, got "${value}"`);
  return value.replace(/\/+$/, '');
}

function positiveNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!(n > 0)) throw new Error(`${name} must be a positive number, got "${value}"`);
  return n;
}

function niceValue(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 19) throw new Error(`${name} must be a whole number from 0 (normal priority) to 19 (lowest), got "${value}"`);
  return n;
}

function secretKey(value: string | undefined): string | undefined {
  if (!value) return undefined;
  // Never echo the value: it is the key to every stored credential.
  if (!/^[A-Za-z0-9+/]{43}=?$/.test(value) || Buffer.from(value, 'base64').length !== 32) {
    throw new Error('SECRET_KEY must be 32 bytes as base64 (e.g. `openssl rand -base64 32`)');
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const p = port('PORT', env.PORT, 3000);
  const host = env.HOST || '0.0.0.0';
  return {
    port: p,
    host,
    publicUrl: env.PUBLIC_URL || `http://localhost:${p}`,
    internalUrl: httpUrl('INTERNAL_URL', env.INTERNAL_URL),
    temporalAddress: env.TEMPORAL_ADDRESS || '127.0.0.1:7233',
    temporalNamespace: env.TEMPORAL_NAMESPACE || 'default',
    temporalApiKey: env.TEMPORAL_API_KEY || undefined,
    temporalUiUrl: httpUrl('TEMPORAL_UI_URL', env.TEMPORAL_UI_URL),
    taskQueue: env.TEMPORAL_TASK_QUEUE || 'conversations',
    mongoUri: env.MONGODB_URI || 'mongodb://127.0.0.1:27017/huiliu',
    adminToken: env.ADMIN_TOKEN || undefined,
    secretKey: secretKey(env.SECRET_KEY),
    opsIdleMinutes: positiveNumber('OPS_IDLE_MINUTES', env.OPS_IDLE_MINUTES, 60),
    workerNice: niceValue('WORKER_NICE', env.WORKER_NICE, 19),
    agentAwayMinutes: env.AGENT_AWAY_MINUTES === '0' ? 0 : positiveNumber('AGENT_AWAY_MINUTES', env.AGENT_AWAY_MINUTES, 15),
    dataDir: resolve(env.DATA_DIR || join(PROJECT_ROOT, 'data')),
    consoleDir: join(PROJECT_ROOT, 'editor', 'dist'),
    integrations: {
      // An analyst may only call hosts an operator listed; private addresses are always refused.
      http: { allowHosts: (env.HTTP_ALLOW_HOSTS ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean), allowPrivateAddresses: false },
      orderApi: orderApiConfig(env),
    },
  };
}
