// One process's clients of the provider APIs that need an access token
// (WeChat, WeCom): built once per process, their tokens shared with every
// other process through the store (./shared-tokens.ts), so the senders, the
// WeCom message pulls and the media downloads of an installation fetch one
// token per app between them.
import type { Models } from '../store';
import type { AccessTokenCache } from './access-token';
import type { ProviderMediaFetchers } from './provider-media';
import { sharedTokenStore, type Sealing } from './shared-tokens';
import { wechatTokens } from './wechat/api';
import { wechatInboxes, type WechatInbox } from './wechat/inbox';
import { wechatMediaDownload } from './wechat/media';
import { wecomApi, type WecomApi } from './wecom/api';
import { wecomMediaDownload } from './wecom/media';
import { wecomState } from './wecom/store';

export interface ProviderApis {
  wechatTokens: AccessTokenCache<WechatInbox>;
  wecom: WecomApi;
  /** Downloads of what customers sent as a provider media id, by channel (./provider-media.ts). */
  mediaDownloads: ProviderMediaFetchers;
}

/** `sealing` opens inbox credentials and seals and opens the stored tokens, with the key the caller keeps. */
export function providerApis(models: Models, sealing: Sealing): ProviderApis {
  const shared = sharedTokenStore(models, sealing);
  const tokens = wechatTokens({ shared });
  const wecom = wecomApi({ shared });
  return {
    wechatTokens: tokens,
    wecom,
    mediaDownloads: {
      wechat: wechatMediaDownload({ inbox: wechatInboxes(models, sealing.open), tokens }),
      wecom: wecomMediaDownload({ inbox: wecomState(models, sealing.open).inbox, api: wecom }),
    },
  };
}
