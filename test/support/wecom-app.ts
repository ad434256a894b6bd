// A WeCom customer-service app (企业微信 微信客服) for tests: fixed corp and
// account ids, a fresh secret and EncodingAESKey per run (43 characters).
import { randomBytes } from 'node:crypto';

/** The customer-service account's open_kfid. */
export const OPEN_KFID = 'wkAJ2GCAAAZSfhHCt7IFSvLKtMPxyJTw';

export function wecomApp() {
  return {
    corpId: 'ww0123456789abcdef',
    secret: randomBytes(32).toString('base64url').replace(/[-_]/g, 'x').slice(0, 43),
    token: 'kfToken2024',
    encodingAesKey: randomBytes(32).toString('base64').replace(/[+/=]/g, '').padEnd(43, 'A').slice(0, 43),
  };
}
