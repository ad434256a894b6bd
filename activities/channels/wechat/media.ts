// Downloading what a follower sent — a voice note, a video, a picture — by its
// MediaId: `GET /cgi-bin/media/get?access_token=…&media_id=…` (temporary
// media, kept by WeChat three days). It answers the file itself, JSON with
// `video_url` for a video, or an errcode (40007 invalid media_id: expired or
// unknown).
import { downloadMedia, ProviderMediaError, type FetchProviderMedia, type MediaApi } from '../provider-media';
import type { AccessTokenCache } from '../access-token';
import { BUSY, STALE_TOKEN } from './api';
import type { WechatInbox } from './inbox';

export interface WechatMediaDeps {
  /** The inbox with its credentials opened; undefined when it no longer exists. */
  inbox(inboxId: string): Promise<WechatInbox | undefined>;
  tokens: AccessTokenCache<WechatInbox>;
}

export function wechatMediaDownload(deps: WechatMediaDeps): FetchProviderMedia {
  const api: MediaApi<WechatInbox> = {
    provider: 'WeChat',
    tokens: deps.tokens,
    url: (inbox, token, mediaId) => `${inbox.settings.apiBaseUrl}/cgi-bin/media/get?${new URLSearchParams({ access_token: token, media_id: mediaId })}`,
    staleToken: STALE_TOKEN,
    // 45009: the account's daily call quota is spent.
    failures: { 40007: 'gone', [BUSY]: 'unavailable', 45009: 'unavailable' },
    fileUrl: ({ video_url: url }) => (typeof url === 'string' && /^https?:\/\//i.test(url) ? url : undefined),
  };
  return async (inboxId, mediaId, maxBytes) => {
    const inbox = await deps.inbox(inboxId);
    if (!inbox) throw new ProviderMediaError('not-found', `WeChat inbox "${inboxId}" no longer exists`);
    return downloadMedia(api, inbox, mediaId, maxBytes);
  };
}
