// What a web chat inbox holds besides its flow: an optional identity secret
// (server/identity.ts), sealed with SECRET_KEY in `credentials` like every
// channel's secrets. Without one, every visitor is anonymous.
import { randomBytes } from 'node:crypto';
import type { Models } from '../activities/store';
import { ttlCache } from '../activities/ttl-cache';
import type { Config } from './config';
import { loadSecretKey, openSecret, sealSecret } from './secrets';

/** Sealed in the inbox's `credentials`; never returned after it is made. */
export interface WebchatCredentials {
  /** Signs user ids: the site's backend holds it, never the page. */
  identitySecret?: string;
}

export interface WebchatInbox {
  id: string;
  name: string;
  identitySecret?: string;
}

/** 256 random bits, hex: an HMAC key. */
export const newIdentitySecret = () => randomBytes(32).toString('hex');

export async function sealWebchatCredentials(config: Pick<Config, 'secretKey' | 'dataDir'>, credentials: WebchatCredentials): Promise<string | undefined> {
  return credentials.identitySecret ? sealSecret(credentials, await loadSecretKey(config)) : undefined;
}

/**
 * Reads a web chat inbox with its identity secret opened; undefined when there
 * is no web chat inbox of that id. Every visitor request names its inbox and
 * inboxes change rarely: a change shows within 5 s.
 */
export function webchatInboxReader(models: Models, config: Pick<Config, 'secretKey' | 'dataDir'>) {
  return ttlCache(5_000, async (inboxId): Promise<WebchatInbox | undefined> => {
    const doc = await models.Inbox.findById(inboxId).lean().exec();
    if (!doc || doc.channel !== 'webchat') return undefined;
    const credentials = doc.credentials ? openSecret(doc.credentials, await loadSecretKey(config)) as WebchatCredentials : {};
    return { id: doc._id, name: doc.name, ...(credentials.identitySecret ? { identitySecret: credentials.identitySecret } : {}) };
  });
}

/** The embed snippet for a site, as the README shows it. */
export function widgetSnippet(publicUrl: string, inboxId: string): string {
  return `<script src="${publicUrl}/widget.js" data-inbox="${inboxId}" data-lang="zh" async></script>`;
}
