import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// Built from the repository root with `vite build --config editor/vite.config.ts`;
// the server serves editor/dist at `/` with an SPA fallback, and the web chat
// widget's page (widget/index.html) at /widget/:inboxId.
//
// `--mode widget-loader` builds the script sites paste, /widget.js, as one
// classic script (no modules, no React) into the same dist, after the console
// (`npm run build` runs both).
export default defineConfig(({ mode }) =>
  mode === 'widget-loader'
    ? {
        root,
        publicDir: false,
        build: {
          outDir: 'dist',
          emptyOutDir: false,
          minify: true,
          lib: { entry: fileURLToPath(new URL('./widget/loader.ts', import.meta.url)), formats: ['iife'], name: 'HuiliuWidgetLoader', fileName: () => 'widget.js' },
        },
      }
    : {
        root,
        base: '/',
        plugins: [react()],
        build: {
          outDir: 'dist',
          emptyOutDir: true,
          rolldownOptions: {
            input: {
              main: fileURLToPath(new URL('./index.html', import.meta.url)),
              widget: fileURLToPath(new URL('./widget/index.html', import.meta.url)),
            },
          },
        },
        server: {
          // `npx vite --config editor/vite.config.ts` forwards API calls to a running server.
          proxy: { '/api': process.env.HUILIU_API_URL ?? 'http://127.0.0.1:3000' },
        },
      },
);
