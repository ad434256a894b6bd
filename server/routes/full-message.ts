// GET /m/:messageId?s=<signature>: the whole of an outbound message, for
// channels that cut a long text short and link here (Weibo). Public, so a
// customer opens it from their app without signing in; the signature
// (activities/channels/full-message-link.ts) makes the link unguessable. A bad
// signature, an unknown id and a customer's own message all get the same 404,
// so the page tells nobody which ids exist. The page is static HTML: every piece
// of the message is escaped, and its policy allows no script at all.
import { Router, type Response } from 'express';
import { capabilitiesOf, fullText } from '../../activities/channels/capabilities';
import { fullMessageLinks, type FullMessageLinks } from '../../activities/channels/full-message-link';
import type { MessageCard, MessageChoice } from '../../activities/types';
import type { AppDeps } from '../app';
import { loadSecretKey } from '../secrets';

const SIGNATURE = /^[A-Za-z0-9_-]{22}$/;
const MAX_ID_LENGTH = 300;

const HEADERS = {
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Robots-Tag': 'noindex, nofollow',
  // The page is one customer's: no shared cache keeps it.
  'Cache-Control': 'private, no-store',
};

export function fullMessageRoutes({ models, config }: Pick<AppDeps, 'models' | 'config'>): Router {
  const r = Router();
  let links: Promise<FullMessageLinks> | undefined;

  r.get('/m/:messageId', async (req, res) => {
    const id = req.params.messageId;
    const signature = typeof req.query.s === 'string' ? req.query.s : '';
    links ??= loadSecretKey(config).then((key) => fullMessageLinks(config.publicUrl, key));
    const signed = id.length <= MAX_ID_LENGTH && SIGNATURE.test(signature) && (await links).verify(id, signature);
    const message = signed ? await models.Message.findById(id).lean() : null;
    if (!message || message.direction !== 'out') {
      notFound(res);
      return;
    }
    const text = fullText(
      { id, text: message.text, choices: message.choices as MessageChoice[] | undefined, card: message.card as MessageCard | undefined },
      capabilitiesOf(message.channel),
    );
    res.status(200).set(HEADERS).type('html').send(page('消息全文 · Full message', `<div class="text">${linkified(text)}</div>`));
  });

  return r;
}

function notFound(res: Response) {
  res.status(404).set(HEADERS).type('html').send(page(
    '找不到消息 · Message not found',
    `<p>找不到这条消息：链接不完整或已失效。请回到对话中查看。</p>
<p lang="en">This message was not found: the link is incomplete or no longer valid. Please look in your conversation instead.</p>`,
  ));
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font: 16px/1.6 system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 0 auto; max-width: 40rem; padding: 1.5rem 1rem; color: #1f2328; }
h1 { font-size: 1.25rem; margin: 0 0 1rem; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
a { color: #0969da; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>
`;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** Web addresses in the text, up to a space, a bracket, a quote or a CJK punctuation mark. */
const URL_IN_TEXT = /https?:\/\/[^\s<>"'()（）「」，。、；！？]+/g;

/** The text, escaped, with its web addresses as links. */
function linkified(text: string): string {
  let html = '';
  let last = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    html += escapeHtml(text.slice(last, match.index));
    const url = escapeHtml(match[0]);
    html += `<a href="${url}" rel="noopener noreferrer nofollow">${url}</a>`;
    last = match.index + match[0].length;
  }
  return html + escapeHtml(text.slice(last));
}
