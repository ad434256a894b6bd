// The secret that signs pushes from workers to servers. It lives in the shared
// database, so every process of one installation has it and nobody configures
// it; the first process to need it creates it.
import { randomBytes } from 'node:crypto';
import { isDuplicateKey } from '../../activities/store';
import type { RealtimeModels } from './models';

const SETTING_ID = 'realtime';

export async function loadSharedSecret({ Setting }: RealtimeModels): Promise<string> {
  const existing = await Setting.findById(SETTING_ID).lean();
  if (existing) return existing.secret;
  try {
    // An insert, not an upsert: of racing processes exactly one creates it.
    await Setting.create({ _id: SETTING_ID, secret: randomBytes(32).toString('base64url') });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  // Read back either way: whoever won the race, everyone uses the stored secret.
  const stored = await Setting.findById(SETTING_ID).lean();
  if (!stored) throw new Error('the realtime secret vanished right after it was created');
  return stored.secret;
}
