import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { compression } from 'vite-plugin-compression2';

// Dev mode (`npm run dev`): Vite with hot reload on 5173, the API and socket.io proxied to
// the server on MOTCUA_API (default http://localhost:3000).
const api = process.env.MOTCUA_API ?? 'http://localhost:3000';

export default defineConfig({
  // Brotli and gzip copies of every asset, made once at build time: the server sends the one
  // the browser accepts (server/src/http/web.ts) instead of compressing on every request.
  plugins: [react(), compression({ algorithms: ['brotliCompress', 'gzip'], threshold: 1024, logLevel: 'silent' })],
  server: {
    port: 5173,
    proxy: {
      '/api': api,
      '/socket.io': { target: api, ws: true },
    },
  },
  build: {
    outDir: 'dist',
    chunkSizeWarningLimit: 2000,
  },
});
