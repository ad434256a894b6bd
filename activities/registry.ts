// Every node type the platform knows, one line each. The validator, the
// worker, the simulator and the editor's palette all read this list.
import type { NodeTypeDefinition } from '../rules/plugin';
import { botPlugin } from './plugins/bot';
import { callbackPlugin } from './plugins/callback';
import { closePlugin } from './plugins/close';
import { escalatePlugin } from './plugins/escalate';
import { httpRequestPlugin } from './plugins/http-request';
import { normalizePlugin } from './plugins/normalize';
import { orderStatusPlugin } from './plugins/order-status';
import { queuePlugin, queueV1Plugin } from './plugins/queue';
import { replyPlugin } from './plugins/reply';
import { rulesPlugin } from './plugins/rules';
import { setAttributePlugin } from './plugins/set-attribute';
import { startPlugin } from './plugins/start';
import { surveyPlugin } from './plugins/survey';
import { transferPlugin } from './plugins/transfer';
import { waitPlugin } from './plugins/wait';
import type { Plugin } from './plugins/types';

export const plugins: Plugin[] = [
  startPlugin,
  normalizePlugin,
  botPlugin,
  rulesPlugin,
  setAttributePlugin,
  replyPlugin,
  waitPlugin,
  queueV1Plugin,
  queuePlugin,
  escalatePlugin,
  callbackPlugin,
  transferPlugin,
  surveyPlugin,
  closePlugin,
  httpRequestPlugin,
  orderStatusPlugin,
];

export const definitions: NodeTypeDefinition[] = plugins.map((p) => p.definition);
