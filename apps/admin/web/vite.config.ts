import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The admin console: `npm run build:web` writes apps/admin/web/dist, which the admin app serves at `/`
 * (apps/admin/src/web/web.module.ts). `npx vite apps/admin/web` serves it with the API proxied to a
 * running admin on 8081 (log in there first; the session cookie is host-wide).
 */
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8081', '/auth': 'http://127.0.0.1:8081' },
  },
});
