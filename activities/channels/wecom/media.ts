// Downloading what a customer sent through WeCom customer service — an image,
// a voice note, a video, a file — by its media_id:
// `GET /cgi-bin/media/get?access_token=…&media_id=…` (kept by WeCom three
// days). It answers the file with its Content-Type and file name, or an
// errcode (40007 invalid media_id; 830002: larger than 20 MB, which only
// Range requests could fetch).
import { downloadMedia, ProviderMediaError, type FetchProviderMedia, type MediaApi } from '../provider-media';
import { STALE_TOKEN, type WecomApi } from './api';
import type { WecomInbox } from './inbox';

export interface WecomMediaDeps {
  /** The inbox with its credentials opened; undefined when it no longer exists. */
  inbox(inboxId: string): Promise<WecomInbox | undefined>;
  api: WecomApi;
}

export function wecomMediaDownload(deps: WecomMediaDeps): FetchProviderMedia {
  const api: MediaApi<WecomInbox> = {
    provider: 'WeCom',
    tokens: deps.api.tokens,
    url: (inbox, token, mediaId) => `${inbox.settings.apiBaseUrl}/cgi-bin/media/get?${new URLSearchParams({ access_token: token, media_id: mediaId })}`,
    staleToken: STALE_TOKEN,
    // -1 system busy, 45009 call frequency limit.
    failures: { 40007: 'gone', 830002: 'too-large', [-1]: 'unavailable', 45009: 'unavailable' },
  };
  return async (inboxId, mediaId, maxBytes) => {
    const inbox = await deps.inbox(inboxId);
    if (!inbox) throw new ProviderMediaError('not-found', `WeCom inbox "${inboxId}" no longer exists`);
    return downloadMedia(api, inbox, mediaId, maxBytes);
  };
}
