import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built from the repository root with `vite build --config editor/vite.config.ts`;
// the server serves editor/dist at `/` with an SPA fallback.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
  server: {
    // `npx vite --config editor/vite.config.ts` forwards API calls to a running server.
    proxy: { '/api': process.env.HUILIU_API_URL ?? 'http://127.0.0.1:3000' },
  },
});
