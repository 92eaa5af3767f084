/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

export default defineConfig(({ mode }) => ({
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
  server: {
    // `npm run dev` talks to a dev server already running on 7071.
    proxy: { '/api': 'http://localhost:7071', '/dev': 'http://localhost:7071', '/sim': 'http://localhost:7071' },
    // Tests read the API's function classes to check the navigation against each route's roles; the dev server does not.
    fs: mode === 'test' ? { allow: ['.', '../functions/Playbooks.Functions'] } : undefined,
  },
  test: {
    environment: 'jsdom',
    include: ['test/**/*.test.ts'],
  },
}));
