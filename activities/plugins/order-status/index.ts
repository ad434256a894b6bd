// order-status: the worked example of an integration plugin (README, "Adding an activity").
// Looks up an order's delivery status in the shop (Shopify Admin REST API) and
// keeps it as the `order` fact, so rules can route "where is my parcel?" and
// replies can quote the carrier and tracking number.
import type { Plugin } from '../types';
import { createOrderStatusHandler, ORDER_SOURCES } from './handler';
import { ORDER_STATUSES } from './shopify';

const text = (zh: string, en: string) => ({ type: 'string', 'x-description': { zh, en } });

export const orderStatusPlugin: Plugin = {
  definition: {
    type: 'order-status', typeVersion: 1, category: 'integration',
    title: { zh: '查询订单状态', en: 'Order status' },
    description: {
      zh: '从商城（Shopify）查询订单的物流状态，作为事实 order 供后续规则和回复使用。只读，因此模拟运行时也会真实查询。商城地址和密钥由平台配置，不写在流程里。',
      en: 'Looks up an order’s delivery status in the shop (Shopify) and keeps it as the `order` fact for later rules and replies. A read, so simulations look it up for real too. The shop and its token are platform configuration, never part of the flow.',
    },
    parameters: {
      type: 'object', additionalProperties: false, required: ['source'],
      properties: {
        source: {
          type: 'string', enum: [...ORDER_SOURCES], default: 'message',
          'x-title': { zh: '订单号来源', en: 'Order number from' },
          'x-enumTitles': {
            message: { zh: '客户消息中的数字（6 位以上）', en: 'The number in the message (6+ digits)' },
            lastOrder: { zh: '客户最近的订单', en: 'The customer’s latest order' },
          },
        },
      },
    },
    handles: [
      { id: 'found', title: { zh: '找到订单', en: 'Found' }, required: true },
      { id: 'notFound', title: { zh: '没有该订单', en: 'Not found' }, required: true },
      { id: 'error', title: { zh: '查询失败', en: 'Failed' }, required: true },
    ],
    provides: {
      fact: 'order',
      description: { zh: '查询到的订单及其物流状态', en: 'The order looked up, with its delivery status' },
      schema: {
        type: 'object',
        properties: {
          found: { type: 'boolean', 'x-description': { zh: '商城中有这个订单', en: 'The shop has this order' } },
          id: text('订单 ID（未找到时为查询的号码，可能为空）', 'Order id (when not found: the number looked up, maybe empty)'),
          name: text('订单名称，如 #1001', 'Order name, e.g. #1001'),
          status: {
            ...text('物流状态', 'Delivery status'),
            enum: [...ORDER_STATUSES],
          },
          carrier: text('承运商（无则为空）', 'Carrier (empty when none)'),
          trackingNumber: text('运单号（无则为空）', 'Tracking number (empty when none)'),
          updatedAt: text('状态更新时间（ISO 8601）', 'When the status last changed (ISO 8601)'),
        },
      },
    },
    // A read: nothing outside the conversation changes, so the simulator runs it for real.
    sideEffects: false,
  },
  createHandler: createOrderStatusHandler,
};
