// The shared side of the access-token cache (./access-token.ts), in the store:
// one `accessTokens` document per app, read and written by `_id` (the only
// indexed filter on FerretDB v1), and insert-once `accessTokenClaims`. FerretDB
// v1 does not isolate updates, so nothing here depends on one: who fetches is
// decided by an insert on a unique `_id`, and a barred version stays barred
// because its claim is a document of its own that no later write can undo.
// Tokens are sealed like inbox credentials, with the key the caller keeps.
import { isDuplicateKey, trusted, type Models } from '../store';
import type { SharedTokenStore } from './access-token';

/** Sealing with the installation's SECRET_KEY (server/secrets.ts); the key stays with the caller. */
export interface Sealing {
  seal(value: unknown): string | Promise<string>;
  open(sealed: string): unknown;
}

/** Claims are kept this long: far longer than any token could still be read from before its replacement was saved. */
const CLAIM_RETENTION_MS = 24 * 3_600_000;

export function sharedTokenStore(models: Models, sealing: Sealing): SharedTokenStore {
  const claimId = (id: string, version: string) => `${id}:${version}`;
  return {
    async current(id) {
      const doc = await models.AccessToken.findById(id).lean().exec();
      if (!doc) return undefined;
      let token: unknown;
      try {
        token = await sealing.open(doc.token);
      } catch {
        // Sealed under another SECRET_KEY: replaced like an expired one.
      }
      return { version: doc.version, refreshAt: doc.refreshAt.getTime(), ...(typeof token === 'string' ? { token } : {}) };
    },

    async isClaimed(id, version) {
      return (await models.AccessTokenClaim.exists({ _id: claimId(id, version) }).exec()) !== null;
    },

    async claim(id, version, holder, now, until) {
      const _id = claimId(id, version);
      try {
        await models.AccessTokenClaim.create({ _id, tokenId: id, holder, until: new Date(until), at: new Date(now) });
        return true;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      // Claimed already: by a live holder, or by one that died or failed (its claim expired).
      const taken = await models.AccessTokenClaim.updateOne(trusted({ _id, until: { $lte: new Date(now) } }), { $set: { holder, until: new Date(until) } }).exec();
      if (taken.matchedCount === 0) return false;
      // Two processes may both have taken it over: the last writer holds it (at worst both fetch).
      return (await models.AccessTokenClaim.findById(_id, { holder: 1 }).lean().exec())?.holder === holder;
    },

    async release(id, version, holder) {
      await models.AccessTokenClaim.updateOne({ _id: claimId(id, version), holder }, { $set: { until: new Date(0) } }).exec();
    },

    async save(id, { token, version, refreshAt }, now) {
      const fields = { token: await sealing.seal(token), version, refreshAt: new Date(refreshAt), fetchedAt: new Date(now) };
      try {
        await models.AccessToken.updateOne({ _id: id }, { $set: fields }, { upsert: true }).exec();
      } catch (err) {
        // Two first tokens upserted at once (a claim taken over): the other inserted; this one overwrites it.
        if (!isDuplicateKey(err)) throw err;
        await models.AccessToken.updateOne({ _id: id }, { $set: fields }).exec();
      }
      // Not by _id, so a scan on FerretDB v1: of a day's claims, once per token fetched.
      await models.AccessTokenClaim.deleteMany(trusted({ tokenId: id, at: { $lt: new Date(now - CLAIM_RETENTION_MS) } })).exec();
    },
  };
}
