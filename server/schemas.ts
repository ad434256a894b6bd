// Request schemas: they validate every request at the edge and are published
// as the OpenAPI document, so the two cannot drift apart.
import type { NextFunction, Request, Response } from 'express';
import type { ErrorObject } from 'ajv';
import { EVENT_ID_PATTERN } from '../activities/events';
import { MAX_LENGTH as MAX_REQUIREMENT_LENGTH } from '../activities/routing/expression';
import { STRATEGIES } from '../activities/routing/types';
import { ajv } from '../rules/ajv';
import { AppError } from './errors';
import { USER_ID_PATTERN } from './identity';

export const MAX_TEXT_LENGTH = 4000;

const id = (maxLength: number) => ({ type: 'string', pattern: '^[A-Za-z0-9_.:-]+$', minLength: 1, maxLength }) as const;
const NOT_BLANK = '\\S';
const nonBlank = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength, pattern: NOT_BLANK }) as const;
const text = nonBlank(MAX_TEXT_LENGTH);
// Drafts may be invalid, so a flow document is only required to be an object
// here; its own schema and the graph checks report what is wrong with it.
const flowDefinition = { type: 'object', description: 'A flow document (its JSON Schema: GET /api/v1/schemas/flow.json)' } as const;
const revision = { type: 'integer', minimum: 0, description: 'The draft revision the editor loaded' } as const;
const versionNumber = { type: 'integer', minimum: 1 } as const;
const versionOrDraft = { type: 'string', pattern: '^(draft|[1-9][0-9]{0,8})$', description: 'A version number or `draft`' } as const;

const pushUrl = { type: 'string', pattern: '^https?://[^\\s/?#]+(/[^\\s#]*)?$', maxLength: 1000 } as const;
/** Stored message ids: inbound `<channel>:<inboxId>:<provider id>`, outbound `<conversationId>:out:<n>`. */
export const MESSAGE_ID_PATTERN = '^[A-Za-z0-9_.:-]{1,600}$';

const SKILL_PATTERN = '^[^:\'"\\s]{1,64}(:[1-5])?$';
const seats = { type: 'integer', minimum: 0, maximum: 50 } as const;

const opsReason = { ...nonBlank(500), description: 'Why: written to the audit log' } as const;
const opsFilterProperties = {
  inbox: id(128), channel: id(64), flowId: id(128),
  reason: { type: 'string', enum: ['activity-failing', 'workflow-task-failing', 'sla-breached', 'idle'] },
} as const;

const identityClaim = {
  userId: { type: 'string', pattern: USER_ID_PATTERN, description: 'Your user id; the visitor is `user:<userId>` when userHash signs it' },
  userHash: { type: 'string', maxLength: 256, description: 'hex HMAC-SHA256 of userId with the identity secret, from your backend; a wrong one leaves the visitor anonymous' },
} as const;

export const schemas = {
  WebchatMessageRequest: {
    type: 'object', additionalProperties: false, required: ['visitorId', 'clientMessageId'],
    description: 'Text, or media (uploaded first) with an optional caption in `text`',
    properties: {
      visitorId: { ...id(128), description: 'A stable id the widget keeps for this visitor: the visitor when the user is not verified' },
      clientMessageId: { ...id(128), description: 'Unique per message; a repeat is dropped' },
      text,
      media: {
        type: 'array', minItems: 1, maxItems: 4, uniqueItems: true, items: id(64),
        description: 'mediaIds this visitor uploaded (POST …/uploads); the message is then an image or file message',
      },
      ...identityClaim,
    },
  },
  WebchatSessionRequest: {
    type: 'object', additionalProperties: false, required: ['visitorId'],
    properties: { visitorId: id(128), ...identityClaim },
  },
  WebchatTypingRequest: {
    type: 'object', additionalProperties: false, required: ['typing'],
    properties: {
      typing: { type: 'boolean', description: 'true while typing (send again every few seconds), false when stopped' },
      conversationId: { ...id(128), description: 'The conversation the visitor writes in (from a message); nobody hears it without one' },
      userHash: identityClaim.userHash,
    },
  },
  WebchatReadQuery: {
    type: 'object', additionalProperties: false,
    properties: {
      after: { type: 'string', pattern: MESSAGE_ID_PATTERN, description: 'Only the messages after this message id (the Last-Event-ID header wins on the stream)' },
      userHash: { type: 'string', maxLength: 256, description: "A verified user's signature: needed to read `user:<userId>` (or send `X-User-Hash`)" },
    },
  },
  AgentTypingRequest: {
    type: 'object', additionalProperties: false, required: ['typing'],
    properties: { typing: { type: 'boolean', description: 'true while typing (send again every few seconds), false when stopped' } },
  },
  WebchatInboxCreateRequest: {
    type: 'object', additionalProperties: false, required: ['name', 'channel'],
    description: 'A web chat inbox (the widget); with `identity: true` the answer carries its identity secret, shown this once',
    properties: {
      id: { ...id(64), description: 'Chosen when left out' },
      name: nonBlank(200),
      channel: { const: 'webchat', description: 'Web chat (the embeddable widget)' },
      identity: { type: 'boolean', description: 'Make an identity secret, so signed users are recognised (default false)' },
      flowId: { ...id(128), description: 'Default `default`' },
    },
  },
  WebchatSecretsRotateRequest: {
    type: 'object', additionalProperties: false, required: ['rotate'],
    properties: {
      rotate: {
        type: 'array', minItems: 1, maxItems: 1, items: { const: 'identitySecret' },
        description: 'A new identity secret; signatures made with the old one stop verifying (within 5 s on every server)',
      },
    },
  },
  AgentReplyRequest: {
    type: 'object', additionalProperties: false, required: ['text'],
    properties: { text, clientMessageId: id(128) },
  },
  AgentTransferRequest: {
    type: 'object', additionalProperties: false, minProperties: 1,
    description: 'Exactly one of queue or agentId, and an optional note the next agent sees',
    properties: { queue: id(128), agentId: id(128), note: { ...nonBlank(1000), description: 'What the next agent should know' } },
  },
  AgentStatusRequest: {
    type: 'object', additionalProperties: false, required: ['status'],
    properties: { status: { type: 'string', enum: ['online', 'away', 'offline'], description: 'away: signed in, but offered nothing new' } },
  },
  ConversationListQuery: {
    type: 'object', additionalProperties: false,
    properties: {
      status: { type: 'string', pattern: '^(bot|queued|assigned|survey|closed)(,(bot|queued|assigned|survey|closed))*$' },
      inboxId: id(64),
      agentId: id(64),
      limit: { type: 'string', pattern: '^[1-9][0-9]{0,2}$' },
    },
  },
  FlowCreateRequest: {
    type: 'object', additionalProperties: false, required: ['name'],
    properties: {
      name: nonBlank(200),
      description: { type: 'string', maxLength: 2000 },
      definition: { ...flowDefinition, description: 'The first draft; a minimal working flow (the default flow) when left out' },
    },
  },
  FlowDraftRequest: {
    type: 'object', additionalProperties: false, required: ['definition', 'revision'],
    properties: { definition: flowDefinition, revision },
  },
  FlowValidateRequest: {
    type: 'object', additionalProperties: false,
    properties: { definition: { ...flowDefinition, description: 'Validated instead of the saved draft when given' } },
  },
  FlowPublishRequest: {
    type: 'object', additionalProperties: false, required: ['message'],
    properties: {
      message: { ...nonBlank(500), description: 'What changed, for the version history' },
      revision: { ...revision, description: 'When given, publish only if the draft is still at this revision' },
    },
  },
  FlowRollbackRequest: {
    type: 'object', additionalProperties: false, required: ['version'],
    properties: { version: { ...versionNumber, description: 'The version to publish again' }, message: nonBlank(500) },
  },
  FlowDiffQuery: {
    type: 'object', additionalProperties: false, required: ['from', 'to'],
    properties: { from: versionOrDraft, to: versionOrDraft },
  },
  FlowSimulateRequest: {
    type: 'object', additionalProperties: false, required: ['message', 'channel'],
    properties: {
      message: { type: 'object', additionalProperties: false, required: ['text'], properties: { text } },
      channel: id(64),
      inboxId: id(64),
      contact: {
        type: 'object', additionalProperties: false,
        properties: {
          attributes: { type: 'object' },
          tags: { type: 'array', maxItems: 100, items: nonBlank(100) },
          vip: { type: 'boolean' },
          segments: { type: 'array', maxItems: 100, items: nonBlank(100) },
        },
      },
      clock: { type: 'string', format: 'date-time', description: 'When the sample message arrives; now when left out' },
      language: { type: 'string', enum: ['zh', 'en'] },
      version: { oneOf: [versionNumber, { const: 'draft' }], description: 'A published version number, or `draft` (the default)' },
    },
  },
  InboxCreateRequest: {
    type: 'object', additionalProperties: false, required: ['name', 'channel', 'credentials'],
    properties: {
      id: { ...id(64), description: 'Chosen when left out' },
      name: nonBlank(200),
      channel: { type: 'string', enum: ['wechat'], description: 'WeChat Official Account (公众号)' },
      credentials: {
        type: 'object', additionalProperties: false, required: ['appId', 'appSecret', 'token', 'encodingAesKey'],
        description: 'Encrypted at rest; never returned by a GET',
        properties: {
          appId: { type: 'string', pattern: '^wx[0-9a-f]{16}$' },
          appSecret: { type: 'string', pattern: '^[A-Za-z0-9]{16,64}$' },
          token: { type: 'string', pattern: '^[A-Za-z0-9]{3,32}$', description: 'The Token of the WeChat console (3-32 letters and digits)' },
          encodingAesKey: { type: 'string', pattern: '^[A-Za-z0-9]{43}$', description: 'The EncodingAESKey of the WeChat console (43 letters and digits, as WeChat generates it)' },
        },
      },
      settings: {
        type: 'object', additionalProperties: false,
        properties: {
          apiBaseUrl: { type: 'string', pattern: '^https?://[^\\s/?#]+(/[^\\s?#]*)?$', maxLength: 500, description: 'Default https://api.weixin.qq.com' },
          messageMode: { type: 'string', enum: ['plaintext', 'compatible', 'safe'], description: 'Default safe' },
        },
      },
      flowId: { ...id(128), description: 'Default `default`' },
    },
  },
  WecomInboxCreateRequest: {
    type: 'object', additionalProperties: false, required: ['name', 'channel', 'credentials'],
    properties: {
      id: { ...id(64), description: 'Chosen when left out' },
      name: nonBlank(200),
      channel: { const: 'wecom', description: 'WeCom customer service (企业微信 微信客服)' },
      credentials: {
        type: 'object', additionalProperties: false, required: ['corpId', 'secret', 'token', 'encodingAesKey'],
        description: 'Encrypted at rest; never returned by a GET',
        properties: {
          corpId: { type: 'string', pattern: '^[A-Za-z0-9]{4,64}$', description: 'The CorpID (企业ID)' },
          secret: { type: 'string', pattern: '^[A-Za-z0-9_-]{16,128}$', description: 'The 微信客服 Secret' },
          token: { type: 'string', pattern: '^[A-Za-z0-9]{3,32}$', description: 'The callback Token (3-32 letters and digits)' },
          encodingAesKey: { type: 'string', pattern: '^[A-Za-z0-9]{43}$', description: 'The callback EncodingAESKey (43 letters and digits)' },
        },
      },
      settings: {
        type: 'object', additionalProperties: false,
        properties: {
          apiBaseUrl: { type: 'string', pattern: '^https?://[^\\s/?#]+(/[^\\s?#]*)?$', maxLength: 500, description: 'Default https://qyapi.weixin.qq.com' },
          openKfId: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'Only this customer-service account (open_kfid); default: the account each callback names' },
        },
      },
      flowId: { ...id(128), description: 'Default `default`' },
    },
  },
  AppInboxCreateRequest: {
    type: 'object', additionalProperties: false, required: ['name', 'channel'],
    description: 'A mobile app inbox: the answer carries its API key, identity secret and push secret, shown this once',
    properties: {
      id: { ...id(64), description: 'Chosen when left out' },
      name: nonBlank(200),
      channel: { const: 'app', description: 'Mobile app (REST API with a per-app key, push webhook)' },
      settings: {
        type: 'object', additionalProperties: false,
        properties: { pushUrl: { ...pushUrl, description: 'Where replies are posted while the app is closed; none: no pushes' } },
      },
      flowId: { ...id(128), description: 'Default `default`' },
    },
  },
  AppInboxSettingsRequest: {
    type: 'object', additionalProperties: false, required: ['pushUrl'],
    properties: { pushUrl: { oneOf: [pushUrl, { type: 'null' }], description: 'The push webhook URL; null stops pushes' } },
  },
  AppSecretsRotateRequest: {
    type: 'object', additionalProperties: false, required: ['rotate'],
    properties: {
      rotate: {
        type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', enum: ['apiKey', 'identitySecret', 'pushSecret'] },
        description: 'The secrets to replace; the old ones stop working (within 5 s on every server)',
      },
    },
  },
  AppMessageRequest: {
    type: 'object', additionalProperties: false, required: ['deviceId', 'clientMessageId', 'text'],
    properties: {
      deviceId: { ...id(128), description: 'A stable id the app keeps per installation: the visitor when the user is not verified' },
      clientMessageId: { ...id(128), description: 'Unique per message; a retry with the same id is dropped' },
      text,
      userId: { type: 'string', pattern: USER_ID_PATTERN, description: 'Your user id; the visitor is `user:<userId>` when userHash signs it' },
      userHash: { type: 'string', maxLength: 256, description: 'hex HMAC-SHA256 of userId with the identity secret, from your backend; a wrong one leaves the visitor anonymous' },
    },
  },
  AppTranscriptQuery: {
    type: 'object', additionalProperties: false,
    properties: { after: { type: 'string', pattern: MESSAGE_ID_PATTERN, description: 'Only the messages after this message id' } },
  },
  WeiboInboxCreateRequest: {
    type: 'object', additionalProperties: false, required: ['name', 'channel', 'credentials'],
    properties: {
      id: { ...id(64), description: 'Chosen when left out' },
      name: nonBlank(200),
      channel: { const: 'weibo', description: 'Weibo private messages (微博 粉丝服务平台)' },
      credentials: {
        type: 'object', additionalProperties: false, required: ['appKey', 'appSecret', 'accessToken'],
        description: 'Encrypted at rest; never returned by a GET',
        properties: {
          appKey: { type: 'string', pattern: '^[0-9]{4,20}$', description: 'The APPKEY entered in the fan-service console (开发模式)' },
          appSecret: { type: 'string', pattern: '^[A-Za-z0-9]{16,64}$', description: "That app's App Secret: it signs every push" },
          accessToken: { type: 'string', pattern: '^[A-Za-z0-9._-]{16,512}$', description: 'The access token the fan-service console shows (高级功能 → 开发模式); replies are sent with it' },
        },
      },
      settings: {
        type: 'object', additionalProperties: false,
        properties: {
          apiBaseUrl: { type: 'string', pattern: '^https?://[^\\s/?#]+(/[^\\s?#]*)?$', maxLength: 500, description: 'Default https://m.api.weibo.com' },
        },
      },
      flowId: { ...id(128), description: 'Default `default`' },
    },
  },
  InboxFlowRequest: {
    type: 'object', additionalProperties: false, required: ['flowId'],
    properties: { flowId: id(128) },
  },
  OpsStuckQuery: {
    type: 'object', additionalProperties: false,
    properties: {
      ...opsFilterProperties,
      flowVersion: { type: 'string', pattern: '^[1-9][0-9]{0,8}$' },
      minAgeMinutes: { type: 'string', pattern: '^[0-9]{1,7}$' },
      limit: { type: 'string', pattern: '^[1-9][0-9]{0,3}$', description: 'Default 200, at most 1000' },
    },
  },
  OpsRetryRequest: { type: 'object', additionalProperties: false, required: ['reason'], properties: { reason: opsReason } },
  OpsReplayCheckRequest: { type: 'object', additionalProperties: false, required: ['reason'], properties: { reason: opsReason } },
  OpsResetRequest: {
    type: 'object', additionalProperties: false, required: ['reason', 'eventId'],
    properties: { reason: opsReason, eventId: { type: 'integer', minimum: 2, description: "A timeline entry's resetEventId" } },
  },
  OpsRerouteRequest: {
    type: 'object', additionalProperties: false, required: ['reason'], minProperties: 2, maxProperties: 2,
    description: 'The reason and exactly one of queue, agentId or nodeId',
    properties: { reason: opsReason, queue: id(128), agentId: id(128), nodeId: { ...id(128), description: 'A flow step' } },
  },
  OpsTerminateRequest: {
    type: 'object', additionalProperties: false, required: ['reason'],
    properties: { reason: opsReason, message: { ...nonBlank(1000), description: 'What the customer is told; a bilingual default otherwise' } },
  },
  OpsBulkRequest: {
    type: 'object', additionalProperties: false, required: ['action', 'reason'],
    properties: {
      action: { type: 'string', enum: ['retry', 'reset', 'reroute', 'replay-check', 'terminate'] },
      reason: opsReason,
      dryRun: { type: 'boolean' },
      filter: {
        type: 'object', additionalProperties: false,
        properties: { ...opsFilterProperties, flowVersion: versionNumber, minAgeMinutes: { type: 'number', minimum: 0 } },
      },
      params: {
        type: 'object', additionalProperties: false,
        properties: {
          workflowIds: { type: 'array', maxItems: 5000, items: { type: 'string', minLength: 1, maxLength: 300 }, description: 'Only these (still within the filter)' },
          queue: id(128), agentId: id(128), nodeId: id(128), message: nonBlank(1000),
        },
      },
    },
  },
  AgentRoutingRequest: {
    type: 'object', additionalProperties: false,
    description: "An agent's routing profile; fields left out keep their value",
    properties: {
      skills: {
        type: 'array', maxItems: 50, uniqueItems: true, description: '`name` or `name:level` with a level 1–5 (3 when left out)',
        items: { type: 'string', pattern: SKILL_PATTERN },
      },
      languages: { type: 'array', maxItems: 20, uniqueItems: true, items: id(16), description: 'e.g. zh, en' },
      channels: { type: 'array', maxItems: 20, uniqueItems: true, items: id(64), description: 'Channels served; empty = every channel' },
      teams: { type: 'array', maxItems: 50, uniqueItems: true, items: id(64) },
      capacity: { ...seats, description: 'Conversations held at once, on channels without a capacity of their own' },
      channelCapacity: {
        type: 'object', maxProperties: 20, propertyNames: id(64), additionalProperties: seats,
        description: 'Seats of their own per channel, e.g. {"voice": 1}; {} removes them all',
      },
    },
  },
  QueueRequest: {
    type: 'object', additionalProperties: false,
    description: 'Creates the queue, or changes the fields given',
    properties: {
      name: { ...nonBlank(200), description: 'The queue id when a new queue leaves it out' },
      requirement: {
        type: 'string', maxLength: MAX_REQUIREMENT_LENGTH,
        description: "Who may take its conversations, e.g. `skills has 'refund' and languages has 'zh'`; empty = anyone",
      },
      strategy: { type: 'string', enum: STRATEGIES, description: 'How an agent is picked among the eligible' },
      offerTimeoutSeconds: { type: 'integer', minimum: 5, maximum: 600, description: 'How long an offer is the agent\'s' },
      stickyWindowHours: { type: 'integer', minimum: 0, maximum: 8760, description: "Sticky: the customer's last agent first within this many hours" },
      silenceReassignMinutes: { type: 'integer', minimum: 0, maximum: 1440, description: 'An accepted conversation whose customer waits this long for a reply goes to another agent; 0 = never' },
      sla: {
        type: 'object', additionalProperties: false, description: 'SLA targets in seconds from entering the queue (0 or absent = none); breaches are recorded on the conversation',
        properties: Object.fromEntries(['firstResponseSeconds', 'nextResponseSeconds', 'resolutionSeconds'].map((k) => [k, { type: 'integer', minimum: 0, maximum: 604800 }])),
      },
      businessHours: {
        type: ['object', 'null'], additionalProperties: false, required: ['days', 'from', 'to'],
        description: 'When the queue is staffed; SLA targets count only this time. `from` after `to` spans midnight. null = always open',
        properties: {
          days: { type: 'array', minItems: 1, maxItems: 7, uniqueItems: true, items: { type: 'integer', minimum: 1, maximum: 7 }, description: 'Weekdays, Monday = 1' },
          from: { type: 'string', pattern: '^([01][0-9]|2[0-4]):[0-5][0-9]$', description: 'HH:MM' },
          to: { type: 'string', pattern: '^([01][0-9]|2[0-4]):[0-5][0-9]$', description: 'HH:MM' },
        },
      },
      timeZone: { type: 'string', minLength: 1, maxLength: 64, description: 'IANA time zone of the business hours, e.g. Asia/Shanghai (the default)' },
      holidays: { type: 'array', maxItems: 400, items: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }, description: "Closed all day: 'YYYY-MM-DD' in the queue's time zone" },
    },
  },
  SupervisorReassignRequest: {
    type: 'object', additionalProperties: false,
    description: 'Exactly one of agentId or queue',
    properties: {
      agentId: { ...id(128), description: 'Offered to this agent first' },
      queue: { ...id(128), description: 'Waits in this queue instead' },
      note: { ...nonBlank(500), description: 'Why: written to the audit log' },
    },
  },
  EventStreamQuery: {
    type: 'object', additionalProperties: false,
    properties: {
      types: { type: 'string', maxLength: 1000, description: 'Comma-separated event types to receive; all when absent' },
      after: { type: 'string', pattern: EVENT_ID_PATTERN, description: 'Resume after this event id (a Last-Event-ID header wins)' },
      access_token: { type: 'string', maxLength: 200, description: 'The bearer token, for EventSource, which cannot set headers' },
    },
  },
} as const;

export const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

function describe(errors: ErrorObject[] | null | undefined) {
  return (errors ?? []).map((e) => {
    const where = e.instancePath || '(body)';
    const field = e.instancePath.slice(1);
    if (e.keyword === 'additionalProperties') return { path: where, message: `unknown field "${String(e.params.additionalProperty)}"` };
    if (e.keyword === 'required') return { path: where, message: `missing field "${String(e.params.missingProperty)}"` };
    if (e.keyword === 'maxLength') return { path: where, message: `${field} is longer than ${String(e.params.limit)} characters` };
    if (e.keyword === 'pattern' && e.params.pattern === NOT_BLANK) return { path: where, message: `${field} is empty` };
    return { path: where, message: `${field ? `${field} ` : ''}${e.message ?? 'is invalid'}` };
  });
}

type SchemaName = keyof typeof schemas;
const validators = Object.fromEntries(Object.entries(schemas).map(([name, s]) => [name, ajv.compile(s)])) as Record<SchemaName, ReturnType<typeof ajv.compile>>;

/** Rejects a body (or query) that does not fit its schema with 400 and what is wrong. */
export function validate(name: SchemaName, source: 'body' | 'query' = 'body') {
  return (req: Request, _res: Response, next: NextFunction) => {
    const value = source === 'body' ? req.body : { ...req.query };
    if (source === 'body' && (value === undefined || typeof value !== 'object' || Array.isArray(value) || !req.is('application/json'))) {
      throw new AppError(415, 'expected a JSON object body (Content-Type: application/json)');
    }
    const check = validators[name];
    if (!check(value)) {
      const details = describe(check.errors);
      throw new AppError(400, `invalid ${source}: ${details.map((d) => d.message).join('; ')}`, details);
    }
    next();
  };
}

/** Checks a path parameter that names an id. */
export function idParam(req: Request, name: string): string {
  const value = req.params[name];
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) throw new AppError(400, `invalid ${name}`, { [name]: value ?? null });
  return value;
}
