// Provider webhooks, `/webhooks/{channel}/{inboxId}`: no bearer auth, the
// provider's signature is the auth. They read raw bodies (XML for WeChat), so
// they are mounted before the app's JSON parser.
import express, { Router, type Request } from 'express';
import { wechatCipher } from '../../activities/channels/wechat/crypto';
import { wechatSettings, type WechatCredentials, type WechatInbox } from '../../activities/channels/wechat/inbox';
import {
  parseWechatInbound, startsConversation, UnsupportedWechatMessage, wechatInboundMessage, type WechatInbound,
} from '../../activities/channels/wechat/message';
import { signaturesEqual, wechatSignature } from '../../activities/channels/wechat/signature';
import { parseWechatXml } from '../../activities/channels/wechat/xml';
import { parseWecomCallback, type WecomKfCallback } from '../../activities/channels/wecom/callback';
import type { WecomInbox } from '../../activities/channels/wecom/inbox';
import { wecomState } from '../../activities/channels/wecom/store';
import { wecomPuller } from '../../activities/channels/wecom/sync';
import { weiboInboxes, type WeiboInbox } from '../../activities/channels/weibo/inbox';
import { parseWeiboPush, UnsupportedWeiboMessage, weiboInboundMessage, WeiboRejected, type WeiboPush } from '../../activities/channels/weibo/message';
import { checkWeiboSignature } from '../../activities/channels/weibo/signature';
import { ttlCache } from '../../activities/ttl-cache';
import { AppError } from '../errors';
import { idParam } from '../schemas';
import { loadSecretKey, openSecret } from '../secrets';
import type { AppDeps } from '../app';

const OPENID = /^[A-Za-z0-9_-]{1,128}$/;

export function webhookRoutes({ models, inbound, config, providerApis }: AppDeps): Router {
  const r = Router();

  // Inboxes change rarely (a new or changed one is seen within 5 s); their credentials are opened once per load.
  const findInbox = ttlCache(5_000, async (inboxId): Promise<WechatInbox | undefined> => {
    const doc = await models.Inbox.findById(inboxId).lean().exec();
    if (doc?.channel !== 'wechat' || !doc.credentials) return undefined;
    const key = await loadSecretKey(config);
    return { credentials: openSecret(doc.credentials, key) as WechatCredentials, settings: wechatSettings(doc.settings) };
  });

  async function wechatInbox(req: Request): Promise<WechatInbox & { id: string }> {
    const id = idParam(req, 'inboxId');
    const inbox = await findInbox(id);
    if (!inbox) throw new AppError(404, `unknown WeChat inbox "${id}"`, { inboxId: id });
    return { ...inbox, id };
  }

  // URL verification: WeChat signs token, timestamp and nonce; we echo echostr.
  r.get('/wechat/:inboxId', async (req, res) => {
    const { credentials } = await wechatInbox(req);
    const q = query(req, ['signature', 'timestamp', 'nonce', 'echostr']);
    if (!signaturesEqual(wechatSignature(credentials.token, q.timestamp, q.nonce), q.signature)) throw badSignature('signature');
    res.type('text/plain').send(q.echostr);
  });

  // A message: verified, decrypted, parsed, handed to the conversation, and
  // acknowledged with `success`; replies go out later through the API.
  r.post('/wechat/:inboxId', express.text({ type: () => true, limit: '1mb' }), async (req, res) => {
    const inbox = await wechatInbox(req);
    const { fields, xml } = wechatFields(inbox, req);
    let message: WechatInbound;
    try {
      message = parseWechatInbound(fields);
    } catch (err) {
      // A well-formed message of a type not modelled yet is acknowledged, or WeChat would retry it.
      if (err instanceof UnsupportedWechatMessage) return void res.type('text/plain').send('success');
      throw new AppError(400, `not a WeChat message: ${(err as Error).message}`);
    }
    if (!OPENID.test(message.fromUser)) throw new AppError(400, 'FromUserName is not an openid');
    // Unfollowing, opening a menu link, location reports: nothing for the bot or an agent.
    if (startsConversation(message)) {
      await inbound.accept({ inboxId: inbox.id, channel: 'wechat', visitorId: message.fromUser }, wechatInboundMessage(message, { receivedAt: Date.now(), xml }));
    }
    res.type('text/plain').send('success');
  });

  // WeCom customer service (企业微信 微信客服): the same signature and crypto
  // with the CorpID as ReceiveId. A callback only says "messages are waiting":
  // it is acknowledged at once and the messages are pulled afterwards.
  const wecom = wecomState(models, async (sealed) => openSecret(sealed, await loadSecretKey(config)));
  const wecomPull = wecomPuller({ state: wecom, api: providerApis?.wecom, deliver: (ref, message) => inbound.accept(ref, message) });

  async function wecomInbox(req: Request): Promise<WecomInbox & { id: string }> {
    const id = idParam(req, 'inboxId');
    const inbox = await wecom.inbox(id);
    if (!inbox) throw new AppError(404, `unknown WeCom inbox "${id}"`, { inboxId: id });
    return { ...inbox, id };
  }

  // URL verification: msg_signature signs token, timestamp, nonce and the encrypted echostr; we answer it decrypted.
  r.get('/wecom/:inboxId', async (req, res) => {
    const { credentials } = await wecomInbox(req);
    const q = query(req, ['msg_signature', 'timestamp', 'nonce', 'echostr']);
    if (!signaturesEqual(wechatSignature(credentials.token, q.timestamp, q.nonce, q.echostr), q.msg_signature)) throw badSignature('msg_signature');
    res.type('text/plain').send(wecomDecrypt(credentials, q.echostr));
  });

  r.post('/wecom/:inboxId', express.text({ type: () => true, limit: '1mb' }), async (req, res) => {
    const inbox = await wecomInbox(req);
    const q = query(req, ['msg_signature', 'timestamp', 'nonce']);
    const encrypt = parseXml(typeof req.body === 'string' ? req.body : '').Encrypt;
    if (!encrypt) throw new AppError(400, 'the callback has no Encrypt field');
    if (!signaturesEqual(wechatSignature(inbox.credentials.token, q.timestamp, q.nonce, encrypt), q.msg_signature)) throw badSignature('msg_signature');
    let callback: WecomKfCallback | undefined;
    try {
      callback = parseWecomCallback(parseXml(wecomDecrypt(inbox.credentials, encrypt)));
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError(400, `not a WeCom callback: ${(err as Error).message}`);
    }
    if (callback) void wecomPull(inbox.id, callback);
    res.type('text/plain').send('success');
  });

  // Weibo private messages (微博 粉丝服务平台): the URL verification and every
  // push are signed with the app secret; pushes are JSON. An empty answer is
  // Weibo's acknowledgement (it stops retrying); replies go out afterwards
  // through the reply API.
  const weiboInbox = weiboInboxes(models, async (sealed) => openSecret(sealed, await loadSecretKey(config)));

  async function findWeiboInbox(req: Request): Promise<WeiboInbox & { id: string }> {
    const id = idParam(req, 'inboxId');
    const inbox = await weiboInbox(id);
    if (!inbox) throw new AppError(404, `unknown Weibo inbox "${id}"`, { inboxId: id });
    return { ...inbox, id };
  }

  function verifyWeibo({ credentials }: WeiboInbox, q: { signature: string; timestamp: string; nonce: string }): void {
    const check = checkWeiboSignature(credentials.appSecret, q);
    if (check === 'wrong') throw badSignature('signature');
    if (check === 'stale') throw new AppError(401, 'timestamp is not current: the signature is too old to accept');
  }

  r.get('/weibo/:inboxId', async (req, res) => {
    const inbox = await findWeiboInbox(req);
    const q = query(req, ['signature', 'timestamp', 'nonce', 'echostr']);
    verifyWeibo(inbox, q);
    res.type('text/plain').send(q.echostr);
  });

  r.post('/weibo/:inboxId', express.text({ type: () => true, limit: '1mb' }), async (req, res) => {
    const inbox = await findWeiboInbox(req);
    verifyWeibo(inbox, query(req, ['signature', 'timestamp', 'nonce']));
    let push: WeiboPush;
    try {
      push = parseWeiboPush(typeof req.body === 'string' ? req.body : '');
    } catch (err) {
      // Types Weibo may add later (and @-mentions, which are public posts) are acknowledged, as its documentation asks.
      if (err instanceof UnsupportedWeiboMessage) return void res.type('text/plain').send('');
      if (err instanceof WeiboRejected) throw new AppError(400, `not a Weibo push: ${err.message}`);
      throw err;
    }
    const message = weiboInboundMessage(push, { receivedAt: Date.now(), body: typeof req.body === 'string' ? req.body : undefined });
    if (message) await inbound.accept({ inboxId: inbox.id, channel: 'weibo', visitorId: push.senderId }, message);
    res.type('text/plain').send('');
  });

  return r;
}

function wecomDecrypt(credentials: WecomInbox['credentials'], encrypted: string): string {
  try {
    return wechatCipher(credentials.encodingAesKey, credentials.corpId).decrypt(encrypted);
  } catch (err) {
    throw new AppError(400, `could not be decrypted: ${(err as Error).message}`);
  }
}

/** The message's fields and XML, after checking the signature the inbox's mode calls for and decrypting. */
function wechatFields({ credentials, settings }: WechatInbox, req: Request): { fields: Record<string, string>; xml: string } {
  const body = typeof req.body === 'string' ? req.body : '';
  const encrypted = req.query.encrypt_type === 'aes';
  if (!encrypted) {
    if (settings.messageMode === 'safe') throw new AppError(400, 'this inbox is in safe mode: expected an encrypted message (encrypt_type=aes)');
    const q = query(req, ['signature', 'timestamp', 'nonce'], 'signature');
    if (!signaturesEqual(wechatSignature(credentials.token, q.timestamp, q.nonce), q.signature)) throw badSignature('signature');
    return { fields: parseXml(body), xml: body };
  }
  const q = query(req, ['msg_signature', 'timestamp', 'nonce'], 'msg_signature');
  const encrypt = parseXml(body).Encrypt;
  if (!encrypt) throw new AppError(400, 'the encrypted message has no Encrypt field');
  if (!signaturesEqual(wechatSignature(credentials.token, q.timestamp, q.nonce, encrypt), q.msg_signature)) throw badSignature('msg_signature');
  let xml: string;
  try {
    xml = wechatCipher(credentials.encodingAesKey, credentials.appId).decrypt(encrypt);
  } catch (err) {
    throw new AppError(400, `the message could not be decrypted: ${(err as Error).message}`);
  }
  return { fields: parseXml(xml), xml };
}

function parseXml(xml: string): Record<string, string> {
  try {
    return parseWechatXml(xml);
  } catch (err) {
    throw new AppError(400, `malformed or refused XML: ${(err as Error).message}`);
  }
}

/** The named query parameters; a missing signature is a 401, anything else missing a 400. */
function query<K extends string>(req: Request, names: K[], signature: K = names[0]!): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const name of names) {
    const value = req.query[name];
    if (typeof value !== 'string' || !value) {
      if (name === signature) throw badSignature(name);
      throw new AppError(400, `missing query parameter ${name}`);
    }
    out[name] = value;
  }
  return out;
}

const badSignature = (name: string) => new AppError(401, `missing or wrong ${name}`);
