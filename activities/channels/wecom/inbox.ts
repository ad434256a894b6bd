// What a WeCom customer-service (企业微信 微信客服) inbox holds: its secrets
// (stored sealed) and its settings, with the defaults an inbox created without
// them gets.

export interface WecomCredentials {
  /** The CorpID: the gettoken `corpid` and the ReceiveId of the callback crypto. */
  corpId: string;
  /** The 微信客服 secret (gettoken `corpsecret`). */
  secret: string;
  /** The callback Token; signs every callback (msg_signature). */
  token: string;
  /** 43 characters; the callback AES key. */
  encodingAesKey: string;
}

export interface WecomSettings {
  /** Where the WeCom API is: the public one, a private gateway, or a test server. */
  apiBaseUrl: string;
  /** When set, only this customer-service account's messages are pulled. */
  openKfId?: string;
}

export const WECOM_API_BASE_URL = 'https://qyapi.weixin.qq.com';

export function wecomSettings(stored: Partial<WecomSettings> | null | undefined): WecomSettings {
  return {
    apiBaseUrl: (stored?.apiBaseUrl ?? WECOM_API_BASE_URL).replace(/\/+$/, ''),
    ...(stored?.openKfId ? { openKfId: stored.openKfId } : {}),
  };
}

/** An inbox as the channel code needs it, secrets opened. */
export interface WecomInbox {
  credentials: WecomCredentials;
  settings: WecomSettings;
}
