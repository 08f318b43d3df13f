import type { Deps } from '../deps';
import { isConnectionError, outageLog } from '../db/outage';
import { takeCheckpoints, type CheckpointRun } from './checkpoints';

export interface CheckpointJob {
  /** Takes the checkpoints when one is due by the clock (the timer calls it; tests call it after moving the clock). */
  tick(): Promise<CheckpointRun | null>;
  stop(): Promise<void>;
}

/**
 * Checkpoints every `config.checkpointIntervalMs` by the injected clock (and once at
 * start): a timer wakes the job at most every minute, the clock says whether one is due.
 */
export function startCheckpointJob(deps: Deps, options: { timer?: boolean } = {}): CheckpointJob {
  const intervalMs = deps.config.checkpointIntervalMs;
  let last = Number.NEGATIVE_INFINITY;
  let current: Promise<CheckpointRun | null> | null = null;
  let stopped = false;
  const tick = (): Promise<CheckpointRun | null> => {
    if (current) return current;
    const now = deps.clock.now().getTime();
    if (stopped || now - last < intervalMs) return Promise.resolve(null);
    current = takeCheckpoints(deps).then((run) => {
      last = now;
      if (run.checkpoints) deps.logger.info({ checkpoints: run.checkpoints, heads: run.heads }, 'history checkpoints signed');
      return run;
    }, (err: unknown) => {
      if (isConnectionError(err)) outageLog(deps.logger).report(err, 'checkpoints');
      else deps.logger.error({ err }, 'history checkpoints failed; trying again at the next tick');
      return null;
    }).finally(() => { current = null; });
    return current;
  };
  const timer = options.timer === false ? null : setInterval(() => void tick(), Math.min(intervalMs, 60_000));
  timer?.unref();
  if (timer) void tick();
  return {
    tick,
    stop: async () => {
      stopped = true;
      if (timer) clearInterval(timer);
      await current;
    },
  };
}
