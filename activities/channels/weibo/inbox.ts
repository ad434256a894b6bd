// What a Weibo private-message inbox (微博 粉丝服务平台) holds: its secrets
// (stored sealed) and its settings, and the cached lookup the webhook and the
// sender share.
import type { Models } from '../../store';
import { ttlCache } from '../../ttl-cache';

export interface WeiboCredentials {
  /** The APPKEY typed into the fan-service console next to the URL; not secret, kept to show it again. */
  appKey: string;
  /** The App Secret of that app: it signs every push (signature over appsecret, timestamp, nonce). */
  appSecret: string;
  /**
   * The access token the fan-service console issues (高级功能 → 开发模式); it
   * lives for months and cannot be refreshed from here, so it is stored as given.
   */
  accessToken: string;
}

export interface WeiboSettings {
  /** Where the fan-service API is: the public one, a private gateway, or a test server. */
  apiBaseUrl: string;
}

export const WEIBO_API_BASE_URL = 'https://m.api.weibo.com';

export function weiboSettings(stored: Partial<WeiboSettings> | null | undefined): WeiboSettings {
  return { apiBaseUrl: (stored?.apiBaseUrl ?? WEIBO_API_BASE_URL).replace(/\/+$/, '') };
}

/** An inbox as the channel code needs it, secrets opened. */
export interface WeiboInbox {
  credentials: WeiboCredentials;
  settings: WeiboSettings;
}

/**
 * Reads Weibo inboxes by id, credentials opened; undefined for an id that is
 * no Weibo inbox. Inboxes change rarely: a changed one is seen within 5 s.
 */
export function weiboInboxes(models: Models, openCredentials: (sealed: string) => unknown): (inboxId: string) => Promise<WeiboInbox | undefined> {
  return ttlCache(5_000, async (inboxId): Promise<WeiboInbox | undefined> => {
    const doc = await models.Inbox.findById(inboxId).lean().exec();
    if (doc?.channel !== 'weibo' || !doc.credentials) return undefined;
    return { credentials: await openCredentials(doc.credentials) as WeiboCredentials, settings: weiboSettings(doc.settings) };
  });
}
