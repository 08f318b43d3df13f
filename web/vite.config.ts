import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Dev mode (`npm run dev`): Vite with hot reload on 5173, the API and socket.io proxied to
// the server on MOTCUA_API (default http://localhost:3000).
const api = process.env.MOTCUA_API ?? 'http://localhost:3000';

export default defineConfig({
  plugins: [react()],
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
