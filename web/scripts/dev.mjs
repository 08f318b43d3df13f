#!/usr/bin/env node
// `npm run dev`: the server (tsx watch, API on PORT or 3000) and Vite with hot reload on
// :5173 proxying /api and /socket.io to it. Ctrl-C stops both.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const port = process.env.PORT ?? '3000';
const children = [
  spawn('npx', ['tsx', 'watch', 'server/src/main.ts'], { cwd: root, stdio: 'inherit', env: { ...process.env, PORT: port } }),
  spawn('npx', ['vite'], { cwd: join(root, 'web'), stdio: 'inherit', env: { ...process.env, MOTCUA_API: `http://localhost:${port}` } }),
];
const stop = () => { for (const c of children) c.kill('SIGTERM'); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const c of children) c.on('exit', (code) => { stop(); process.exitCode = code ?? 0; });
