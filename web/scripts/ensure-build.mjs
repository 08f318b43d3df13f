#!/usr/bin/env node
// Runs before `npm start`: builds the web app when web/dist is missing or older than
// its sources (web/src, the engine it bundles), so a fresh clone serves the UI.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const built = join(root, 'dist', 'index.html');

const newest = (path) => {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let max = s.mtimeMs;
  for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)));
  return max;
};

const sources = [join(root, 'src'), join(root, 'index.html'), join(root, 'vite.config.ts'), join(root, '..', 'engine', 'src'), join(root, '..', 'engine', 'schema')];
const stale = !existsSync(built) || sources.some((p) => newest(p) > statSync(built).mtimeMs);
if (!stale) process.exit(0);

console.log('motcua: building the web app (web/dist)…');
const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
