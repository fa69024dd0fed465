/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The console: built into web/dist (served by Reelay at `/`), or `npm run dev:web` against a
// Reelay on :3000. `npm test` runs its Vitest suite with this same config.
export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true, // read by the bundle-size test: which chunks load before the first page
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: Object.fromEntries(
      ['/api', '/kling', '/kie', '/docs', '/health', '/v1', '/media'].map((p) => [p, 'http://127.0.0.1:3000']),
    ),
  },
  test: {
    root,
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    testTimeout: 20_000,
  },
});
