// Pulling WeCom customer-service messages after a callback: `kf/sync_msg`
// with the callback's token from the inbox's stored cursor, page after page
// while has_more (bounded), the cursor saved after each page, each customer
// message (origin 3) handed to its conversation. Runs in the server process,
// after the callback was acknowledged; one pull per inbox at a time (a
// callback during a pull makes one more pull afterwards). Trouble is retried
// a bounded number of times; a message delivered twice (a retried page, an
// overlapping pull) is dropped by its conversation (providerMessageId).
import { setTimeout as sleep } from 'node:timers/promises';
import type { ContentType, InboundMessage, MediaRef } from '../../types';
import { PLACEHOLDERS as CONTENT_PLACEHOLDERS, rawPayload } from '../../unified-message';
import { faceCodesToEmoji } from '../wechat/emoji';
import { WecomRefused, wecomApi, type WecomApi } from './api';
import type { WecomKfCallback } from './callback';
import type { WecomState } from './store';

/** sync_msg's origin of a message the customer sent (4: system, 5: our servicer). */
const FROM_CUSTOMER = 3;
const PAGE_LIMIT = 1000;
/** The unified message's text limit. */
const MAX_TEXT_LENGTH = 4000;
const EXTERNAL_USERID = /^[A-Za-z0-9_-]{1,128}$/;

/** What a customer sent when it has no text of its own, by WeCom msgtype: the unified ones, and WeCom's own kinds. */
const PLACEHOLDERS: Record<string, string> = {
  ...CONTENT_PLACEHOLDERS,
  link: CONTENT_PLACEHOLDERS.rich,
  business_card: '[名片 Business card]',
  miniprogram: '[小程序 Mini program]',
  msgmenu: '[菜单 Menu]',
  channels_shop_product: '[商品 Product]',
  channels_shop_order: '[订单 Order]',
};

export interface SyncedMessage {
  msgid: string;
  open_kfid?: string;
  external_userid?: string;
  send_time?: number;
  origin?: number;
  msgtype?: string;
  text?: { content?: string; menu_id?: string };
  image?: { media_id?: string };
  voice?: { media_id?: string };
  video?: { media_id?: string };
  file?: { media_id?: string };
  location?: { name?: string; address?: string; latitude?: number; longitude?: number };
  link?: { title?: string; desc?: string; url?: string; pic_url?: string };
}

export interface SyncReply { next_cursor?: string; has_more?: number | boolean; msg_list?: SyncedMessage[] }

export interface WecomPullerDeps {
  state: WecomState;
  deliver(ref: { inboxId: string; channel: 'wecom'; visitorId: string }, message: InboundMessage): Promise<unknown>;
  api?: WecomApi;
  /** Attempts per pull (default 5), the first backoff (default 250 ms, doubling), pages per pull (default 50). */
  attempts?: number;
  backoffMs?: number;
  maxPages?: number;
  log?: (line: string) => void;
}

/** Starts (or queues) a pull for the inbox; the promise settles when it is done and never rejects. */
export type WecomPull = (inboxId: string, callback: WecomKfCallback) => Promise<void>;

export function wecomPuller(deps: WecomPullerDeps): WecomPull {
  const api = deps.api ?? wecomApi();
  const attempts = deps.attempts ?? 5;
  const backoffMs = deps.backoffMs ?? 250;
  const maxPages = deps.maxPages ?? 50;
  const log = deps.log ?? ((line: string) => console.error(`[huiliu] ${line}`));
  /** Per inbox: the pull running, and the callback to pull for once it is done. */
  const running = new Map<string, { done: Promise<void>; next?: WecomKfCallback }>();

  function pull(inboxId: string, callback: WecomKfCallback): Promise<void> {
    const current = running.get(inboxId);
    if (current) {
      // The running pull may have read its last page already: pull once more after it, for the newest callback.
      // (`done` covers that extra pull too.)
      current.next = callback;
      return current.done;
    }
    const entry: { done: Promise<void>; next?: WecomKfCallback } = { done: Promise.resolve() };
    entry.done = (async () => {
      await withRetries(inboxId, callback);
      running.delete(inboxId);
      if (entry.next) await pull(inboxId, entry.next);
    })();
    running.set(inboxId, entry);
    return entry.done;
  }

  async function withRetries(inboxId: string, callback: WecomKfCallback): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await pullPages(inboxId, callback);
        return;
      } catch (err) {
        const permanent = err instanceof WecomRefused;
        if (permanent || attempt >= attempts) {
          log(`WeCom inbox "${inboxId}": pulling messages failed${permanent ? '' : ` after ${attempt} attempts`}: ${(err as Error).message}`);
          return;
        }
        await sleep(Math.min(backoffMs * 2 ** (attempt - 1), 10_000), undefined, { ref: false });
      }
    }
  }

  async function pullPages(inboxId: string, callback: WecomKfCallback): Promise<void> {
    const inbox = await deps.state.inbox(inboxId);
    if (!inbox) return;
    const openKfId = inbox.settings.openKfId ?? callback.openKfId;
    if (openKfId !== callback.openKfId) return; // another account of the corp: not this inbox's
    let cursor = await deps.state.cursor(inboxId);
    for (let page = 0; page < maxPages; page++) {
      const reply = await api.post<SyncReply>(inbox, '/cgi-bin/kf/sync_msg', {
        ...(cursor ? { cursor } : {}), token: callback.token, limit: PAGE_LIMIT, open_kfid: openKfId,
      });
      for (const message of reply.msg_list ?? []) {
        const found = customerMessage(message, openKfId);
        if (found) await deps.deliver({ inboxId, channel: 'wecom', visitorId: found.visitorId }, found.inbound);
      }
      if (reply.next_cursor && reply.next_cursor !== cursor) {
        cursor = reply.next_cursor;
        await deps.state.saveCursor(inboxId, cursor, openKfId);
      }
      if (!reply.has_more) return;
    }
    log(`WeCom inbox "${inboxId}": more than ${maxPages} pages waiting; the rest comes with the next callback`);
  }

  return pull;
}

/** A message the customer sent, as its conversation takes it; undefined for anything else. */
export function customerMessage(m: SyncedMessage, openKfId: string): { visitorId: string; inbound: InboundMessage } | undefined {
  if (m.origin !== FROM_CUSTOMER || typeof m.msgid !== 'string' || !m.msgid || m.msgid.length > 128) return undefined;
  if (m.open_kfid !== undefined && m.open_kfid !== openKfId) return undefined;
  if (typeof m.external_userid !== 'string' || !EXTERNAL_USERID.test(m.external_userid)) return undefined;
  const text = (textOf(m).trim() || PLACEHOLDERS[m.msgtype ?? ''] || PLACEHOLDERS.text).slice(0, MAX_TEXT_LENGTH);
  const sentAt = typeof m.send_time === 'number' && Number.isFinite(m.send_time) && m.send_time > 0 ? m.send_time * 1000 : undefined;
  return {
    visitorId: m.external_userid,
    inbound: {
      providerMessageId: m.msgid, ...contentOf(m), text, receivedAt: Date.now(), ...(sentAt ? { sentAt } : {}),
      raw: rawPayload('json', JSON.stringify(m)),
    },
  };
}

/** sync_msg's message types that only refer to a file (media_id: fetch it with media/get). */
const MEDIA_TYPES: Record<string, { kind: MediaRef['kind']; mime?: string }> = {
  image: { kind: 'image' },
  // Recordings come as AMR unless sync_msg is asked for another voice_format.
  voice: { kind: 'voice', mime: 'audio/amr' },
  video: { kind: 'video' },
  file: { kind: 'file' },
};
/** Cards the customer shared: readable as their placeholder, shown as rich content. */
const RICH_TYPES = new Set(['link', 'business_card', 'miniprogram', 'msgmenu', 'channels_shop_product', 'channels_shop_order']);

const nonEmpty = (value: unknown, max = 2048): string | undefined => (typeof value === 'string' && value.trim() && value.length <= max ? value : undefined);
const coordinate = (value: unknown, limit: number): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= limit ? value : undefined;

/** What the message carries besides its text (the unified message's content); a field out of shape is left out. */
function contentOf(m: SyncedMessage): Pick<InboundMessage, 'type' | 'media' | 'location' | 'link'> {
  const type = m.msgtype ?? '';
  const media = MEDIA_TYPES[type];
  if (media) {
    const mediaId = nonEmpty((m[type as keyof SyncedMessage] as { media_id?: unknown } | undefined)?.media_id, 512);
    return { type: media.kind as ContentType, ...(mediaId ? { media: [{ kind: media.kind, providerMediaId: mediaId, ...(media.mime ? { mime: media.mime } : {}) }] } : {}) };
  }
  if (type === 'location') {
    const latitude = coordinate(m.location?.latitude, 90);
    const longitude = coordinate(m.location?.longitude, 180);
    const label = [m.location?.name, m.location?.address].filter((v) => nonEmpty(v, 500)).join(' ');
    return latitude !== undefined && longitude !== undefined
      ? { type: 'location', location: { latitude, longitude, ...(label ? { label } : {}) } }
      : { type: 'location' };
  }
  if (RICH_TYPES.has(type)) {
    const url = type === 'link' ? nonEmpty(m.link?.url) : undefined;
    if (!url) return { type: 'rich' };
    const title = nonEmpty(m.link?.title, 1000);
    const description = nonEmpty(m.link?.desc, 2000);
    const imageUrl = nonEmpty(m.link?.pic_url);
    return { type: 'rich', link: { url, ...(title ? { title } : {}), ...(description ? { description } : {}), ...(imageUrl ? { imageUrl } : {}) } };
  }
  return { type: 'text' };
}

function textOf(m: SyncedMessage): string {
  if (m.msgtype === 'text' && typeof m.text?.content === 'string') return faceCodesToEmoji(m.text.content);
  if (m.msgtype === 'location') return [PLACEHOLDERS.location, m.location?.name, m.location?.address].filter(Boolean).join(' ');
  if (m.msgtype === 'link') return [PLACEHOLDERS.link, m.link?.title, m.link?.url].filter(Boolean).join(' ');
  return '';
}
