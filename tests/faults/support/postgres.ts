/**
 * A private, throwaway PostgreSQL server for fault tests that stop and kill it: its own
 * cluster (initdb) in a temporary folder, on a free port of 127.0.0.1, so stopping it
 * disturbs no other test using the machine's server. Made from the Debian binaries under
 * /usr/lib/postgresql/<version>/bin; when run as root, the server runs as `postgres`
 * (PostgreSQL refuses to run as root).
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The newest installed PostgreSQL's bin folder, or null. */
export function postgresBin(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(base, versions[0], 'bin') : null;
}

export interface PrivatePostgres {
  url: string;
  port: number;
  /** `pg_ctl stop -m immediate`: every backend killed at once, no checkpoint (crash recovery on the next start). */
  stopImmediate(): Promise<void>;
  /** Starts the server and waits until it accepts connections. */
  start(): Promise<void>;
  /** Stops the server (if running) and deletes its folder. */
  remove(): Promise<void>;
  /** The server's log, for failure messages. */
  log(): Promise<string>;
}

async function uidOf(user: string): Promise<{ uid: number; gid: number }> {
  const uid = Number((await run('id', ['-u', user])).stdout.trim());
  const gid = Number((await run('id', ['-g', user])).stdout.trim());
  return { uid, gid };
}

/** Creates and starts a private cluster on `port`. */
export async function startPrivatePostgres(port: number): Promise<PrivatePostgres> {
  const bin = postgresBin();
  if (!bin) throw new Error('no PostgreSQL binaries under /usr/lib/postgresql');
  const dir = mkdtempSync(join(tmpdir(), 'motcua-pg-'));
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { uid, gid } = await uidOf('postgres');
    chownSync(dir, uid, gid);
  }
  const pg = (tool: string, args: string[]) => (asRoot
    ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args], { timeout: 60_000 })
    : run(join(bin, tool), args, { timeout: 60_000 }));
  await pg('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  // fsync off: an immediate stop is not a power cut, the OS keeps what was written.
  const options = [
    `-p ${port}`, '-c listen_addresses=127.0.0.1', `-c unix_socket_directories=${dir}`, '-c fsync=off', '-c full_page_writes=off',
    '-c max_connections=60', '-c shared_buffers=32MB',
  ].join(' ');
  let running = false;
  const start = async () => {
    await pg('pg_ctl', ['start', '-D', data, '-w', '-t', '60', '-l', logFile, '-o', options]);
    running = true;
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stopImmediate: async () => {
      await pg('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w', '-t', '30']);
      running = false;
    },
    remove: async () => {
      if (running) await pg('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w', '-t', '30']).catch(() => undefined);
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
    log: async () => (await run('tail', ['-n', '40', logFile]).catch(() => ({ stdout: '' }))).stdout,
  };
}
