// Copies of provider media, on the real FerretDB against the fake WeChat and
// WeCom APIs: a voice note, a video and a file are downloaded with the shared
// token, stored and recorded on their message; an unknown id, a refused
// token, a file over the limit and a provider that is down each end clearly.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealingWith } from '../../server/secrets';
import { openTestStore, waitFor } from '../../test/support/env';
import { wechatApp } from '../../test/support/wechat-app';
import { OPEN_KFID } from '../../test/support/wecom-app';
import { mediaStore, type MediaInfo } from '../media-store';
import type { StoredMessage } from '../messages';
import type { Store } from '../store';
import type { MediaRef } from '../types';
import { providerApis } from './provider-apis';
import { providerMedia, ProviderMediaError, type ProviderMedia } from './provider-media';
import { startFakeWechatServer, type FakeWechatServer } from './wechat/fake-wechat-server';
import { startFakeWecomServer, type FakeWecomServer } from './wecom/fake-wecom-server';

const sealing = sealingWith(randomBytes(32));
const WECOM = { corpId: 'ww0123456789abcdef', secret: 'wecom-kf-secret-0123456789', openKfId: OPEN_KFID };
/** An AMR recording's magic, then noise. */
const VOICE = Buffer.concat([Buffer.from('#!AMR\n'), randomBytes(3000)]);
const VIDEO = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), randomBytes(5000)]);
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(2000)]);

let store: Store;
let wechat: FakeWechatServer;
let wecom: FakeWecomServer;
let copies: ProviderMedia;

beforeAll(async () => {
  store = await openTestStore();
  wechat = await startFakeWechatServer(wechatApp());
  wecom = await startFakeWecomServer(WECOM);
  const inbox = (id: string, channel: string, credentials: object, apiBaseUrl: string) =>
    store.models.Inbox.create({ _id: id, name: id, channel, flowId: 'default', credentials: sealing.seal(credentials), settings: { apiBaseUrl } });
  await inbox('wx', 'wechat', wechatApp(), wechat.url);
  await inbox('wx-down', 'wechat', wechatApp(), 'http://127.0.0.1:9');
  await inbox('kf', 'wecom', { corpId: WECOM.corpId, secret: WECOM.secret, token: 'cbtoken', encodingAesKey: 'a'.repeat(43) }, wecom.url);
  copies = providerMedia(store.models, providerApis(store.models, sealing).mediaDownloads, { log: () => undefined });
});
afterAll(async () => {
  await wechat?.close();
  await wecom?.close();
  await store?.close();
});

/** An inbound message as normalizeMessage stored it, with this media. */
async function inboundMessage(channel: 'wechat' | 'wecom', inboxId: string, media: MediaRef[]): Promise<StoredMessage> {
  const doc = {
    _id: `${channel}:${inboxId}:${randomUUID()}`, conversationId: `c-${randomUUID()}`, inboxId, channel, visitorId: 'oVisitor0123456789abcdefghij',
    direction: 'in' as const, author: 'visitor' as const, type: media[0]!.kind, kind: 'text', text: '[语音 Voice]', media, at: new Date(), storedAt: new Date(),
  };
  await store.models.Message.create(doc);
  return (await store.models.Message.findById(doc._id).lean())! as StoredMessage;
}

async function bytesOf(info: MediaInfo): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of mediaStore(store.models).chunks(info)) parts.push(chunk);
  return Buffer.concat(parts);
}

async function failure(promise: Promise<unknown>): Promise<ProviderMediaError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderMediaError);
  return err as ProviderMediaError;
}

const refOf = async (id: string, index = 0) => ((await store.models.Message.findById(id).lean())!.media as MediaRef[])[index]!;

describe('providerMedia.copy: WeChat', () => {
  it('downloads a voice note, stores it for agents only and records the copy on the message; a second copy reads the store', async () => {
    wechat.putMedia('voice-1', { bytes: VOICE, contentType: 'audio/amr' });
    const message = await inboundMessage('wechat', 'wx', [{ kind: 'voice', providerMediaId: 'voice-1', mime: 'audio/amr' }]);
    const info = await copies.copy(message, 0);
    expect(info).toMatchObject({ kind: 'voice', source: 'provider', mime: 'audio/amr', size: VOICE.length, inboxId: 'wx', visitorId: message.visitorId, name: 'voice-1.amr' });
    expect((await bytesOf(info)).equals(VOICE)).toBe(true);
    expect(await refOf(message._id)).toEqual({ kind: 'voice', providerMediaId: 'voice-1', mime: 'audio/amr', id: info.id, size: VOICE.length });

    const requests = wechat.mediaRequests;
    const again = await copies.copy((await store.models.Message.findById(message._id).lean())!, 0);
    expect(again.id).toBe(info.id);
    expect(wechat.mediaRequests).toBe(requests);
  });

  it('follows a video\'s video_url to the file', async () => {
    wechat.putMedia('video-1', { bytes: VIDEO, contentType: 'video/mp4', video: true });
    const message = await inboundMessage('wechat', 'wx', [{ kind: 'video', providerMediaId: 'video-1' }]);
    const info = await copies.copy(message, 0);
    expect(info).toMatchObject({ kind: 'video', mime: 'video/mp4', size: VIDEO.length });
    expect((await bytesOf(info)).equals(VIDEO)).toBe(true);
    expect(await refOf(message._id)).toMatchObject({ id: info.id, mime: 'video/mp4' });
  });

  it('an id WeChat does not know (40007, expired after three days) is gone, and nothing is recorded', async () => {
    const message = await inboundMessage('wechat', 'wx', [{ kind: 'voice', providerMediaId: 'expired-media' }]);
    const err = await failure(copies.copy(message, 0));
    expect(err.reason).toBe('gone');
    expect(err.message).toMatch(/40007.*invalid media_id/);
    expect(await refOf(message._id)).toEqual({ kind: 'voice', providerMediaId: 'expired-media' });
  });

  it('a token WeChat refuses is replaced once and the download goes through', async () => {
    wechat.putMedia('voice-2', { bytes: VOICE, contentType: 'audio/amr' });
    await copies.copy(await inboundMessage('wechat', 'wx', [{ kind: 'voice', providerMediaId: 'voice-2' }]), 0); // holds a token now
    const issued = wechat.tokensIssued;
    wechat.revokeTokens();
    const info = await copies.copy(await inboundMessage('wechat', 'wx', [{ kind: 'voice', providerMediaId: 'voice-2' }]), 0);
    expect(info.size).toBe(VOICE.length);
    expect(wechat.tokensIssued).toBe(issued + 1);
  });

  it('refuses a file over the limit and stores nothing', async () => {
    wechat.putMedia('voice-big', { bytes: VOICE, contentType: 'audio/amr' });
    const small = providerMedia(store.models, providerApis(store.models, sealing).mediaDownloads, { maxBytes: 1024 });
    const message = await inboundMessage('wechat', 'wx', [{ kind: 'voice', providerMediaId: 'voice-big' }]);
    const before = await store.models.Media.countDocuments();
    const err = await failure(small.copy(message, 0));
    expect(err.reason).toBe('too-large');
    expect(await store.models.Media.countDocuments()).toBe(before);
    expect((await refOf(message._id)).id).toBeUndefined();
  });

  it('busy (-1) and a provider that does not answer are unavailable, never a crash', async () => {
    wechat.putMedia('voice-3', { bytes: VOICE, contentType: 'audio/amr' });
    wechat.failNextMedia(-1);
    expect((await failure(copies.copy(await inboundMessage('wechat', 'wx', [{ kind: 'voice', providerMediaId: 'voice-3' }]), 0))).reason).toBe('unavailable');
    const down = await failure(copies.copy(await inboundMessage('wechat', 'wx-down', [{ kind: 'voice', providerMediaId: 'voice-3' }]), 0));
    expect(down.reason).toBe('unavailable');
    expect(down.message).toMatch(/did not answer/);
  });

  it('a media item the message does not have, or one with no provider id, is not found', async () => {
    const message = await inboundMessage('wechat', 'wx', [{ kind: 'image', url: 'http://mmbiz.qpic.cn/a/0' }]);
    expect((await failure(copies.copy(message, 0))).reason).toBe('not-found');
    expect((await failure(copies.copy(message, 3))).reason).toBe('not-found');
  });
});

describe('providerMedia.copy: WeCom', () => {
  it('downloads a file with its type and name', async () => {
    wecom.putMedia('file-1', { bytes: PDF, contentType: 'application/pdf', name: '发票 2026.pdf' });
    const message = await inboundMessage('wecom', 'kf', [{ kind: 'file', providerMediaId: 'file-1' }]);
    const info = await copies.copy(message, 0);
    expect(info).toMatchObject({ kind: 'file', mime: 'application/pdf', name: '发票 2026.pdf', size: PDF.length });
    expect((await bytesOf(info)).equals(PDF)).toBe(true);
  });

  it('an unknown id is gone; a refused token is replaced once; a file over 20 MB (830002) is too large', async () => {
    expect((await failure(copies.copy(await inboundMessage('wecom', 'kf', [{ kind: 'image', providerMediaId: 'nope' }]), 0))).reason).toBe('gone');

    wecom.putMedia('voice-1', { bytes: VOICE, contentType: 'audio/amr', name: 'voice.amr' });
    const issued = wecom.tokensIssued;
    wecom.revokeTokens();
    expect((await copies.copy(await inboundMessage('wecom', 'kf', [{ kind: 'voice', providerMediaId: 'voice-1' }]), 0)).size).toBe(VOICE.length);
    expect(wecom.tokensIssued).toBe(issued + 1);

    wecom.putMedia('huge', { bytes: Buffer.alloc(21 * 1024 * 1024), contentType: 'video/mp4', name: 'huge.mp4' });
    const err = await failure(copies.copy(await inboundMessage('wecom', 'kf', [{ kind: 'video', providerMediaId: 'huge' }]), 0));
    expect(err.reason).toBe('too-large');
    expect(err.message).toMatch(/830002/);
  });
});

describe('providerMedia.keep', () => {
  it('copies an inbound message\'s media that has no URL, at once and in the background; leaves media with a URL alone', async () => {
    wechat.putMedia('voice-eager', { bytes: VOICE, contentType: 'audio/amr' });
    wechat.putMedia('image-eager', { bytes: PDF, contentType: 'image/jpeg' });
    const voice = await inboundMessage('wechat', 'wx', [{ kind: 'voice', providerMediaId: 'voice-eager', mime: 'audio/amr' }]);
    const image = await inboundMessage('wechat', 'wx', [{ kind: 'image', url: 'http://mmbiz.qpic.cn/a/0', providerMediaId: 'image-eager' }]);
    copies.keep(voice);
    copies.keep(image);
    const ref = await waitFor('the copy recorded on the message', async () => (await refOf(voice._id)).id && refOf(voice._id));
    expect(ref).toMatchObject({ kind: 'voice', size: VOICE.length });
    expect((await refOf(image._id)).id).toBeUndefined();
  });

  it('never throws, even when the download fails', async () => {
    const lines: string[] = [];
    const logged = providerMedia(store.models, providerApis(store.models, sealing).mediaDownloads, { log: (line) => lines.push(line) });
    const message = await inboundMessage('wechat', 'wx', [{ kind: 'voice', providerMediaId: 'never-there' }]);
    expect(() => logged.keep(message)).not.toThrow();
    await waitFor('the failure logged', async () => lines.length > 0);
    expect(lines[0]).toMatch(/wechat media #0 of message .* failed: .*40007/);
    expect(lines.join('\n')).not.toMatch(/access_token/);
  });
});
