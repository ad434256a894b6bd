// What a WeChat Official Account inbox holds: its secrets (stored sealed) and
// its settings, with the defaults an inbox created without them gets, and the
// cached lookup the sender and the media download share.
import type { Models } from '../../store';
import { ttlCache } from '../../ttl-cache';

export interface WechatCredentials {
  appId: string;
  appSecret: string;
  /** The Token typed into the WeChat console; signs every callback. */
  token: string;
  /** 43 characters; the AES key of safe and compatible modes. */
  encodingAesKey: string;
}

export type WechatMessageMode = 'plaintext' | 'compatible' | 'safe';

export interface WechatSettings {
  /** Where the WeChat API is: the public one, a private gateway, or a test server. */
  apiBaseUrl: string;
  messageMode: WechatMessageMode;
}

export const WECHAT_API_BASE_URL = 'https://api.weixin.qq.com';

export function wechatSettings(stored: Partial<WechatSettings> | null | undefined): WechatSettings {
  return {
    apiBaseUrl: (stored?.apiBaseUrl ?? WECHAT_API_BASE_URL).replace(/\/+$/, ''),
    messageMode: stored?.messageMode ?? 'safe',
  };
}

/** An inbox as the channel code needs it, secrets opened. */
export interface WechatInbox {
  credentials: WechatCredentials;
  settings: WechatSettings;
}

/**
 * Reads WeChat inboxes by id, credentials opened; undefined for an id that is
 * no WeChat inbox. Inboxes change rarely: a changed one is seen within 5 s.
 */
export function wechatInboxes(models: Models, openCredentials: (sealed: string) => unknown): (inboxId: string) => Promise<WechatInbox | undefined> {
  return ttlCache(5_000, async (inboxId): Promise<WechatInbox | undefined> => {
    const doc = await models.Inbox.findById(inboxId).lean().exec();
    if (doc?.channel !== 'wechat' || !doc.credentials) return undefined;
    return { credentials: await openCredentials(doc.credentials) as WechatCredentials, settings: wechatSettings(doc.settings) };
  });
}
