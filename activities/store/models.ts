// The MongoDB read model and configuration data. Everything stays inside the
// subset FerretDB v1 supports (no transactions, no change streams): atomic
// single-document updates with conditions carry the invariants.
import { Schema, type Connection, type InferSchemaType } from 'mongoose';

const opts = { versionKey: false } as const;

const inboxSchema = new Schema({
  _id: { type: String, required: true },
  name: { type: String, required: true },
  channel: { type: String, required: true },
  flowId: { type: String, required: true },
  /** The channel's secrets, sealed with SECRET_KEY (server/secrets.ts); never returned or logged. */
  credentials: String,
  /** The channel's non-secret settings (for WeChat: apiBaseUrl, messageMode). */
  settings: Schema.Types.Mixed,
  createdAt: { type: Date, default: () => new Date() },
}, opts);

const flowSchema = new Schema({
  _id: { type: String, required: true },
  name: { type: String, required: true },
  description: String,
  publishedVersion: { type: Number, default: 0 },
  /** The editable draft (a flow definition); publishing copies it into an immutable version. */
  draft: Schema.Types.Mixed,
  /** Bumped on every draft save; a save naming an older revision is refused (two editors). */
  draftRevision: { type: Number, default: 0 },
  draftUpdatedBy: String,
  draftUpdatedAt: Date,
  createdAt: { type: Date, default: () => new Date() },
  updatedAt: { type: Date, default: () => new Date() },
}, { ...opts, minimize: false });

/**
 * Saved draft revisions, id `<flowId>#<revision>`: inserting one claims the
 * revision atomically (the unique _id), so two editors saving from the same
 * revision cannot both win; the flow document then copies the newest.
 */
const flowDraftRevisionSchema = new Schema({
  _id: { type: String, required: true },
  flowId: { type: String, required: true },
  revision: { type: Number, required: true },
  definition: { type: Schema.Types.Mixed, required: true },
  savedBy: { type: String, required: true },
  savedAt: { type: Date, required: true },
}, { ...opts, minimize: false });

/** Immutable published versions, id `<flowId>@<version>`. */
const flowVersionSchema = new Schema({
  _id: { type: String, required: true },
  flowId: { type: String, required: true },
  version: { type: Number, required: true },
  definition: { type: Schema.Types.Mixed, required: true },
  publishedBy: String,
  message: String,
  /** Set when this version republished an older one (rollback). */
  rollbackOf: Number,
  publishedAt: { type: Date, default: () => new Date() },
}, { ...opts, minimize: false }); // a node's empty `parameters: {}` is part of the document
flowVersionSchema.index({ flowId: 1, version: 1 }, { unique: true });

const faqSchema = new Schema({
  _id: { type: String, required: true },
  faqSet: { type: String, required: true },
  question: { type: String, required: true },
  keywords: { type: [String], required: true },
  answers: { zh: String, en: String },
}, opts);
faqSchema.index({ faqSet: 1 });

/** Queues agents take conversations from; flows name them. */
const queueSchema = new Schema({
  _id: { type: String, required: true },
  name: { type: String, required: true },
  skills: { type: [String], default: [] },
  /** Who may take its conversations: a requirement expression (activities/routing/expression.ts), e.g. `skills has 'refund' and languages has 'zh'`. */
  requirement: String,
  /** How an agent is picked among the eligible (activities/routing/strategies.ts). */
  strategy: { type: String, default: 'least-busy', enum: ['round-robin', 'least-busy', 'longest-idle', 'best-skill', 'sticky', 'named', 'learned'] },
  /** An offer is the agent's for this long; then, or when they decline, the next agent gets it. */
  offerTimeoutSeconds: { type: Number, default: 30 },
  /** An accepted conversation whose customer waits this long for the agent's reply is offered to another agent (0: never). */
  silenceReassignMinutes: { type: Number, default: 0 },
  /** SLA targets from entering the queue: the agent's first reply, each next reply to the customer, and the end of the agent's work. */
  sla: { firstResponseSeconds: Number, nextResponseSeconds: Number, resolutionSeconds: Number },
  /** When the queue is staffed (`{ days: [1..7], from: 'HH:MM', to: 'HH:MM' }`, Monday = 1) in `timeZone`, closed on `holidays` ('YYYY-MM-DD'): SLA targets count only open time. None: always open. */
  businessHours: { type: Schema.Types.Mixed, default: undefined },
  timeZone: String,
  holidays: { type: [String], default: undefined },
  /** Sticky: the customer's last agent first if they served them within this many hours. */
  stickyWindowHours: { type: Number, default: 168 },
  /** Round robin: the agent assigned last. */
  lastAssignedAgentId: String,
}, opts);

/**
 * A customer. Id `<inboxId>:<visitorId>` for now; identities list every
 * channel id known to be the same person (merging comes with the profile work).
 */
const contactSchema = new Schema({
  _id: { type: String, required: true },
  name: String,
  identities: { type: [{ _id: false, channel: String, inboxId: String, externalId: String }], default: [] },
  attributes: { type: Schema.Types.Mixed, default: {} },
  tags: { type: [String], default: [] },
  vip: { type: Boolean, default: false },
  segments: { type: [String], default: [] },
  orders: { type: [Schema.Types.Mixed], default: [] },
  lastAgentId: String,
  /** When lastAgentId last served them (sticky routing's window). */
  lastAgentAt: Date,
  createdAt: { type: Date, required: true },
  updatedAt: { type: Date, required: true },
}, { ...opts, minimize: false });

/** What the flow decided and why, shown in the conversation's timeline. Id `<conversationId>:step:<n>`. */
const flowStepSchema = new Schema({
  _id: { type: String, required: true },
  conversationId: { type: String, required: true },
  nodeId: { type: String, required: true },
  nodeType: { type: String, required: true },
  handle: String,
  /** Rules nodes: every rule's result, with the condition that failed for those that did not fire. */
  rules: Schema.Types.Mixed,
  note: { zh: String, en: String },
  at: { type: Date, required: true },
}, opts);
flowStepSchema.index({ conversationId: 1, at: 1 });

const conversationSchema = new Schema({
  _id: { type: String, required: true },
  workflowId: { type: String, required: true },
  inboxId: { type: String, required: true },
  channel: { type: String, required: true },
  visitorId: { type: String, required: true },
  status: { type: String, required: true, enum: ['bot', 'queued', 'assigned', 'survey', 'closed'] },
  flowId: String,
  flowVersion: Number,
  language: String,
  botAnswered: Boolean,
  queue: String,
  priority: Number,
  agentId: { type: String, default: null },
  queuedAt: Date,
  offeredAt: Date,
  acceptedAt: { type: Date, default: null },
  escalated: Boolean,
  escalatedAt: Date,
  /** Why the agent it was last offered to was picked: strategy, reason and the scores (activities/routing). */
  assignment: Schema.Types.Mixed,
  /** SLA targets missed: which, when it was due, when it was recorded. */
  slaBreaches: Schema.Types.Mixed, // [{ kind, due, at }]
  slaBreached: Boolean,
  /** The last agent's note to the next one, when they transferred it. */
  transferNote: { from: String, text: String, at: Date },
  /** Agents who declined it or let the offer lapse: not offered it again. */
  declinedBy: { type: [String], default: undefined },
  rating: Number,
  surveyStatus: String,
  createdAt: { type: Date, required: true },
  updatedAt: { type: Date, required: true },
  lastMessageAt: Date,
  closedAt: Date,
}, opts);
conversationSchema.index({ status: 1, priority: -1, queuedAt: 1 });
conversationSchema.index({ inboxId: 1, visitorId: 1, createdAt: 1 });
conversationSchema.index({ updatedAt: -1 });

const messageSchema = new Schema({
  // Inbound: `<channel>:<inboxId>:<providerMessageId>`, so a provider's
  // message is stored once; outbound: `<conversationId>:out:<n>`.
  _id: { type: String, required: true },
  conversationId: { type: String, required: true },
  inboxId: { type: String, required: true },
  channel: { type: String, required: true },
  visitorId: { type: String, required: true },
  direction: { type: String, required: true, enum: ['in', 'out'] },
  author: { type: String, required: true, enum: ['visitor', 'bot', 'agent', 'system'] },
  agentId: String,
  type: { type: String, default: 'text' },
  kind: { type: String, default: 'text' },
  text: { type: String, required: true },
  // What an inbound message carries beyond its text (the unified message, activities/unified-message.ts).
  /** MediaRef[] (activities/types.ts): references, never bytes; checked by the unified message's schema before it is stored. */
  media: { type: Schema.Types.Mixed, default: undefined },
  location: { type: new Schema({ latitude: { type: Number, required: true }, longitude: { type: Number, required: true }, label: String }, { _id: false }), default: undefined },
  /** A channel event (type event): subscribe, click (key = the menu key)... */
  event: { type: new Schema({ name: { type: String, required: true }, key: String }, { _id: false }), default: undefined },
  /** A shared link or card (type rich). */
  link: { type: new Schema({ url: { type: String, required: true }, title: String, description: String, imageUrl: String }, { _id: false }), default: undefined },
  /** A voice message whose text is a transcript: made by the provider or by our recognizer (activities/speech.ts). */
  transcript: { type: String, enum: ['provider', 'recognizer'] },
  /** Where the provider's original payload is kept: `rawPayloads/<_id>`. */
  rawRef: String,
  /** When the customer sent it, as the provider says. */
  sentAt: Date,
  /** Answers the customer can pick: MessageChoice[] (activities/types.ts). */
  choices: { type: Schema.Types.Mixed, default: undefined },
  /** A card sent with the text: MessageCard (activities/types.ts), as written; each channel adapts it when sending. */
  card: { type: Schema.Types.Mixed, default: undefined },
  language: String,
  clientMessageId: String,
  providerMessageId: String,
  at: { type: Date, required: true },
  /** A split outbound message: how many parts the provider took, so a retried send (in any worker) goes on from there. */
  partsSent: Number,
  /** Outbound messages on a provider channel: whether the provider took it. */
  delivery: {
    type: new Schema({
      status: { type: String, required: true, enum: ['sent', 'failed'] },
      error: String,
      attempts: Number,
    }, { _id: false }),
    default: undefined,
  },
  // When it was written: transcripts are in this order, and a server that just
  // started catches up from it (`at` of an inbound message is when it was
  // received, which can be much earlier).
  storedAt: { type: Date, required: true },
}, opts);
messageSchema.index({ inboxId: 1, visitorId: 1, at: 1 });
messageSchema.index({ conversationId: 1, at: 1 });
messageSchema.index({ storedAt: 1 });

const agentSchema = new Schema({
  _id: { type: String, required: true },
  name: { type: String, required: true },
  email: { type: String, required: true },
  role: { type: String, required: true, enum: ['agent', 'analyst', 'operator', 'supervisor', 'admin'] },
  tokenHash: { type: String, required: true },
  status: { type: String, default: 'offline', enum: ['online', 'away', 'offline'] },
  /** Conversations they can hold at once (their seats), on channels without a capacity of their own. */
  capacity: { type: Number, default: 5 },
  /** Capacity per channel, e.g. { voice: 1 }: those channels get seats of their own. */
  channelCapacity: { type: Map, of: Number, default: undefined },
  /** Skill names, or `name:level` with a level 1–5 (3 when absent). */
  skills: { type: [String], default: [] },
  languages: { type: [String], default: [] },
  /** Channels served; none listed = every channel. */
  channels: { type: [String], default: [] },
  teams: { type: [String], default: [] },
  lastAssignedAt: Date,
}, opts);
agentSchema.index({ tokenHash: 1 }, { unique: true });
agentSchema.index({ status: 1 });

// An agent's capacity is a set of numbered seats, `<agentId>#<k>` for k below
// their capacity; taking one is an insert, which the unique _id makes atomic.
// (FerretDB v1 runs an update as read-modify-write without isolation, so a
// counter decremented by racing updates would lose writes.)
const seatSchema = new Schema({
  _id: { type: String, required: true },
  agentId: { type: String, required: true },
  conversationId: { type: String, required: true },
  /** The channel whose capacity it counts against (absent: the agent's general capacity). */
  channel: String,
  at: { type: Date, required: true },
}, opts);
seatSchema.index({ conversationId: 1 });
seatSchema.index({ agentId: 1 });

const surveySchema = new Schema({
  _id: { type: String, required: true }, // the conversation id
  /** The agent rated: the one who served the customer last (after transfers, the one who closed). */
  agentId: String,
  /** Every agent who accepted the conversation, in order. */
  servedBy: { type: [String], default: undefined },
  rating: Number,
  /** The answer to the follow-up question, when one was asked and answered. */
  comment: String,
  status: { type: String, required: true, enum: ['answered', 'timeout'] },
  /** What started the survey: the flow's survey step, or an agent or API client's request. */
  trigger: { type: String, enum: ['flow', 'agent', 'api'], default: 'flow' },
  reminded: Boolean,
  at: { type: Date, required: true },
}, opts);

/** Something a supervisor should look at (an escalation step asked for it). Id `<conversationId>:<nodeId>:<n>`. */
const alertSchema = new Schema({
  _id: { type: String, required: true },
  conversationId: { type: String, required: true },
  inboxId: String,
  channel: String,
  queue: String,
  nodeId: String,
  reason: { zh: String, en: String },
  at: { type: Date, required: true },
  acknowledgedBy: String,
  acknowledgedAt: Date,
}, opts);

/** A customer asked to be called back or left a message while nobody could take them. Id = the conversation id and step. */
const callbackSchema = new Schema({
  _id: { type: String, required: true },
  conversationId: { type: String, required: true },
  inboxId: { type: String, required: true },
  channel: { type: String, required: true },
  visitorId: { type: String, required: true },
  queue: String,
  /** What they wrote, and a phone number found in it. */
  text: String,
  phone: String,
  status: { type: String, required: true, enum: ['open', 'done'], default: 'open' },
  at: { type: Date, required: true },
  doneBy: String,
  doneAt: Date,
}, opts);

/** WeCom customer service: where an inbox's next sync_msg pull starts (one document per inbox, `_id` = inbox id, written by _id). */
const wecomCursorSchema = new Schema({
  _id: { type: String, required: true },
  cursor: String,
  /** The customer-service account (open_kfid) last pulled, which replies go out from. */
  openKfId: String,
  updatedAt: Date,
}, opts);

/**
 * When a person last made a request (to the minute; `_id` = their id). Kept
 * apart from their agent document: FerretDB v1 does not isolate updates, so a
 * write here racing their own status change there would undo it.
 */
const presenceSchema = new Schema({
  _id: { type: String, required: true },
  lastSeenAt: { type: Date, required: true },
}, opts);

/**
 * Agents who may have a free seat (`_id` = agent id): a hint that lets the
 * offer step read a few agents' seats instead of every seat
 * (activities/agent-availability.ts). Added when a seat is given back or an
 * agent becomes available; removed by whoever finds the agent full or away.
 * The seats themselves stay the truth.
 */
const vacancySchema = new Schema({
  _id: { type: String, required: true },
  at: { type: Date, required: true },
}, opts);

/**
 * The waiting list's partitions (activities/waiting-list.ts): each queue,
 * priority and lane has a collection of its own, named here. Insert-only.
 */
const waitingPartitionSchema = new Schema({
  _id: { type: String, required: true },
  queue: { type: String, required: true },
  priority: { type: Number, required: true },
  lane: { type: String, required: true, enum: ['new', 'again'] },
  /** The collection holding the partition's entries. */
  entries: { type: String, required: true },
}, opts);

/**
 * Providers' original payloads (`_id` = the inbound message's id), decrypted:
 * what a channel sent beyond the fields we read, for audits and re-parsing.
 * The unified message's `rawRef` points here. Insert-only.
 */
const rawPayloadSchema = new Schema({
  _id: { type: String, required: true },
  channel: { type: String, required: true },
  inboxId: { type: String, required: true },
  format: { type: String, required: true, enum: ['xml', 'json'] },
  body: { type: String, required: true },
  /** The payload was longer than RAW_PAYLOAD_LIMIT characters and is cut there. */
  truncated: Boolean,
  at: { type: Date, required: true },
}, opts);

/** What operators did (server/ops): who, when, to which conversation, why, and the outcome. Append-only. */
const auditSchema = new Schema({
  _id: { type: String, required: true },
  at: { type: Date, required: true },
  actor: { id: { type: String, required: true }, name: String, role: String },
  action: { type: String, required: true },
  workflowId: String,
  reason: { type: String, required: true },
  params: Schema.Types.Mixed,
  ok: { type: Boolean, required: true },
  result: { type: String, required: true },
}, { ...opts, minimize: false });
auditSchema.index({ at: -1 });
auditSchema.index({ workflowId: 1, at: -1 });

/** A bulk operation's progress, readable from any server while the one that runs it works through the list. */
const opsJobSchema = new Schema({
  _id: { type: String, required: true },
  action: { type: String, required: true },
  status: { type: String, required: true, enum: ['running', 'done'] },
  total: { type: Number, required: true },
  done: { type: Number, required: true },
  succeeded: { type: Number, required: true },
  failed: { type: Number, required: true },
  results: [{ _id: false, workflowId: String, ok: Boolean, summary: String }],
  startedAt: { type: Date, required: true },
  finishedAt: Date,
  startedBy: String,
}, opts);

/**
 * What happened in routing, for agents' and supervisors' event streams
 * (activities/events.ts). `_id` sorts by time, so a stream resumes with an
 * `_id` range alone: MongoDB serves it from the _id index; FerretDB v1 reads
 * the collection, which is why events are kept only an hour
 * (EVENT_RETENTION_MS): a client away longer reloads its state from the API.
 */
const eventSchema = new Schema({
  _id: { type: String, required: true },
  type: { type: String, required: true },
  at: { type: Date, required: true },
  conversationId: String,
  agentId: String,
  queue: String,
  inboxId: String,
  channel: String,
  data: { type: Schema.Types.Mixed, default: {} },
  /** The agents it concerns ('*': every agent); supervisors, operators and admins see every event. */
  audience: { type: [String], default: [] },
}, { ...opts, minimize: false });

/**
 * Mobile app channel: when a visitor's app last had its stream open (`_id` =
 * `<inboxId>:<visitorId>`, written by _id on connect, every few seconds while
 * open, and on close). The app's sender skips the push webhook while it is
 * fresh and not closed since (activities/channels/app/send.ts).
 */
const appSessionSchema = new Schema({
  _id: { type: String, required: true },
  lastSeenAt: { type: Date, required: true },
  closedAt: Date,
}, opts);

/**
 * Files web chat visitors upload (server/media.ts) and copies of what customers
 * sent through a provider as a media id (activities/channels/provider-media.ts):
 * what each is, here; its
 * bytes in `mediaChunks`, 1 MiB each (`_id` = `<mediaId>:<n>`), since a
 * document is capped at 16 MB and every server must read what another stored.
 * Written after all its chunks, so a media document is always complete.
 */
const mediaSchema = new Schema({
  _id: { type: String, required: true },
  inboxId: { type: String, required: true },
  /** The visitor (anonymous id) who uploaded it, or sent it through the provider: only their web chat messages may attach it. */
  visitorId: { type: String, required: true },
  kind: { type: String, required: true, enum: ['image', 'voice', 'video', 'file', 'sticker'] },
  /** Who it came from: a web chat upload (served by id without sign-in), or a copy of a provider's media (served to agents only). */
  source: { type: String, enum: ['upload', 'provider'], default: 'upload' },
  mime: { type: String, required: true },
  name: { type: String, required: true },
  size: { type: Number, required: true },
  /** Hex SHA-256 of the bytes: the ETag. */
  sha256: { type: String, required: true },
  chunks: { type: Number, required: true },
  createdAt: { type: Date, required: true },
}, opts);

const mediaChunkSchema = new Schema({
  _id: { type: String, required: true },
  data: { type: Buffer, required: true },
}, opts);

/**
 * Inbound messages accepted but not yet handed to their conversation's
 * workflow (server/inbound-journal.ts): a provider's webhook and a visitor's
 * send are answered once the message is here, and the relay deletes it once
 * Temporal holds it. `_id` is the message's dedupe key, so a provider's retry
 * of a pending message is one document.
 */
const inboundJournalSchema = new Schema({
  _id: { type: String, required: true },
  workflowId: { type: String, required: true },
  inboxId: { type: String, required: true },
  channel: { type: String, required: true },
  visitorId: { type: String, required: true },
  /** The InboundMessage as the channel built it. */
  message: { type: Schema.Types.Mixed, required: true },
  acceptedAt: { type: Date, required: true },
  /** The server relaying it (its realtime node id); another server takes it over once that one's heartbeat stops. */
  acceptedBy: { type: String, required: true },
}, { ...opts, minimize: false });

/**
 * The servers that accepted inbound messages (`_id` = realtime node id), so a
 * sweep reads the journal only to take over from one whose heartbeat stopped,
 * never on a timer. Deleted on a clean stop that left nothing behind, and once
 * another server took over what it left.
 */
const inboundJournalOwnerSchema = new Schema({
  _id: { type: String, required: true },
  since: { type: Date, required: true },
}, opts);

/**
 * Provider access tokens (WeChat, WeCom), shared by every process
 * (activities/channels/access-token.ts): `_id` = a hash of the provider, API
 * base URL and app, never the app id itself. The token is sealed with
 * SECRET_KEY like inbox credentials. `version` is new with every fetch (WeCom
 * may issue the same token again), and claims name it. Written only by the
 * process holding the claim to replace the previous version, all fields at
 * once, so a lost update (FerretDB v1 does not isolate updates) leaves one
 * whole token, never a mix.
 */
const accessTokenSchema = new Schema({
  _id: { type: String, required: true },
  token: { type: String, required: true },
  version: { type: String, required: true },
  refreshAt: { type: Date, required: true },
  fetchedAt: { type: Date, required: true },
}, opts);

/**
 * Claims to replace an access token, `_id` = `<accessTokens _id>:<version>`
 * (`:none` before the first token): inserted by the one process that fetches
 * the next token because this one expired or the provider refused it. The
 * insert is atomic on the unique `_id`, so one process fetches; a claimed
 * version is never handed out again. A claim whose holder died or failed is
 * taken over after `until` (an update, which FerretDB v1 does not isolate: at
 * worst two processes fetch). Claims older than a day are dropped when a
 * token is saved.
 */
const accessTokenClaimSchema = new Schema({
  _id: { type: String, required: true },
  /** The accessTokens document it is about. */
  tokenId: { type: String, required: true },
  holder: { type: String, required: true },
  until: { type: Date, required: true },
  at: { type: Date, required: true },
}, opts);

export type FaqDoc = InferSchemaType<typeof faqSchema> & { _id: string };
/** An agent as read with lean(): channelCapacity is then a plain object. */
export type AgentDoc = Omit<InferSchemaType<typeof agentSchema>, 'channelCapacity'> & { _id: string; channelCapacity?: Record<string, number> | null };
export type ContactDoc = InferSchemaType<typeof contactSchema> & { _id: string };
export type FlowStepDoc = InferSchemaType<typeof flowStepSchema> & { _id: string };
export type ConversationDoc = InferSchemaType<typeof conversationSchema>;
export type MessageDoc = InferSchemaType<typeof messageSchema>;

export function defineModels(conn: Connection) {
  return {
    Inbox: conn.model('Inbox', inboxSchema, 'inboxes'),
    Flow: conn.model('Flow', flowSchema, 'flows'),
    FlowVersion: conn.model('FlowVersion', flowVersionSchema, 'flowVersions'),
    FlowDraftRevision: conn.model('FlowDraftRevision', flowDraftRevisionSchema, 'flowDraftRevisions'),
    Faq: conn.model('Faq', faqSchema, 'faqs'),
    Queue: conn.model('Queue', queueSchema, 'queues'),
    Contact: conn.model('Contact', contactSchema, 'contacts'),
    FlowStep: conn.model('FlowStep', flowStepSchema, 'flowSteps'),
    Conversation: conn.model('Conversation', conversationSchema, 'conversations'),
    Message: conn.model('Message', messageSchema, 'messages'),
    RawPayload: conn.model('RawPayload', rawPayloadSchema, 'rawPayloads'),
    Agent: conn.model('Agent', agentSchema, 'agents'),
    Seat: conn.model('Seat', seatSchema, 'seats'),
    Survey: conn.model('Survey', surveySchema, 'surveys'),
    Alert: conn.model('Alert', alertSchema, 'alerts'),
    Callback: conn.model('Callback', callbackSchema, 'callbacks'),
    WecomCursor: conn.model('WecomCursor', wecomCursorSchema, 'wecomCursors'),
    Audit: conn.model('Audit', auditSchema, 'audit'),
    OpsJob: conn.model('OpsJob', opsJobSchema, 'opsJobs'),
    Presence: conn.model('Presence', presenceSchema, 'presence'),
    Vacancy: conn.model('Vacancy', vacancySchema, 'vacancies'),
    WaitingPartition: conn.model('WaitingPartition', waitingPartitionSchema, 'waitingPartitions'),
    Event: conn.model('Event', eventSchema, 'events'),
    AppSession: conn.model('AppSession', appSessionSchema, 'appSessions'),
    Media: conn.model('Media', mediaSchema, 'media'),
    MediaChunk: conn.model('MediaChunk', mediaChunkSchema, 'mediaChunks'),
    AccessToken: conn.model('AccessToken', accessTokenSchema, 'accessTokens'),
    AccessTokenClaim: conn.model('AccessTokenClaim', accessTokenClaimSchema, 'accessTokenClaims'),
    InboundJournal: conn.model('InboundJournal', inboundJournalSchema, 'inboundJournal'),
    InboundJournalOwner: conn.model('InboundJournalOwner', inboundJournalOwnerSchema, 'inboundJournalOwners'),
  };
}

export type Models = ReturnType<typeof defineModels>;
