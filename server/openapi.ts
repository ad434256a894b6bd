// The OpenAPI 3.1 document, built from the same schemas that validate requests.
import { schemas } from './schemas';

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
const invalidFlow = { 422: { description: 'The flow does not validate: `{error, details: {issues}}`', ...json('Error') } };

export function openApiDocument(serverUrl: string) {
  return {
    openapi: '3.1.0',
    info: { title: 'Huiliu (汇流) API', version: '1.0.0', description: 'Omnichannel customer service: web chat, conversations, agents, routing flows.' },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN or a person\'s own token' } },
      schemas: {
        ...schemas,
        ...responseSchemas,
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
          summary: 'A visitor sends a web chat message', parameters: [idPath('inboxId')],
          requestBody: { required: true, ...json('WebchatMessageRequest') },
          responses: { 202: { description: 'Accepted: held durably by the conversation; `{conversationId}`' }, ...errors, 503: error },
        },
      },
      '/api/v1/webchat/{inboxId}/visitors/{visitorId}/messages': {
        get: { summary: "The visitor's transcript (bot, agent and system messages in order)", parameters: [idPath('inboxId'), idPath('visitorId')], responses: { 200: { description: '`{messages}`' }, ...errors } },
      },
      '/api/v1/webchat/{inboxId}/visitors/{visitorId}/stream': {
        get: {
          summary: 'The transcript, then each new message, as Server-Sent Events (`event: message`, `id`: message id; send Last-Event-ID to resume)',
          parameters: [idPath('inboxId'), idPath('visitorId')],
          responses: { 200: { description: 'text/event-stream' }, ...errors },
        },
      },
      '/api/v1/me': { get: { summary: 'The signed-in person', security: bearer, responses: { 200: { description: 'OK' }, 401: error } } },
      '/api/v1/me/status': {
        post: { summary: 'Go online or offline', security: bearer, requestBody: { required: true, ...json('AgentStatusRequest') }, responses: { 200: { description: 'OK' }, 401: error, ...errors } },
      },
      '/api/v1/inboxes': {
        get: { summary: 'Inboxes with their channel, flow and webhook URL, never their credentials (admin)', security: bearer, responses: { 200: { description: '`{inboxes}`' }, 401: error, 403: error } },
        post: {
          summary: 'Create a provider inbox (admin); its credentials are encrypted at rest and never returned again',
          security: bearer,
          requestBody: { required: true, content: { 'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/InboxCreateRequest' }, { $ref: '#/components/schemas/WecomInboxCreateRequest' }] } } } },
          responses: {
            201: { description: '`{id, name, channel, flowId, webhookUrl, settings, console: {url, token, encodingAesKey, messageMode?}}`: what to paste into the WeChat / WeCom console, shown this once' },
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
      '/api/v1/conversations/{id}/accept': { post: { summary: 'Accept (take) the conversation', security: bearer, parameters: [idPath('id')], responses: { 200: { description: 'OK' }, 401: error, 404: error, 409: error } } },
      '/api/v1/me/conversations': { get: { summary: 'The conversations offered to (`offered: true`) or held by the signed-in agent', security: bearer, responses: { 200: { description: '`{conversations}`' }, 401: error } } },
      '/api/v1/conversations/{id}/transfer': { post: { summary: 'Hand the conversation you accepted to another queue or agent, with a note the next agent sees', security: bearer, parameters: [idPath('id')], ...body('AgentTransferRequest'), responses: { 200: { description: 'OK' }, 401: error, 404: error, 409: error, 400: error } } },
      '/api/v1/conversations/{id}/decline': { post: { summary: 'Decline the conversation offered to you: the next agent is offered it', security: bearer, parameters: [idPath('id')], responses: { 200: { description: 'OK' }, 401: error, 404: error, 409: error } } },
      '/api/v1/conversations/{id}/messages': {
        post: { summary: 'Reply to the customer', security: bearer, parameters: [idPath('id')], requestBody: { required: true, ...json('AgentReplyRequest') }, responses: { 201: { description: '`{id}`' }, 401: error, 409: error, ...errors } },
      },
      '/api/v1/conversations/{id}/close': { post: { summary: 'Close; the customer is asked for a rating', security: bearer, parameters: [idPath('id')], responses: { 200: { description: 'OK' }, 401: error, 404: error, 409: error } } },
      ...opsPaths(),
      ...routingPaths(),
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
        summary: 'Create or change a queue (admin): name, requirement expression, strategy, offer timeout, sticky window. A requirement that does not parse is a 400 naming the problem and its position (`details: {field, error, position}`)',
        security: bearer, parameters: [idPath('id')], ...body('QueueRequest'),
        responses: {
          ...ok('The queue: `{id, name, requirement, strategy, offerTimeoutSeconds, stickyWindowHours}`'),
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
          ...ok('`{agents: [{id, name, status, skills: [{name, level}], languages, channels, teams, capacity, channelCapacity, load, free, conversations, offered, lastAssignedAt}]}`'),
          401: error, 403: error,
        },
      },
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
