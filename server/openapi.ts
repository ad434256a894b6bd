// The OpenAPI 3.1 document, built from the same schemas that validate requests.
import { schemas } from './schemas';

const json = (ref: string) => ({ content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });
const error = { description: 'Error', ...json('Error') };
const errors = { 400: error, 404: error, 413: error, 415: error };
const bearer = [{ bearer: [] }];
const idPath = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]+$' } });

export function openApiDocument(serverUrl: string) {
  return {
    openapi: '3.1.0',
    info: { title: 'Huiliu (汇流) API', version: '1.0.0', description: 'Omnichannel customer service: web chat, conversations, agents.' },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN or a person\'s own token' } },
      schemas: {
        ...schemas,
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
      '/api/v1/inboxes': { get: { summary: 'Inboxes with their channel and flow (admin)', security: bearer, responses: { 200: { description: '`{inboxes}`' }, 401: error, 403: error } } },
      '/api/v1/conversations': {
        get: {
          summary: 'Conversations, newest activity first', security: bearer,
          parameters: Object.entries(schemas.ConversationListQuery.properties).map(([name, schema]) => ({ name, in: 'query', schema })),
          responses: { 200: { description: '`{conversations}`' }, 401: error, 400: error },
        },
      },
      '/api/v1/conversations/{id}': { get: { summary: 'A conversation with its message timeline and survey', security: bearer, parameters: [idPath('id')], responses: { 200: { description: 'OK' }, 401: error, 404: error } } },
      '/api/v1/conversations/{id}/accept': { post: { summary: 'Accept (take) the conversation', security: bearer, parameters: [idPath('id')], responses: { 200: { description: 'OK' }, 401: error, 404: error, 409: error } } },
      '/api/v1/conversations/{id}/messages': {
        post: { summary: 'Reply to the customer', security: bearer, parameters: [idPath('id')], requestBody: { required: true, ...json('AgentReplyRequest') }, responses: { 201: { description: '`{id}`' }, 401: error, 409: error, ...errors } },
      },
      '/api/v1/conversations/{id}/close': { post: { summary: 'Close; the customer is asked for a rating', security: bearer, parameters: [idPath('id')], responses: { 200: { description: 'OK' }, 401: error, 404: error, 409: error } } },
    },
  };
}
