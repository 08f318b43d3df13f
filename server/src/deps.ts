import type { Logger } from 'pino';
import type { Database, Db } from './db/client';
import type { Clock } from './clock';
import type { ServerConfig } from './config';
import type { Bus } from './bus';
import type { Directory } from './directory';

/** Everything a route or job needs, passed explicitly (no container, no globals). */
export interface Deps {
  database: Database;
  db: Db;
  clock: Clock;
  config: ServerConfig;
  logger: Logger;
  /** After-commit notifications (live updates, metrics). */
  bus: Bus;
  /** Units, calendars and compiled procedures, cached and invalidated on change. */
  directory: Directory;
}

/** Deps whose database and directory read through a transaction. */
export function within(deps: Deps, tx: Db): Deps {
  return { ...deps, db: tx, directory: deps.directory.using(tx) };
}
