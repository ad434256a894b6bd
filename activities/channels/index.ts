// The outbound channel registry: the channels whose messages go out through a
// provider's API (or, for the mobile app, a push webhook). The message store
// calls a channel's sender after storing an outbound message; channels not
// listed here (web chat) deliver from the store.
import type { Models } from '../store';
import type { MessageChoice } from '../types';
import { ttlCache } from '../ttl-cache';
import { appSender } from './app/send';
import { appSenderState } from './app/store';
import type { WechatCredentials, WechatInbox } from './wechat/inbox';
import { wechatSettings } from './wechat/inbox';
import { wechatSender } from './wechat/send';
import { wecomSender } from './wecom/send';
import { wecomState } from './wecom/store';
import { weiboInboxes } from './weibo/inbox';
import { weiboSender } from './weibo/send';

/** What a provider did with a message. */
export type Delivery = { status: 'sent' } | { status: 'failed'; error: string };

export interface OutboundToSend {
  /** The stored message's id. */
  id: string;
  inboxId: string;
  /** The customer's id on the channel (for WeChat, the openid). */
  visitorId: string;
  text: string;
  /** Answers to offer as buttons or a menu where the provider has them (`text` already lists them). */
  choices?: MessageChoice[];
  /** How many parts of a split message the provider took already (an earlier attempt, in any process). */
  partsSent?: number;
  /** Records that the first `n` parts went out, so a retry goes on from there instead of sending them again. */
  recordPartsSent?: (n: number) => Promise<void>;
}

/**
 * Sends one message. Throws when a retry may work (provider busy or down);
 * returns a failed delivery when it cannot.
 */
export type ChannelSender = (message: OutboundToSend) => Promise<Delivery>;

export type ChannelSenders = Partial<Record<string, ChannelSender>>;

/**
 * The senders, reading each inbox's settings and sealed credentials from the
 * store; `openCredentials` unseals them (the key stays with the caller).
 */
export function channelSenders(models: Models, openCredentials: (sealed: string) => unknown): ChannelSenders {
  // Inboxes change rarely; a changed one is seen within 5 s.
  const wechatInbox = ttlCache(5_000, async (inboxId): Promise<WechatInbox | undefined> => {
    const doc = await models.Inbox.findById(inboxId).lean().exec();
    if (doc?.channel !== 'wechat' || !doc.credentials) return undefined;
    return { credentials: openCredentials(doc.credentials) as WechatCredentials, settings: wechatSettings(doc.settings) };
  });
  return {
    wechat: wechatSender({ inbox: wechatInbox }), wecom: wecomSender(wecomState(models, openCredentials)),
    // The mobile app: a signed push webhook while the app is closed; its open stream reads from the store.
    app: appSender(appSenderState(models, openCredentials)),
    weibo: weiboSender({ inbox: weiboInboxes(models, openCredentials) }),
  };
}
