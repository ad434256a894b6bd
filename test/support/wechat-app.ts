// A WeChat Official Account for tests and benchmarks: fixed ids, a fresh
// EncodingAESKey per run (43 letters and digits, as WeChat generates them).
import { randomBytes } from 'node:crypto';

export function wechatApp(token = 'huiliuToken2024') {
  return {
    appId: 'wx0123456789abcdef',
    appSecret: '0123456789abcdef0123456789abcdef',
    token,
    encodingAesKey: randomBytes(40).toString('base64').replace(/[^A-Za-z0-9]/g, '').padEnd(43, 'A').slice(0, 43),
  };
}

/** A new follower's openid (28 characters, like WeChat's). */
export const openid = () => `o${randomBytes(20).toString('base64url').slice(0, 27)}`;
