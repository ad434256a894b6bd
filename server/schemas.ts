// Request schemas: they validate every request at the edge and are published
// as the OpenAPI document, so the two cannot drift apart.
import type { NextFunction, Request, Response } from 'express';
import type { ErrorObject } from 'ajv';
import { MAX_LENGTH as MAX_REQUIREMENT_LENGTH } from '../activities/routing/expression';
import { STRATEGIES } from '../activities/routing/types';
import { ajv } from '../rules/ajv';
import { AppError } from './errors';

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

const SKILL_PATTERN = '^[^:\'"\\s]{1,64}(:[1-5])?$';
const seats = { type: 'integer', minimum: 0, maximum: 50 } as const;

const opsReason = { ...nonBlank(500), description: 'Why: written to the audit log' } as const;
const opsFilterProperties = {
  inbox: id(128), channel: id(64), flowId: id(128),
  reason: { type: 'string', enum: ['activity-failing', 'workflow-task-failing', 'sla-breached', 'idle'] },
} as const;

export const schemas = {
  WebchatMessageRequest: {
    type: 'object', additionalProperties: false, required: ['visitorId', 'clientMessageId', 'text'],
    properties: {
      visitorId: { ...id(128), description: 'A stable id the widget keeps for this visitor' },
      clientMessageId: { ...id(128), description: 'Unique per message; a repeat is dropped' },
      text,
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
