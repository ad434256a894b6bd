// Where the app channel keeps its state: the inbox (settings and sealed
// credentials, read through a short cache) and one `appSessions` document per
// visitor recording when its app last had a stream open. Every read and write
// is by `_id`, the only indexed filter on FerretDB v1.
import { isDuplicateKey, type Models } from '../../store';
import { ttlCache } from '../../ttl-cache';
import { appSettings, type AppCredentials, type AppInbox } from './inbox';
import type { AppSenderDeps, AppSession } from './send';

export const appSessionId = (inboxId: string, visitorId: string) => `${inboxId}:${visitorId}`;

/**
 * Reads an app inbox with its credentials opened; undefined when there is no
 * app inbox of that id. Inboxes change rarely: a change is seen within 5 s.
 */
export function appInboxReader(models: Models, openCredentials: (sealed: string) => unknown | Promise<unknown>) {
  const load = async (inboxId: string): Promise<AppInbox | undefined> => {
    const doc = await models.Inbox.findById(inboxId).lean().exec();
    if (doc?.channel !== 'app' || !doc.credentials) return undefined;
    return { id: doc._id, credentials: await openCredentials(doc.credentials) as AppCredentials, settings: appSettings(doc.settings) };
  };
  const cached = ttlCache(5_000, load);
  // The id comes from a presented key: ids of inboxes that are not known are
  // looked up uncached, so made-up keys cannot fill the cache. `fresh` skips
  // the cache (a key that does not match may be one rotated in just now).
  const known = new Set<string>();
  return async (inboxId: string, opts: { fresh?: boolean } = {}): Promise<AppInbox | undefined> => {
    if (opts.fresh) return load(inboxId);
    if (known.has(inboxId)) return cached(inboxId);
    const exists = await models.Inbox.exists({ _id: inboxId }).exec();
    if (!exists) return undefined;
    known.add(inboxId);
    return cached(inboxId);
  };
}

/** What the app's sender reads, from the store. */
export function appSenderState(models: Models, openCredentials: (sealed: string) => unknown): AppSenderDeps {
  return {
    inbox: appInboxReader(models, openCredentials),
    async session(inboxId, visitorId): Promise<AppSession | null> {
      return models.AppSession.findById(appSessionId(inboxId, visitorId)).lean().exec();
    },
    async message(id) {
      return models.Message.findById(id).select({ conversationId: 1, author: 1, at: 1 }).lean().exec();
    },
  };
}

/**
 * The app's stream is open (on connect and on each heartbeat). Two streams
 * racing to create the document: the loser's insert fails on the unique _id,
 * and a plain update then does the job.
 */
export async function recordAppSeen(models: Models, inboxId: string, visitorId: string, at = new Date()): Promise<void> {
  const _id = appSessionId(inboxId, visitorId);
  try {
    await models.AppSession.updateOne({ _id }, { $set: { lastSeenAt: at } }, { upsert: true }).exec();
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    await models.AppSession.updateOne({ _id }, { $set: { lastSeenAt: at } }).exec();
  }
}

/**
 * A stream closed. If the same visitor has another stream open (a second
 * device), its next heartbeat marks the app open again; until then a reply is
 * pushed, which errs the harmless way.
 */
export async function recordAppClosed(models: Models, inboxId: string, visitorId: string, at = new Date()): Promise<void> {
  const _id = appSessionId(inboxId, visitorId);
  // Upserted too: a stream closed before its first write landed still counts as closed (seen = closed is closed).
  const update = { $set: { closedAt: at }, $setOnInsert: { lastSeenAt: at } };
  try {
    await models.AppSession.updateOne({ _id }, update, { upsert: true }).exec();
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    await models.AppSession.updateOne({ _id }, { $set: { closedAt: at } }).exec();
  }
}
