import { defineConfig } from 'vite';

// The server sends a strict Content-Security-Policy (script-src 'self'; style-src 'self'), so the
// built index.html must hold no inline script or style: no module-preload polyfill, and React's
// JSX is compiled by esbuild (no plugin that would inject a refresh preamble).
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    modulePreload: { polyfill: false },
    // Never inline assets as data: URLs into JS/CSS; keep them as files under /assets/.
    assetsInlineLimit: 0,
  },
  server: {
    // `npm run dev` talks to a local `evhub serve` on the default port.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
