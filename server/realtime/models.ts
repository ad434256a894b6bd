// The two small collections realtime delivery keeps in the shared database.
// They are only ever read whole or by _id and written by _id, which FerretDB v1
// serves from its one index, and each node document has a single writer (its
// server), so updates never race.
import { Schema, type Connection } from 'mongoose';

const opts = { versionKey: false } as const;

/** A server process that accepts realtime pushes. */
const realtimeNodeSchema = new Schema({
  _id: { type: String, required: true }, // random, per process
  url: { type: String, required: true }, // where workers reach it
  seenAt: { type: Date, required: true },
}, opts);

/** Settings shared by every process; `_id: 'realtime'` holds the push signing secret. */
const settingSchema = new Schema({
  _id: { type: String, required: true },
  secret: { type: String, required: true },
}, opts);

function defineModels(conn: Connection) {
  return {
    RealtimeNode: conn.model('RealtimeNode', realtimeNodeSchema, 'realtimeNodes'),
    Setting: conn.model('Setting', settingSchema, 'settings'),
  };
}

export type RealtimeModels = ReturnType<typeof defineModels>;

// Mongoose refuses to define a model twice on one connection.
const defined = new WeakMap<Connection, RealtimeModels>();

export function realtimeModels(conn: Connection): RealtimeModels {
  let models = defined.get(conn);
  if (!models) defined.set(conn, (models = defineModels(conn)));
  return models;
}

/** A server refreshes its node document this often... */
export const NODE_HEARTBEAT_MS = 10_000;
/** ...workers re-read the node list this often... */
export const NODE_LIST_REFRESH_MS = 5_000;
/** ...and skip nodes not seen for this long (three missed heartbeats: it crashed or hangs). */
export const NODE_STALE_MS = 30_000;
