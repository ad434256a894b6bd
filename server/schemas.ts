// Request schemas: they validate every request at the edge and are published
// as the OpenAPI document, so the two cannot drift apart.
import type { NextFunction, Request, Response } from 'express';
import type { ErrorObject } from 'ajv';
import { ajv } from '../rules/ajv';
import { AppError } from './errors';

export const MAX_TEXT_LENGTH = 4000;

const id = (maxLength: number) => ({ type: 'string', pattern: '^[A-Za-z0-9_.:-]+$', minLength: 1, maxLength }) as const;
const text = { type: 'string', minLength: 1, maxLength: MAX_TEXT_LENGTH, pattern: '\\S' } as const;

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
  AgentStatusRequest: {
    type: 'object', additionalProperties: false, required: ['status'],
    properties: { status: { type: 'string', enum: ['online', 'offline'] } },
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
} as const;

export const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

function describe(errors: ErrorObject[] | null | undefined) {
  return (errors ?? []).map((e) => {
    const where = e.instancePath || '(body)';
    if (e.keyword === 'additionalProperties') return { path: where, message: `unknown field "${String(e.params.additionalProperty)}"` };
    if (e.keyword === 'required') return { path: where, message: `missing field "${String(e.params.missingProperty)}"` };
    if (e.keyword === 'maxLength' && e.instancePath === '/text') return { path: where, message: `text is longer than ${MAX_TEXT_LENGTH} characters` };
    if (e.keyword === 'pattern' && e.instancePath === '/text') return { path: where, message: 'text is empty' };
    return { path: where, message: e.message ?? 'invalid' };
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
