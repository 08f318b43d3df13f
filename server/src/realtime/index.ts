import type { Server as HttpServer } from 'node:http';
import type { Deps } from '../deps';

/** Live updates over socket.io (stub until the realtime module lands). */
export async function attachRealtime(_server: HttpServer, _deps: Deps): Promise<{ close(): Promise<void> }> {
  return { close: async () => {} };
}
