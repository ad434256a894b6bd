// What a mobile app inbox holds: its secrets (stored sealed, the API key only
// as a hash) and its settings. The app calls the REST API with its key
// (server/routes/app.ts); replies reach a closed app through the push webhook
// (./send.ts).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Sealed with SECRET_KEY in the inbox's `credentials`; never returned after creation. */
export interface AppCredentials {
  /** SHA-256 (hex) of the API key: the key itself is not kept anywhere. */
  apiKeyHash: string;
  /** Signs user ids (server/identity.ts): the app's backend holds it, never the app. */
  identitySecret: string;
  /** Signs push webhooks, so the app's backend knows they come from us. */
  pushSecret: string;
}

export interface AppSettings {
  /** Where replies go while the app is closed; no pushes when absent. */
  pushUrl?: string;
}

/** The secrets shown once: at creation, or when rotated. */
export interface AppSecrets {
  apiKey: string;
  identitySecret: string;
  pushSecret: string;
}

export type AppSecretName = keyof AppSecrets;

export function appSettings(stored: Partial<AppSettings> | null | undefined): AppSettings {
  return stored?.pushUrl ? { pushUrl: stored.pushUrl } : {};
}

/** An inbox as the channel code needs it, secrets opened. */
export interface AppInbox {
  id: string;
  credentials: AppCredentials;
  settings: AppSettings;
}

// `hlapp_<inboxId>.<43 base64url characters>`: the key names its inbox, so
// checking it is one read by `_id` (the only indexed filter on FerretDB v1);
// the prefix lets secret scanners recognise a leaked key.
const KEY_PREFIX = 'hlapp_';
const KEY = /^hlapp_([A-Za-z0-9_.:-]{1,64})\.([A-Za-z0-9_-]{43})$/;

export const hashApiKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

/** The inbox a key claims to belong to; undefined when it is not shaped like a key. */
export function inboxIdOfApiKey(key: string): string | undefined {
  return KEY.exec(key)?.[1];
}

/** Whether the key's hash is the stored one, in constant time. */
export function apiKeyMatches(key: string, storedHash: string): boolean {
  const given = Buffer.from(hashApiKey(key), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return stored.length === given.length && timingSafeEqual(given, stored);
}

/** 256 random bits each; the key is a bearer token, the other two HMAC keys. */
export function newAppSecret(name: AppSecretName, inboxId: string): string {
  return name === 'apiKey' ? `${KEY_PREFIX}${inboxId}.${randomBytes(32).toString('base64url')}` : randomBytes(32).toString('hex');
}

/** Replaces the named secrets; returns what to store and what to show once. */
export function rotateAppSecrets(inboxId: string, current: AppCredentials | undefined, names: readonly AppSecretName[]) {
  const shown: Partial<AppSecrets> = {};
  const next = { ...current } as AppCredentials;
  for (const name of names) {
    const value = newAppSecret(name, inboxId);
    shown[name] = value;
    if (name === 'apiKey') next.apiKeyHash = hashApiKey(value);
    else next[name] = value;
  }
  return { credentials: next, shown };
}
