// The outbound channel registry: the channels whose messages go out through a
// provider's API (or, for the mobile app, a push webhook). The message store
// calls a channel's sender after storing an outbound message; channels not
// listed here (web chat) deliver from the store.
import type { Models } from '../store';
import type { MessageCard, MessageChoice } from '../types';
import { appSender } from './app/send';
import { appSenderState } from './app/store';
import type { AdaptOptions } from './capabilities';
import type { ProviderApis } from './provider-apis';
import { wechatInboxes } from './wechat/inbox';
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
  /** Answers to offer as buttons or a menu where the provider has them; listed under the text elsewhere. */
  choices?: MessageChoice[];
  card?: MessageCard;
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
 * `adapt.fullMessageUrl` links a text cut to a channel's limit to the whole of
 * it (./full-message-link.ts). `apis` share access tokens with every other
 * process (./provider-apis.ts); without them each sender keeps its own.
 */
export function channelSenders(models: Models, openCredentials: (sealed: string) => unknown, adapt: AdaptOptions, apis?: ProviderApis): ChannelSenders {
  return {
    wechat: wechatSender({ ...adapt, inbox: wechatInboxes(models, openCredentials), tokens: apis?.wechatTokens }),
    wecom: wecomSender({ ...adapt, ...wecomState(models, openCredentials), api: apis?.wecom }),
    // The mobile app: a signed push webhook while the app is closed; its open stream reads from the store.
    app: appSender({ ...adapt, ...appSenderState(models, openCredentials) }),
    weibo: weiboSender({ ...adapt, inbox: weiboInboxes(models, openCredentials) }),
  };
}
