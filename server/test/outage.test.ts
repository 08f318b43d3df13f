import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { isConnectionError, outageLog } from '../src/db/outage';

describe('isConnectionError', () => {
  it('should recognise the driver\'s connection errors, bare or wrapped by the ORM', () => {
    // given the errors node-postgres and pg-pool raise when the database goes away
    const bare = [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', syscall: 'connect' }),
      Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
      Object.assign(new Error('connection failure'), { code: '08006' }),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED', syscall: 'connect' })], ''),
    ];
    for (const e of bare) {
      // then each is one, and so is the same error wrapped as Drizzle wraps it (twice over)
      expect(isConnectionError(e), e.message).toBe(true);
      expect(isConnectionError(new Error('Failed query: select 1\nparams: ', { cause: e })), e.message).toBe(true);
      expect(isConnectionError(new Error('outer', { cause: new Error('inner', { cause: e }) })), e.message).toBe(true);
    }
  });

  it('should not take bugs, bad data or a missing file for an outage', () => {
    const others = [
      new Error('Cannot read properties of undefined'),
      Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }),
      Object.assign(new Error('invalid input syntax'), { code: '22P02' }),
      Object.assign(new Error("ENOENT: no such file or directory, open 'x'"), { code: 'ENOENT', syscall: 'open' }),
      null, undefined, 'ECONNREFUSED', 42,
    ];
    for (const e of others) expect(isConnectionError(e), String(e)).toBe(false);
    // and a cycle of causes ends
    const a = new Error('a') as Error & { cause?: unknown };
    a.cause = new Error('b', { cause: a });
    expect(isConnectionError(a)).toBe(false);
  });
});

describe('outageLog', () => {
  it('should log an outage once when it starts and once when it ends, whoever reports it', () => {
    // given a logger writing to memory
    const lines: { msg: string; level: number; failures?: number }[] = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => { lines.push(JSON.parse(l) as { msg: string; level: number }); } });
    const log = outageLog(logger);
    log.recovered();
    lines.length = 0;
    // when many requests and a background job fail during one outage (each through its own child logger)
    const err = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', syscall: 'connect' });
    for (let i = 0; i < 50; i++) log.report(err, 'GET');
    outageLog(logger.child({ module: 'jobs' })).report(err, 'outbox');
    expect(log.since).not.toBeNull();
    // and a connection succeeds again
    log.recovered();
    log.recovered();
    // then the log has two warnings: the start and the end, with the count of failures
    expect(lines.map((l) => [l.level, l.msg])).toEqual([[40, 'database unavailable: answering 503 until it is back'], [40, 'database is back']]);
    expect(lines[1]!.failures).toBe(51);
    expect(log.since).toBeNull();
  });
});
