// http-request: call an external system the platform allows, and keep its
// answer as the `http` fact for later rules. Secrets cannot be part of a flow:
// an analyst picks headers from a fixed list of non-secret ones; a system that
// needs credentials gets its own plugin with the secret in platform
// configuration (see order-status).
import type { Plugin } from '../types';
import { createHttpRequestHandler, FAILURE_CODES, LIMITS, SAFE_HEADERS } from './handler';

const template = { 'x-widget': 'template' } as const;

export const httpRequestPlugin: Plugin = {
  definition: {
    type: 'http-request', typeVersion: 1, category: 'integration',
    title: { zh: '调用外部接口', en: 'HTTP request' },
    description: {
      zh: '向平台白名单内的外部系统发送 HTTP 请求，响应作为事实 http 供后续规则使用。不跟随重定向；不能填写 Authorization 等含密钥的请求头。模拟运行时不发出请求。',
      en: 'Calls an external system on the platform allow-list; the answer becomes the `http` fact for later rules. Redirects are not followed, and no secret-bearing header (Authorization...) can be set. Simulations do not call out.',
    },
    parameters: {
      type: 'object', additionalProperties: false, required: ['method', 'url'],
      properties: {
        method: { type: 'string', enum: ['GET', 'POST'], default: 'GET', 'x-title': { zh: '方法', en: 'Method' } },
        url: {
          type: 'string', minLength: 1, maxLength: 2048, ...template,
          'x-title': { zh: '地址', en: 'URL' },
          'x-description': {
            zh: '只能访问平台白名单中的主机。可用 {{contact.attributes.memberId}} 这样的变量，代入时按 URL 编码。',
            en: 'Hosts on the platform allow-list only. Variables such as {{contact.attributes.memberId}} are URL-encoded when filled in.',
          },
        },
        headers: {
          type: 'array', maxItems: 8, default: [],
          'x-title': { zh: '请求头', en: 'Headers' },
          'x-description': { zh: '只能从列表中选择不含密钥的请求头；值可以用变量。', en: 'Only the non-secret headers in the list; values may use variables.' },
          items: {
            type: 'object', additionalProperties: false, required: ['name', 'value'],
            properties: {
              name: { type: 'string', enum: [...SAFE_HEADERS], 'x-title': { zh: '名称', en: 'Name' } },
              value: { type: 'string', maxLength: 512, ...template, 'x-title': { zh: '值', en: 'Value' } },
            },
          },
        },
        body: {
          type: 'string', maxLength: 16384, default: '', ...template,
          'x-title': { zh: '请求体（JSON，仅 POST）', en: 'Body (JSON, POST only)' },
          'x-description': { zh: '变量按 JSON 字符串转义后代入，请写在引号内。', en: 'Variables are JSON-string escaped: put them inside quotes.' },
        },
        timeoutMs: { type: 'integer', ...LIMITS.timeoutMs, 'x-title': { zh: '超时（毫秒）', en: 'Timeout (ms)' } },
        // The answer travels in the workflow's history and state, whose payloads Temporal caps (warning at 256 KB).
        maxResponseBytes: { type: 'integer', ...LIMITS.maxResponseBytes, 'x-title': { zh: '响应大小上限（字节）', en: 'Largest answer (bytes)' } },
      },
    },
    handles: [
      { id: 'ok', title: { zh: '成功（2xx）', en: 'OK (2xx)' }, required: true },
      { id: 'error', title: { zh: '失败', en: 'Failed' }, required: true },
    ],
    provides: {
      fact: 'http',
      description: { zh: '上一个 HTTP 请求节点的响应', en: 'The answer to the latest HTTP request node' },
      schema: {
        type: 'object',
        properties: {
          status: { type: 'number', 'x-description': { zh: 'HTTP 状态码；未收到响应时为 0', en: 'HTTP status; 0 when there was no answer' } },
          ok: { type: 'boolean', 'x-description': { zh: '状态码为 2xx', en: 'The status is 2xx' } },
          // Any JSON value: whatever the system answered.
          body: { 'x-description': { zh: '响应内容：JSON 解析后的值，否则为文本', en: 'The answer: parsed JSON, else text' } },
          error: {
            type: 'string', enum: [...FAILURE_CODES],
            'x-description': { zh: '失败原因（仅失败时）', en: 'Why it failed (failures only)' },
          },
        },
      },
    },
    sideEffects: true,
  },
  createHandler: createHttpRequestHandler,
};
