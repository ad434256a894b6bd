// Secrets at rest: inbox credentials are sealed with AES-256-GCM under the
// installation's SECRET_KEY. Nothing here logs a key or a secret.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from './config';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_FILE = 'secret.key';

/** Encrypts a JSON value: `v1.<base64 of iv + tag + ciphertext>`. */
export function sealSecret(value: unknown, key: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
}

/** Decrypts what sealSecret sealed; throws when the blob was changed or the key is another. */
export function openSecret(blob: string, key: Buffer): unknown {
  const [version, data] = blob.split('.', 2);
  if (version !== VERSION || !data) throw new Error('not a sealed secret');
  const raw = Buffer.from(data, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  const plain = Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  return JSON.parse(plain.toString('utf8'));
}

/** Sealing and opening under one key, for channel code that keeps secrets (inbox credentials, access tokens) without holding the key. */
export function sealingWith(key: Buffer): { seal(value: unknown): string; open(sealed: string): unknown } {
  return { seal: (value) => sealSecret(value, key), open: (sealed) => openSecret(sealed, key) };
}

const keys = new Map<string, Promise<Buffer>>();

/**
 * The key: SECRET_KEY, or else `secret.key` in the data directory (mode 600),
 * created by the first process that needs it. Loaded once per process.
 */
export function loadSecretKey(config: Pick<Config, 'secretKey' | 'dataDir'>): Promise<Buffer> {
  if (config.secretKey) return Promise.resolve(Buffer.from(config.secretKey, 'base64'));
  const file = join(config.dataDir, KEY_FILE);
  let key = keys.get(file);
  if (!key) {
    key = keyFile(file);
    keys.set(file, key);
    key.catch(() => keys.delete(file));
  }
  return key;
}

async function keyFile(file: string): Promise<Buffer> {
  await mkdir(join(file, '..'), { recursive: true });
  // Written whole under a private name, then linked into place: of racing
  // processes one key wins, and nobody reads a half-written file.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(draft, randomBytes(32).toString('base64'), { flag: 'wx', mode: 0o600 });
  try {
    await link(draft, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await unlink(draft);
  }
  await chmod(file, 0o600);
  const key = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key`);
  return key;
}
