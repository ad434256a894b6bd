// Provider media end to end against the real stack: a WeChat follower sends a
// voice note (a MediaId, no URL); the worker keeps a copy, and an agent plays
// it through the conversation's media route. WeChat serves it once; media
// WeChat no longer has is a clear 404; the copy is never served without
// sign-in.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wechatCipher } from '../activities/channels/wechat/crypto';
import { startFakeWechatServer, type FakeWechatServer } from '../activities/channels/wechat/fake-wechat-server';
import { wechatSignature } from '../activities/channels/wechat/signature';
import { buildWechatXml } from '../activities/channels/wechat/xml';
import type { MediaRef } from '../activities/types';
import { waitFor } from './support/env';
import { api, createInbox, startStack, type Stack } from './support/stack';
import { openid, wechatApp } from './support/wechat-app';

const credentials = wechatApp();
const VOICE = Buffer.concat([Buffer.from('#!AMR\n'), randomBytes(4000)]);

let stack: Stack;
let fake: FakeWechatServer;
let inboxId: string;
let agentToken: string;

beforeAll(async () => {
  fake = await startFakeWechatServer(credentials);
  stack = await startStack();
  agentToken = stack.logins['agent-lina']!.token;
  inboxId = await createInbox(stack, {
    id: `wx-media-${randomUUID().slice(0, 8)}`, name: '公众号 media', channel: 'wechat', credentials, settings: { apiBaseUrl: fake.url, messageMode: 'safe' },
  });
});
afterAll(async () => {
  await stack?.stop();
  await fake?.close();
});

let msgIds = 20_000_000_000_000_000n;

/** A follower's voice note without Recognition, posted as WeChat does in safe mode; answers the stored message's id. */
async function sendVoice(user: string, mediaId: string): Promise<string> {
  const msgId = String(++msgIds);
  const xml = buildWechatXml({
    ToUserName: 'gh_0123456789ab', FromUserName: user, CreateTime: String(Math.floor(Date.now() / 1000)), MsgType: 'voice', MediaId: mediaId, Format: 'amr', MsgId: msgId,
  });
  const encrypt = wechatCipher(credentials.encodingAesKey, credentials.appId).encrypt(xml);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(Math.floor(Math.random() * 1e9));
  const query = new URLSearchParams({
    signature: wechatSignature(credentials.token, timestamp, nonce), timestamp, nonce, encrypt_type: 'aes',
    msg_signature: wechatSignature(credentials.token, timestamp, nonce, encrypt), openid: user,
  });
  const res = await fetch(`${stack.url}/webhooks/wechat/${inboxId}?${query}`, {
    method: 'POST', headers: { 'content-type': 'text/xml' }, body: buildWechatXml({ ToUserName: 'gh_0123456789ab', Encrypt: encrypt }),
  });
  expect(res.status).toBe(200);
  return `wechat:${inboxId}:${msgId}`;
}

const mediaPath = (conversationId: string, messageId: string) => `/api/v1/conversations/${conversationId}/media/${encodeURIComponent(messageId)}/0`;
const stored = (messageId: string) => waitFor('the stored voice message', () => stack.store.models.Message.findById(messageId).lean());

describe('provider media', () => {
  it('a WeChat voice note is copied by the worker; the agent gets its audio through the conversation, fetched from WeChat once', async () => {
    fake.putMedia('voice-e2e', { bytes: VOICE, contentType: 'audio/amr' });
    const messageId = await sendVoice(openid(), 'voice-e2e');
    const message = await stored(messageId);
    const ref = await waitFor('the copy recorded on the message', async () => {
      const [media] = ((await stack.store.models.Message.findById(messageId).lean())?.media ?? []) as MediaRef[];
      return media?.id ? media : undefined;
    });
    expect(ref).toMatchObject({ kind: 'voice', providerMediaId: 'voice-e2e', mime: 'audio/amr', size: VOICE.length });

    const res = await fetch(`${stack.url}${mediaPath(message.conversationId, messageId)}`, { headers: { authorization: `Bearer ${agentToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/amr');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await res.arrayBuffer()).equals(VOICE)).toBe(true);
    expect(fake.mediaRequests).toBe(1);

    // The conversation shows the copy on the message; the copy is not served without sign-in.
    const detail = await api(stack, 'GET', `/api/v1/conversations/${message.conversationId}`, { token: agentToken });
    expect(detail.body.messages.find((m: { id: string }) => m.id === messageId).media).toEqual([ref]);
    expect((await fetch(`${stack.url}/api/v1/media/${ref.id}`)).status).toBe(404);
    expect((await fetch(`${stack.url}${mediaPath(message.conversationId, messageId)}`)).status).toBe(401);
  });

  it('media WeChat no longer has is a clear 404; bad paths are 400 and 404', async () => {
    const messageId = await sendVoice(openid(), 'media-expired-e2e');
    const message = await stored(messageId);
    const gone = await api(stack, 'GET', mediaPath(message.conversationId, messageId), { token: agentToken });
    expect(gone.status).toBe(404);
    expect(gone.body.error).toMatch(/no longer has this media.*40007/);
    expect(gone.body.details).toMatchObject({ reason: 'gone', messageId, index: 0 });

    const base = `/api/v1/conversations/${message.conversationId}/media`;
    expect((await api(stack, 'GET', `${base}/${encodeURIComponent(messageId)}/x`, { token: agentToken })).status).toBe(400);
    expect((await api(stack, 'GET', `${base}/${encodeURIComponent(messageId)}/1`, { token: agentToken })).status).toBe(404);
    expect((await api(stack, 'GET', `${base}/no-such-message/0`, { token: agentToken })).status).toBe(404);
  });
});
