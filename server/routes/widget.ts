// What a website embeds: GET /widget.js (the loader a site pastes as a
// <script>; it adds the launcher and the chat panel), GET /widget/:inboxId
// (the chat page the panel frames: built with the console, editor/widget), and
// GET /api/v1/media/:id (uploaded images and files). No sign-in for any of
// them: a media id is 128 random bits, known only to the conversation. Copies
// of providers' media are not served here: agents read them signed in
// (GET /api/v1/conversations/:id/media/:messageId/:index).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Router, type Response } from 'express';
import { AppError } from '../errors';
import { mediaStore, sendMedia } from '../media';
import { idParam } from '../schemas';
import type { AppDeps } from '../app';

function notBuilt(res: Response) {
  res.status(503).type('text/plain').send('The widget is not built yet: run `npm run build`. 网页聊天组件尚未构建：请运行 npm run build。');
}

export function widgetRoutes({ models, config }: Pick<AppDeps, 'models' | 'config'>): Router {
  const r = Router();
  const loader = join(config.consoleDir, 'widget.js');
  const page = join(config.consoleDir, 'widget', 'index.html');

  r.get('/widget.js', (_req, res) => {
    if (!existsSync(loader)) { notBuilt(res); return; }
    // Its name never changes: sites get a new version within five minutes.
    res.set({
      'Cache-Control': 'public, max-age=300',
      'Content-Type': 'text/javascript; charset=utf-8',
      // Loadable from pages that isolate themselves (Cross-Origin-Embedder-Policy).
      'Cross-Origin-Resource-Policy': 'cross-origin',
    });
    res.sendFile(loader);
  });

  // The panel's page, framed by any site (no X-Frame-Options; frame-ancestors *). The inbox is checked by its API calls.
  r.get('/widget/:inboxId', (req, res) => {
    idParam(req, 'inboxId');
    if (!existsSync(page)) { notBuilt(res); return; }
    res.set({ 'Cache-Control': 'no-cache', 'Content-Security-Policy': 'frame-ancestors *', 'Referrer-Policy': 'no-referrer' });
    res.sendFile(page);
  });

  const media = mediaStore(models);
  r.get('/api/v1/media/:id', async (req, res) => {
    const id = idParam(req, 'id');
    const info = await media.info(id);
    if (!info || info.source === 'provider') throw new AppError(404, `no media "${id}"`, { id });
    await sendMedia(req, res, media, info);
  });

  return r;
}
