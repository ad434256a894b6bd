// The OpenAPI 3.1 document, built from the same schemas that validate requests.
import { EVENT_ID_PATTERN, ROUTING_EVENT_TYPES } from '../activities/events';
import { unifiedMessageSchema } from '../activities/unified-message';
import { UPLOAD_LIMITS } from './media';
import { MESSAGE_ID_PATTERN, schemas } from './schemas';

const json = (ref: string) => ({ content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });
const error = { description: 'Error', ...json('Error') };
const errors = { 400: error, 404: error, 413: error, 415: error };
const bearer = [{ bearer: [] }];
const idPath = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]+$' } });
const body = (ref: keyof typeof schemas) => ({ requestBody: { required: true, ...json(ref) } });
const ok = (description: string, ref?: string) => ({ 200: { description, ...(ref ? json(ref) : {}) } });
const flowId = [idPath('id')];
const versionPath = { name: 'n', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } };
const onFlow = { security: bearer, parameters: flowId };
// Reading flows needs any signed-in person; changing them the analyst or admin role (403).
const authorErrors = { 401: error, 403: error, ...errors };

const bilingual = { type: 'object', required: ['zh', 'en'], properties: { zh: { type: 'string' }, en: { type: 'string' } } };
const responseSchemas = {
  FlowIssue: {
    type: 'object', required: ['code', 'pointer', 'message'],
    properties: {
      code: { type: 'string' },
      nodeId: { type: 'string', description: 'The node the issue is about' },
      edgeId: { type: 'string', description: 'The edge the issue is about' },
      pointer: { type: 'string', description: 'JSON pointer into the flow document' },
      message: { ...bilingual, description: 'What is wrong, in Chinese and English' },
    },
  },
  FlowValidationResult: {
    type: 'object', required: ['ok', 'issues'],
    properties: { ok: { type: 'boolean' }, issues: { type: 'array', items: { $ref: '#/components/schemas/FlowIssue' } } },
  },
};
const optionalString = (description: string) => ({ type: 'string', description });
const eventSchemas = {
  RoutingEvent: {
    type: 'object', required: ['id', 'type', 'at', 'data'],
    description: 'One routing event: the `data:` line of a Server-Sent Event whose `event:` is its type and `id:` its id',
    properties: {
      id: optionalString('Sorts by time; resume after it with Last-Event-ID (or `after`)'),
      type: { type: 'string', enum: ROUTING_EVENT_TYPES },
      at: { type: 'string', format: 'date-time' },
      conversationId: optionalString('The conversation it is about'),
      agentId: optionalString('The agent it is about: offered to, accepted by, transferred by, closed by, rated, whose presence changed'),
      queue: optionalString('The queue the conversation waits in (or was sent to)'),
      inboxId: optionalString('The inbox of the conversation'),
      channel: optionalString('The channel of the conversation'),
      data: {
        type: 'object',
        description: [
          'By type: `conversation.queued` {priority}; `conversation.offered` {offerTimeoutSeconds};',
          '`conversation.offer-withdrawn` {reason: declined | timeout | silence}; `conversation.accepted` {};',
          '`conversation.transferred` {queue, note?}; `conversation.escalated` {queue, priority}; `conversation.closed` {};',
          '`conversation.message` {messageId, preview} (the first 200 characters); `sla.breached` {kind: firstResponse | nextResponse | resolution, due};',
          '`survey.rated` {rating}; `agent.presence` {status}; `supervisor.alert` {alertId, reason: {zh, en}}; `callback.requested` {callbackId};',
          '`conversation.typing` {from: visitor | agent, typing, visitorId} (not kept: a resume does not replay it).',
        ].join(' '),
      },
    },
  },
};
const invalidFlow = { 422: { description: 'The flow does not validate: `{error, details: {issues}}`', ...json('Error') } };

export function openApiDocument(serverUrl: string) {
  return {
    openapi: '3.1.0',
    info: { title: 'Huiliu (汇流) API', version: '1.0.0', description: 'Omnichannel customer service: web chat, conversations, agents, routing flows.' },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN or a person\'s own token' },
        appKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'A mobile app inbox\'s API key (also accepted as `Authorization: Bearer <key>`)' },
      },
      schemas: {
        ...schemas,
        ...responseSchemas,
        ...eventSchemas,
        UnifiedMessage: unifiedMessageSchema,
        Error: {
          type: 'object', required: ['error', 'details'],
          properties: { error: { type: 'string', description: 'What is wrong, for a person' }, details: {} },
        },
      },
    },
    paths: {
      '/healthz': { get: { summary: 'The process is up', responses: { 200: { description: 'OK' } } } },
      '/readyz': { get: { summary: 'Temporal, MongoDB and a worker answer', responses: { 200: { description: 'Ready' }, 503: error } } },
      '/api/v1/webchat/{inboxId}/messages': {
        post: {
          summary: 'A visitor sends a web chat message: text, or uploaded media with an optional caption. `userId` + `userHash` (hex HMAC-SHA256 of userId with the inbox\'s identity secret) make the visitor `user:<userId>`; unsigned or wrongly signed, the visitor stays `visitorId`',
          parameters: [idPath('inboxId')],
          requestBody: { required: true, ...json('WebchatMessageRequest') },
          responses: {
            202: { description: 'Accepted: held durably by the conversation; `{conversationId, visitorId, identified}` (`visitorId`: the visitor it was stored under); a repeated clientMessageId is dropped' },
            ...errors, 503: error,
          },
        },
      },
      ...webchatPaths(),
      '/api/v1/me': { get: { summary: 'The signed-in person', security: bearer, responses: { 200: { description: 'OK' }, 401: error } } },
      '/api/v1/me/status': {
        post: { summary: 'Go online or offline', security: bearer, requestBody: { required: true, ...json('AgentStatusRequest') }, responses: { 200: { description: 'OK' }, 401: error, ...errors } },
      },
      '/api/v1/inboxes': {
        get: { summary: 'Inboxes with their channel, flow and webhook URL, never their credentials (admin)', security: bearer, responses: { 200: { description: '`{inboxes}`' }, 401: error, 403: error } },
        post: {
          summary: 'Create a provider inbox (admin); its credentials are encrypted at rest and never returned again',
          security: bearer,
          requestBody: { required: true, content: { 'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/InboxCreateRequest' }, { $ref: '#/components/schemas/WecomInboxCreateRequest' }, { $ref: '#/components/schemas/AppInboxCreateRequest' }, { $ref: '#/components/schemas/WeiboInboxCreateRequest' }, { $ref: '#/components/schemas/WebchatInboxCreateRequest' }] } } } },
          responses: {
            201: { description: '`{id, name, channel, flowId, webhookUrl, settings, console: {url, token, encodingAesKey, messageMode?}}` (Weibo: `console: {url, appKey}`): what to paste into the WeChat / WeCom / Weibo console, shown this once. App: `{id, name, channel, flowId, apiUrl, settings: {pushUrl}, secrets: {apiKey, identitySecret, pushSecret}}`, the secrets shown this once. Web chat: `{id, name, channel, flowId, messagesUrl, widget: {scriptUrl, pageUrl, snippet}, identity, secrets?: {identitySecret}}`' },
            ...authorErrors, 409: error, 422: error,
          },
        },
      },
      '/webhooks/wechat/{inboxId}': {
        get: {
          summary: 'WeChat URL verification: echoes `echostr` when `signature` signs the token, timestamp and nonce',
          parameters: [idPath('inboxId'), ...['signature', 'timestamp', 'nonce', 'echostr'].map((name) => ({ name, in: 'query', required: true, schema: { type: 'string' } }))],
          responses: { 200: { description: 'text/plain: the echostr' }, 400: error, 401: error, 404: error },
        },
        post: {
          summary: 'A WeChat message (XML; safe mode encrypted): verified, handed to the conversation, acknowledged with `success`',
          parameters: [idPath('inboxId'), ...['signature', 'msg_signature', 'timestamp', 'nonce', 'encrypt_type', 'openid'].map((name) => ({ name, in: 'query', schema: { type: 'string' } }))],
          requestBody: { required: true, content: { 'text/xml': { schema: { type: 'string' } } } },
          responses: { 200: { description: 'text/plain: success' }, 400: error, 401: error, 404: error, 413: error, 503: error },
        },
      },
      '/webhooks/wecom/{inboxId}': {
        get: {
          summary: 'WeCom URL verification: answers the decrypted `echostr` when `msg_signature` signs the token, timestamp, nonce and echostr',
          parameters: [idPath('inboxId'), ...['msg_signature', 'timestamp', 'nonce', 'echostr'].map((name) => ({ name, in: 'query', required: true, schema: { type: 'string' } }))],
          responses: { 200: { description: 'text/plain: the decrypted echostr' }, 400: error, 401: error, 404: error },
        },
        post: {
          summary: 'A WeCom customer-service callback (encrypted XML): verified, acknowledged with `success`; the messages are then pulled with kf/sync_msg',
          parameters: [idPath('inboxId'), ...['msg_signature', 'timestamp', 'nonce'].map((name) => ({ name, in: 'query', required: true, schema: { type: 'string' } }))],
          requestBody: { required: true, content: { 'text/xml': { schema: { type: 'string' } } } },
          responses: { 200: { description: 'text/plain: success' }, 400: error, 401: error, 404: error, 413: error },
        },
      },
      '/webhooks/weibo/{inboxId}': {
        get: {
          summary: 'Weibo fan-service URL verification: echoes `echostr` when `signature` signs the app secret, timestamp and nonce',
          parameters: [idPath('inboxId'), ...['signature', 'timestamp', 'nonce', 'echostr'].map((name) => ({ name, in: 'query', required: true, schema: { type: 'string' } }))],
          responses: { 200: { description: 'text/plain: the echostr' }, 400: error, 401: error, 404: error },
        },
        post: {
          summary: 'A Weibo private message or event (JSON, signed in the query): handed to the conversation, acknowledged with an empty body; replies go out through 2/messages/reply',
          parameters: [idPath('inboxId'), ...['signature', 'timestamp', 'nonce'].map((name) => ({ name, in: 'query', required: true, schema: { type: 'string' } }))],
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
          responses: { 200: { description: 'text/plain: empty' }, 400: error, 401: error, 404: error, 413: error, 503: error },
        },
      },
      '/api/v1/inboxes/{id}/flow': {
        put: {
          summary: 'Point the inbox at a published flow (admin); running conversations keep the version they pinned',
          security: bearer, parameters: [idPath('id')], ...body('InboxFlowRequest'),
          responses: { ...ok('The inbox with its flow and version'), ...authorErrors, 409: error, 422: error },
        },
      },
      '/api/v1/flows': {
        get: { summary: 'Flows: published version, draft revision, the inboxes that run each', security: bearer, responses: { ...ok('`{flows}`'), 401: error } },
        post: {
          summary: 'Create a flow (analyst or admin); its draft is the given definition or the default flow',
          security: bearer, ...body('FlowCreateRequest'), responses: { 201: { description: 'The flow with its draft and `validation`' }, ...authorErrors },
        },
      },
      '/api/v1/flows/{id}': {
        get: { summary: 'A flow with its draft, draft revision and published version', ...onFlow, responses: { ...ok('OK'), 401: error, 404: error } },
        delete: { summary: 'Delete a flow no inbox runs (its versions stay)', ...onFlow, responses: { 204: { description: 'Deleted' }, ...authorErrors, 409: error } },
      },
      '/api/v1/flows/{id}/draft': {
        put: {
          summary: 'Save the draft (it may be invalid); refused with 409 when someone saved since the revision you loaded',
          ...onFlow, ...body('FlowDraftRequest'),
          responses: { ...ok('`{id, draftRevision, draftUpdatedBy, draftUpdatedAt, validation}`'), ...authorErrors, 409: error },
        },
      },
      '/api/v1/flows/{id}/validate': {
        post: {
          summary: "Validate the body's definition, or the saved draft", ...onFlow, ...body('FlowValidateRequest'),
          responses: { ...ok('Valid or not, with every issue', 'FlowValidationResult'), ...authorErrors },
        },
      },
      '/api/v1/flows/{id}/publish': {
        post: {
          summary: 'Publish the draft as the next immutable version', ...onFlow, ...body('FlowPublishRequest'),
          responses: { 201: { description: 'The new version' }, ...authorErrors, 409: error, ...invalidFlow },
        },
      },
      '/api/v1/flows/{id}/rollback': {
        post: {
          summary: "Publish an older version's definition again as a new version", ...onFlow, ...body('FlowRollbackRequest'),
          responses: { 201: { description: 'The new version, with `rollbackOf`' }, ...authorErrors, 409: error, ...invalidFlow },
        },
      },
      '/api/v1/flows/{id}/versions': {
        get: { summary: 'Published versions, newest first (without definitions)', ...onFlow, responses: { ...ok('`{versions}`'), 401: error, 404: error } },
      },
      '/api/v1/flows/{id}/versions/{n}': {
        get: {
          summary: 'One published version with its definition', security: bearer, parameters: [...flowId, versionPath],
          responses: { ...ok('OK'), 400: error, 401: error, 404: error },
        },
      },
      '/api/v1/flows/{id}/diff': {
        get: {
          summary: 'What changed between two versions (or the draft): nodes, edges and rules',
          security: bearer,
          parameters: [...flowId, ...Object.entries(schemas.FlowDiffQuery.properties).map(([name, schema]) => ({ name, in: 'query', required: true, schema }))],
          responses: { ...ok('`{from, to, diff}`'), 400: error, 401: error, 404: error, ...invalidFlow },
        },
      },
      '/api/v1/flows/{id}/simulate': {
        post: {
          summary: 'Run the draft (or a version) on a sample message; side effects are dry runs', ...onFlow, ...body('FlowSimulateRequest'),
          responses: { ...ok('The path taken, the facts, the rules that fired and why, the replies'), ...authorErrors, ...invalidFlow },
        },
      },
      '/api/v1/schemas/flow.json': {
        get: { summary: 'The JSON Schema of a flow document (public)', responses: { 200: { description: 'application/schema+json' } } },
      },
      '/api/v1/schemas/unified-message.json': {
        get: {
          summary: 'The JSON Schema of the unified message every channel\'s messages become (public; also components.schemas.UnifiedMessage)',
          responses: { 200: { description: 'application/schema+json' } },
        },
      },
      '/api/v1/node-types': {
        get: { summary: 'Node types with their parameters, handles and category; older versions flagged `superseded`', security: bearer, responses: { ...ok('`{nodeTypes}`'), 401: error } },
      },
      '/api/v1/records': {
        get: { summary: 'Queues, inboxes, FAQ sets, agents and skills, for the flow editor\'s pickers', security: bearer, responses: { ...ok('`{queues, inboxes, faqSets, agents, skills}`'), 401: error } },
      },
      '/api/v1/facts': {
        get: { summary: 'Facts rules may name (built in and provided by node types) and the operators', security: bearer, responses: { ...ok('`{facts, operators}`'), 401: error } },
      },
      '/api/v1/conversations': {
        get: {
          summary: 'Conversations, newest activity first', security: bearer,
          parameters: Object.entries(schemas.ConversationListQuery.properties).map(([name, schema]) => ({ name, in: 'query', schema })),
          responses: { 200: { description: '`{conversations}`' }, 401: error, 400: error },
        },
      },
      '/api/v1/conversations/{id}': { get: { summary: 'A conversation with its message timeline and survey', security: bearer, parameters: [idPath('id')], responses: { 200: { description: 'OK' }, 401: error, 404: error } } },
      '/api/v1/conversations/{id}/media/{messageId}/{index}': {
        get: {
          summary: 'A message\'s media item (its position in `media`, 0–19): our copy, or what the customer sent as a WeChat or WeCom media id, fetched from the channel and kept (the channel keeps it three days). 404 when the channel no longer has it (`details.reason: gone`); 502 when the channel is down, busy or refuses, or the file is over 20 MB',
          security: bearer,
          parameters: [idPath('id'), { name: 'messageId', in: 'path', required: true, schema: { type: 'string', pattern: MESSAGE_ID_PATTERN } }, { name: 'index', in: 'path', required: true, schema: { type: 'integer', minimum: 0, maximum: 19 } }],
          responses: { 200: { description: 'The bytes, with their Content-Type; `X-Content-Type-Options: nosniff`' }, 304: { description: 'Not modified (If-None-Match)' }, 400: error, 401: error, 404: error, 502: error },
        },
      },
      '/api/v1/conversations/{id}/accept': { post: { summary: 'Accept (take) the conversation', security: bearer, parameters: [idPath('id')], responses: { 200: { description: 'OK' }, 401: error, 404: error, 409: error } } },
      '/api/v1/me/conversations': { get: { summary: 'The conversations offered to (`offered: true`) or held by the signed-in agent', security: bearer, responses: { 200: { description: '`{conversations}`' }, 401: error } } },
      '/api/v1/conversations/{id}/transfer': { post: { summary: 'Hand the conversation you accepted to another queue or agent, with a note the next agent sees', security: bearer, parameters: [idPath('id')], ...body('AgentTransferRequest'), responses: { 200: { description: 'OK' }, 401: error, 404: error, 409: error, 400: error } } },
      '/api/v1/conversations/{id}/decline': { post: { summary: 'Decline the conversation offered to you: the next agent is offered it', security: bearer, parameters: [idPath('id')], responses: { 200: { description: 'OK' }, 401: error, 404: error, 409: error } } },
      '/api/v1/conversations/{id}/messages': {
        post: { summary: 'Reply to the customer', security: bearer, parameters: [idPath('id')], requestBody: { required: true, ...json('AgentReplyRequest') }, responses: { 201: { description: '`{id}`' }, 401: error, 409: error, ...errors } },
      },
      '/api/v1/conversations/{id}/survey': {
        post: {
          summary: 'Ask the customer for their 1–5 rating now, while the agent still serves them (the agent holding it; supervisors and admins ask as API clients). The flow\'s own survey step then skips a rated conversation. 409 when it is not accepted by an agent yet, or is rated already',
          security: bearer, parameters: [idPath('id')], responses: { 200: { description: 'The conversation, with `survey: {rating, status, agentId, servedBy, comment, trigger, reminded, at}` once rated' }, 401: error, 403: error, 404: error, 409: error },
        },
      },
      '/api/v1/conversations/{id}/close': { post: { summary: 'Close; the customer is asked for a rating', security: bearer, parameters: [idPath('id')], responses: { 200: { description: 'OK' }, 401: error, 404: error, 409: error } } },
      ...opsPaths(),
      ...routingPaths(),
      ...eventPaths(),
      ...appPaths(),
      ...widgetPaths(),
    },
  };
}

// Operations (operator or admin role; 403 otherwise). Shapes: server/ops/types.ts.
function opsPaths() {
  const workflowId = { name: 'workflowId', in: 'path', required: true, schema: { type: 'string' }, description: 'conv:<inboxId>:<visitorId>, URL-encoded' };
  const action = (summary: string, ref: keyof typeof schemas) => ({
    post: { summary, security: bearer, parameters: [workflowId], ...body(ref), responses: { ...ok('`ActionResult`: `{ok, summary, auditId, ...}`'), ...authorErrors, 409: error, 503: error } },
  });
  const conversation = '/api/v1/ops/conversations/{workflowId}';
  return {
    '/api/v1/ops/stuck': {
      get: {
        summary: 'Stuck conversations (failing step, failing workflow task, past SLA, idle) with counts by reason, from Temporal visibility',
        security: bearer, parameters: Object.entries(schemas.OpsStuckQuery.properties).map(([name, schema]) => ({ name, in: 'query', schema })),
        responses: { ...ok('`{items, counts, total, idleThresholdMinutes, generatedAt, tookMs}`'), ...authorErrors },
      },
    },
    [conversation]: {
      get: { summary: 'One conversation: where it is, why it is stuck, its timeline in business terms, raw history, Temporal UI link', security: bearer, parameters: [workflowId], responses: { ...ok('`ConversationOps`'), ...authorErrors } },
    },
    [`${conversation}/retry`]: action('Retry the failing step now', 'OpsRetryRequest'),
    [`${conversation}/reset`]: action("Reset to a timeline entry's resetEventId; it runs again from there, without sending the customer anything twice", 'OpsResetRequest'),
    [`${conversation}/reroute`]: action('Send it to another queue, agent or flow step', 'OpsRerouteRequest'),
    [`${conversation}/replay-check`]: action('Replay its history against the workflow code deployed now', 'OpsReplayCheckRequest'),
    [`${conversation}/terminate`]: action('Tell the customer, close it and terminate its workflow', 'OpsTerminateRequest'),
    '/api/v1/ops/bulk': {
      post: {
        summary: 'An action on every stuck conversation the filter finds: `dryRun` answers `{plan}`; otherwise 202 `{jobId, total}`',
        security: bearer, ...body('OpsBulkRequest'), responses: { ...ok('`{dryRun, plan, total}`'), 202: { description: '`{jobId, total}`' }, ...authorErrors },
      },
    },
    '/api/v1/ops/bulk/{jobId}': { get: { summary: "A bulk job's progress and results", security: bearer, parameters: [idPath('jobId')], responses: { ...ok('`BulkJob`'), ...authorErrors } } },
    '/api/v1/ops/audit': { get: { summary: 'What operators did, newest first (`limit`, `workflowId`)', security: bearer, responses: { ...ok('`{entries}`'), ...authorErrors } } },
  };
}

// Routing: agents' profiles and queues (admin), and the supervisor's view (supervisor or admin); 403 otherwise.
function routingPaths() {
  const conversationId = [idPath('id')];
  return {
    '/api/v1/agents/{id}/routing': {
      put: {
        summary: "Set an agent's routing profile (admin): skills (`name` or `name:level`), languages, channels, capacity, per-channel capacity, teams",
        security: bearer, parameters: [idPath('id')], ...body('AgentRoutingRequest'),
        responses: { ...ok('`{id, name, status, skills, languages, channels, teams, capacity, channelCapacity}`'), ...authorErrors },
      },
    },
    '/api/v1/queues/{id}': {
      put: {
        summary: 'Create or change a queue (admin): name, requirement expression, strategy, offer timeout, sticky window, silence reassignment, SLA targets and the business hours they count in. A requirement that does not parse is a 400 naming the problem and its position (`details: {field, error, position}`); an unknown time zone is a 400',
        security: bearer, parameters: [idPath('id')], ...body('QueueRequest'),
        responses: {
          ...ok('The queue: `{id, name, requirement, strategy, offerTimeoutSeconds, stickyWindowHours, silenceReassignMinutes, sla, businessHours, timeZone, holidays}`'),
          201: { description: 'Created: the queue' }, ...authorErrors,
        },
      },
    },
    '/api/v1/supervisor/queues': {
      get: {
        summary: 'Every queue with its settings and its waiting conversations (queued, or offered and not accepted), oldest first',
        security: bearer,
        responses: {
          ...ok('`{queues: [{id, name, requirement, strategy, offerTimeoutSeconds, stickyWindowHours, configured, counts: {waiting, queued, offered}, waiting: [{id, workflowId, inboxId, channel, language, priority, escalated, queuedAt, waitedSeconds, agentId, offeredAt, declinedBy}]}], counts, generatedAt}`'),
          401: error, 403: error,
        },
      },
    },
    '/api/v1/supervisor/agents': {
      get: {
        summary: 'Agents with presence, parsed skills, languages, channels, teams, capacity, load and free seats per capacity pool (`default` and each channel with its own), and their open conversations',
        security: bearer,
        responses: {
          ...ok('`{agents: [{id, name, status, skills: [{name, level}], languages, channels, teams, capacity, channelCapacity, load, free, conversations, offered, lastAssignedAt, csat: {ratings, average}}]}`'),
          401: error, 403: error,
        },
      },
    },
    '/api/v1/supervisor/alerts': {
      get: {
        summary: 'What escalation steps with "notify supervisors" raised, newest first; open ones unless `?all=true`',
        security: bearer, parameters: [{ name: 'all', in: 'query', schema: { type: 'string', enum: ['true', 'false'] } }],
        responses: { ...ok('`{alerts: [{id, conversationId, inboxId, channel, queue, nodeId, reason: {zh, en}, at, acknowledgedBy, acknowledgedAt}]}`'), 401: error, 403: error },
      },
    },
    '/api/v1/supervisor/alerts/{id}/acknowledge': {
      post: { summary: 'Mark an alert as seen', security: bearer, parameters: [idPath('id')], responses: { ...ok('`{id, acknowledgedBy, acknowledgedAt}`'), 401: error, 403: error, 404: error } },
    },
    '/api/v1/supervisor/callbacks': {
      get: {
        summary: 'Messages customers left for a call back (callback steps), oldest first; open ones unless `?all=true`',
        security: bearer, parameters: [{ name: 'all', in: 'query', schema: { type: 'string', enum: ['true', 'false'] } }],
        responses: { ...ok('`{callbacks: [{id, conversationId, inboxId, channel, visitorId, queue, text, phone, status, at, doneBy, doneAt}]}`'), 401: error, 403: error },
      },
    },
    '/api/v1/supervisor/callbacks/{id}/done': {
      post: { summary: 'Mark a callback as handled', security: bearer, parameters: [idPath('id')], responses: { ...ok('`{id, status, doneBy, doneAt}`'), 401: error, 403: error, 404: error } },
    },
    '/api/v1/supervisor/conversations/{id}/reassign': {
      post: {
        summary: "Send a waiting conversation to an agent (offered to them first) or another queue: an ops reroute, audited under the supervisor's name. 409 with the reason when the conversation refuses (closed, not waiting in a queue)",
        security: bearer, parameters: conversationId, ...body('SupervisorReassignRequest'),
        responses: { ...ok('`{conversationId, workflowId, action, ok, summary, auditId}`'), ...authorErrors, 409: error, 503: error },
      },
    },
  };
}

// Realtime routing events for agents' and supervisors' consoles.
function eventPaths() {
  return {
    '/api/v1/events': {
      get: {
        summary: 'Routing events as Server-Sent Events: offers, accepts, transfers, escalations, customer messages, SLA breaches, ratings, presence',
        description: [
          'A `text/event-stream`; each event is `event: <type>`, `id: <id>`, `data: <RoutingEvent JSON>`, and a comment line every 15 s keeps the connection open.',
          'An agent gets the events about them (offered to them, theirs, their presence) and those every agent may act on (a conversation entering or leaving a queue);',
          'supervisors, operators and admins get every event.',
          'Resuming with Last-Event-ID (or `after`) first replays the events missed since that id, then continues live, each event once.',
          'A stream opened without one starts with an `id:` line, so an EventSource reconnect resumes from the moment it opened.',
          'Events are kept an hour: resuming from an older id (or after more than 5,000 events) sends `event: stream.resync` with `data: {"reason": "expired" | "too-many"}`',
          'instead of the missed events; reload the state from the API, then keep reading.',
          'EventSource cannot set headers: the token may be given as `access_token` instead of `Authorization: Bearer`.',
        ].join(' '),
        security: bearer,
        parameters: [
          ...Object.entries(schemas.EventStreamQuery.properties).map(([name, schema]) => ({ name, in: 'query', schema })),
          { name: 'Last-Event-ID', in: 'header', schema: { type: 'string', pattern: EVENT_ID_PATTERN }, description: 'The last event id received: resume after it' },
        ],
        responses: {
          200: { description: 'The event stream', content: { 'text/event-stream': { schema: { $ref: '#/components/schemas/RoutingEvent' } } } },
          400: { description: 'An unknown event type in `types` (named), or a malformed event id', ...json('Error') },
          401: error,
        },
      },
    },
  };
}

// The mobile app channel: the app's own API (its inbox's API key) and the admin's app inbox settings.
function appPaths() {
  const appKey = [{ appKey: [] }];
  const visitor = { ...idPath('visitorId'), description: 'The anonymous deviceId, or `user:<userId>` for a verified user' };
  const userHash = { name: 'X-User-Hash', in: 'header', schema: { type: 'string' }, description: "Required for a verified user's (`user:<userId>`) messages: their userHash" };
  const appErrors = { 400: error, 401: { description: 'No API key, or not the key of an app inbox', ...json('Error') }, 403: { description: "A verified user's messages without their X-User-Hash", ...json('Error') }, 404: error };
  return {
    '/api/v1/app/messages': {
      post: {
        summary: 'The app user sends a message; `userId` + `userHash` (hex HMAC-SHA256 of userId with the identity secret) verify the user, else the device is an anonymous visitor',
        security: appKey, ...body('AppMessageRequest'),
        responses: { 202: { description: 'Accepted, held durably: `{conversationId, visitorId, identified}`; a repeated clientMessageId from the device is dropped' }, ...appErrors, 413: error, 415: error, 503: error },
      },
    },
    '/api/v1/app/conversations/{visitorId}/messages': {
      get: {
        summary: "The visitor's transcript `{visitorId, messages}`, oldest first (`after`: only those after that message id)",
        security: appKey,
        parameters: [visitor, userHash, ...Object.entries(schemas.AppTranscriptQuery.properties).map(([name, schema]) => ({ name, in: 'query', schema }))],
        responses: { ...ok('`{visitorId, messages}`'), ...appErrors },
      },
    },
    '/api/v1/app/conversations/{visitorId}/stream': {
      get: {
        summary: 'While the app is open: the transcript, then each new message, as Server-Sent Events (`event: message`, `id`: message id; send Last-Event-ID to resume). While it is connected, replies are not pushed',
        security: appKey, parameters: [visitor, userHash, { name: 'Last-Event-ID', in: 'header', schema: { type: 'string' } }],
        responses: { 200: { description: 'text/event-stream' }, ...appErrors },
      },
    },
    '/api/v1/inboxes/{id}/settings': {
      patch: {
        summary: "An app inbox's push webhook URL (admin); null stops pushes",
        security: bearer, parameters: [idPath('id')], ...body('AppInboxSettingsRequest'),
        responses: { ...ok('`{id, channel, apiUrl, settings: {pushUrl}}`'), ...authorErrors, 422: error },
      },
    },
    '/api/v1/inboxes/{id}/secrets': {
      post: {
        summary: "Replace an app inbox's API key, identity secret or push secret, or a web chat inbox's identity secret (made when it has none) (admin); the new ones are shown this once and the old ones stop working",
        security: bearer, parameters: [idPath('id')],
        requestBody: { required: true, content: { 'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/AppSecretsRotateRequest' }, { $ref: '#/components/schemas/WebchatSecretsRotateRequest' }] } } } },
        responses: { ...ok('`{id, secrets}`'), ...authorErrors, 422: error },
      },
    },
  };
}

// Web chat, the visitor's side (the widget), and what a site embeds.
function webchatPaths() {
  const inbox = idPath('inboxId');
  const visitor = { ...idPath('visitorId'), description: 'The anonymous visitor id, or `user:<userId>` for a verified user (then with their userHash)' };
  const userHash = { name: 'X-User-Hash', in: 'header', schema: { type: 'string' }, description: "Required for a verified user (`user:<userId>`): their userHash (or the `userHash` query parameter)" };
  const readQuery = Object.entries(schemas.WebchatReadQuery.properties).map(([name, schema]) => ({ name, in: 'query', schema }));
  const visitorErrors = { ...errors, 403: { description: "A verified user's conversation without their userHash", ...json('Error') } };
  const limits = 'Images: JPEG, PNG, GIF or WebP, at most 5 MB. Files: PDF, TXT, DOCX, XLSX or ZIP, at most 10 MB.';
  return {
    '/api/v1/webchat/{inboxId}/session': {
      post: {
        summary: 'Where the widget starts: the visitor it speaks for (`user:<userId>` when userHash signs userId, else visitorId) and the upload limits',
        parameters: [inbox], ...body('WebchatSessionRequest'),
        responses: { ...ok('`{visitorId, identified, inbox: {id, name}, uploads: {image: {maxBytes, types, extensions}, file: {…}}}`'), ...errors },
      },
    },
    '/api/v1/webchat/{inboxId}/visitors/{visitorId}/messages': {
      get: {
        summary: "The visitor's transcript (bot, agent and system messages in order; `after`: only those after that message id)",
        parameters: [inbox, visitor, userHash, ...readQuery], responses: { ...ok('`{messages}`'), ...visitorErrors },
      },
    },
    '/api/v1/webchat/{inboxId}/visitors/{visitorId}/stream': {
      get: {
        summary: 'The transcript, then each new message, as Server-Sent Events (`event: message`, `id`: message id); `event: typing` (no id) `{from: "agent", typing, conversationId}` while the agent types',
        description: [
          'Resume with Last-Event-ID (EventSource sends it on its own reconnects) or `after` (a new EventSource): the messages stored since that one come first, then live ones.',
          'A resume reads back 2 s before that message (workers\' clocks differ), so a message the client had may come again: drop repeats by message id.',
        ].join(' '),
        parameters: [inbox, visitor, userHash, ...readQuery, { name: 'Last-Event-ID', in: 'header', schema: { type: 'string', pattern: MESSAGE_ID_PATTERN } }],
        responses: { 200: { description: 'text/event-stream' }, ...visitorErrors },
      },
    },
    '/api/v1/webchat/{inboxId}/visitors/{visitorId}/uploads': {
      post: {
        summary: `Upload an image or file (the raw bytes, with its Content-Type; its name percent-encoded in X-File-Name), then send it: a message with \`media: [mediaId]\`. ${limits} The content must be what the type says`,
        parameters: [inbox, visitor, userHash, { name: 'X-File-Name', in: 'header', schema: { type: 'string' }, description: 'The file name, percent-encoded UTF-8 (encodeURIComponent)' }],
        requestBody: { required: true, content: Object.fromEntries([...UPLOAD_LIMITS.image.types, ...UPLOAD_LIMITS.file.types].map((t) => [t, { schema: { type: 'string', format: 'binary' } }])) },
        responses: {
          201: { description: '`{mediaId, url, kind: image | file, mime, name, size}`' },
          ...visitorErrors,
          413: { description: 'Larger than the limit of its kind: `details: {kind, size, maxBytes}`', ...json('Error') },
          415: { description: 'A type not accepted, or content that is not what the type says: `details: {type, accepted}`', ...json('Error') },
        },
      },
    },
    '/api/v1/webchat/{inboxId}/visitors/{visitorId}/typing': {
      post: {
        summary: 'The visitor is typing (send every few seconds while they type) or stopped: the agent holding the conversation and supervisors get `conversation.typing` on /api/v1/events',
        parameters: [inbox, visitor, userHash], ...body('WebchatTypingRequest'),
        responses: { 202: { description: '`{delivered}`: false when there is no open conversation of this visitor of that id' }, ...visitorErrors },
      },
    },
  };
}

function widgetPaths() {
  return {
    '/widget.js': {
      get: {
        summary: 'The embeddable widget: `<script src=".../widget.js" data-inbox="<inboxId>" data-lang="zh|en" async></script>`, optionally with `data-user-id` and `data-user-hash`, or `window.HuiliuWidget.identify({userId, userHash})`',
        responses: { 200: { description: 'text/javascript' }, 503: { description: 'Not built yet (`npm run build`)' } },
      },
    },
    '/widget/{inboxId}': {
      get: { summary: "The chat page the widget's panel frames", parameters: [idPath('inboxId')], responses: { 200: { description: 'text/html' }, 400: error, 503: { description: 'Not built yet' } } },
    },
    '/api/v1/media/{id}': {
      get: {
        summary: 'An uploaded image or file (no sign-in: the id is unguessable). Images inline, files as attachments; always `X-Content-Type-Options: nosniff`. Copies of channels\' media are served only through the conversation (`/api/v1/conversations/{id}/media/…`)',
        parameters: [idPath('id')],
        responses: { 200: { description: 'The bytes, with their Content-Type' }, 304: { description: 'Not modified (If-None-Match)' }, 404: error },
      },
    },
    '/api/v1/conversations/{id}/typing': {
      post: {
        summary: "The agent who accepted the conversation is typing (send every few seconds) or stopped: the web chat visitor's stream gets `event: typing`",
        security: bearer, parameters: [idPath('id')], ...body('AgentTypingRequest'),
        responses: { 202: { description: '`{delivered: true}`' }, 401: error, 404: error, 409: { description: 'Not accepted by this agent', ...json('Error') }, 400: error },
      },
    },
    '/api/v1/inboxes/{id}/secrets/identitySecret': {
      delete: {
        summary: "Remove a web chat inbox's identity secret (admin): every visitor is anonymous again",
        security: bearer, parameters: [idPath('id')], responses: { ...ok('`{id, identity: false}`'), ...authorErrors, 422: error },
      },
    },
  };
}
