/** A pino logger whose lines are kept in memory, so a test can read what the server logged. */
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

export interface CapturedLogs {
  logger: Logger;
  /** Every line logged so far, parsed. */
  lines(): { level: number; msg?: string; [key: string]: unknown }[];
  /** The raw text of the lines at `level` or above (pino: 40 warn, 50 error). */
  textAtOrAbove(level: number): string;
}

export function captureLogs(level = 'info'): CapturedLogs {
  const raw: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      raw.push(...String(chunk).split('\n').filter((l) => l.trim() !== ''));
      done();
    },
  });
  const logger = pino({ level }, sink);
  const lines = () => raw.map((l) => JSON.parse(l) as { level: number; msg?: string });
  return {
    logger,
    lines,
    textAtOrAbove: (min) => raw.filter((l) => (JSON.parse(l) as { level: number }).level >= min).join('\n'),
  };
}
