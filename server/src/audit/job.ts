import type { Deps } from '../deps';
import { isConnectionError, outageLog } from '../db/outage';
import { takeCheckpoints, type CheckpointRun } from './checkpoints';
import { safeError } from '../http/logSafe';
import { startClockedJob, type ClockedJob } from '../jobs/clocked';

export type CheckpointJob = ClockedJob<CheckpointRun>;

/**
 * Checkpoints every `config.checkpointIntervalMs` by the injected clock (and once at
 * start): a timer wakes the job at most every minute, the clock says whether one is due.
 */
export function startCheckpointJob(deps: Deps, options: { timer?: boolean } = {}): CheckpointJob {
  return startClockedJob({
    clock: deps.clock, everyMs: deps.config.checkpointIntervalMs, timer: options.timer, atStart: true,
    run: async () => {
      const run = await takeCheckpoints(deps);
      if (run.checkpoints) deps.logger.info({ checkpoints: run.checkpoints, heads: run.heads }, 'history checkpoints signed');
      return run;
    },
    failed: (err) => {
      if (isConnectionError(err)) outageLog(deps.logger).report(err, 'checkpoints');
      else deps.logger.error({ err: safeError(err) }, 'history checkpoints failed; trying again at the next tick');
    },
  });
}
