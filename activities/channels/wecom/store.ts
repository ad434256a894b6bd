// Where the WeCom channel keeps its state: the inbox (settings and sealed
// credentials, read through a short cache) and, per inbox, the sync_msg
// cursor and the customer-service account last heard from (one small document
// per inbox, always written by _id).
import type { Models } from '../../store';
import { ttlCache } from '../../ttl-cache';
import { wecomSettings, type WecomCredentials, type WecomInbox } from './inbox';

export interface WecomState {
  /** The inbox with its credentials opened; undefined when there is no WeCom inbox of that id. */
  inbox(inboxId: string): Promise<WecomInbox | undefined>;
  /** Where the next pull starts; undefined before the first one. */
  cursor(inboxId: string): Promise<string | undefined>;
  saveCursor(inboxId: string, cursor: string, openKfId: string): Promise<void>;
  /** The account replies go out from: the inbox's openKfId, else the last one a callback named. */
  openKfId(inboxId: string): Promise<string | undefined>;
}

export function wecomState(models: Models, openCredentials: (sealed: string) => unknown): WecomState {
  // Inboxes change rarely; a changed one is seen within 5 s.
  const inbox = ttlCache(5_000, async (inboxId): Promise<WecomInbox | undefined> => {
    const doc = await models.Inbox.findById(inboxId).lean().exec();
    if (doc?.channel !== 'wecom' || !doc.credentials) return undefined;
    return { credentials: await openCredentials(doc.credentials) as WecomCredentials, settings: wecomSettings(doc.settings) };
  });
  return {
    inbox,
    async cursor(inboxId) {
      const doc = await models.WecomCursor.findById(inboxId).lean().exec();
      return doc?.cursor ?? undefined;
    },
    async saveCursor(inboxId, cursor, openKfId) {
      await models.WecomCursor.updateOne({ _id: inboxId }, { $set: { cursor, openKfId, updatedAt: new Date() } }, { upsert: true }).exec();
    },
    async openKfId(inboxId) {
      const found = await inbox(inboxId);
      if (found?.settings.openKfId) return found.settings.openKfId;
      const doc = await models.WecomCursor.findById(inboxId).lean().exec();
      return doc?.openKfId ?? undefined;
    },
  };
}
