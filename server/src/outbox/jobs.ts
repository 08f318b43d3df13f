import type { Deps } from '../deps';
import { sweep } from '../sweeper/index';
import { DELIVERY_POLICY, deliveryWorker, fanOut } from './dispatcher';
import { isConnectionError, outageLog } from '../db/outage';
import type { Resolver } from './targets';
import { portalRound } from './portal/service';
import { deliverNotifications, notifyRound } from '../notifications/service';
import { refundRound } from '../payments/service';

export interface BackgroundJobsOptions {
  /** Pause between two rounds of outbox work (fan-out and delivery). */
  intervalMs?: number;
  /** Pause between two sweeps (deadline marks and step timeouts), checked at each round. */
  sweepIntervalMs?: number;
  /** Name resolution for webhook connections (tests inject one; default: the system's). */
  resolve?: Resolver;
  /** Pause between two national portal rounds (pull online dossiers, reconcile); default 5 minutes. */
  portalIntervalMs?: number;
}

export interface BackgroundJobs {
  /** Starts a round soon (after a change was committed) instead of waiting for the interval. */
  kick(): void;
  /** Stops scheduling and waits for the round in progress to finish. */
  stop(): Promise<void>;
}

/** Rounds of one kind per wake-up, so a backlog is drained without starving the sweeper. */
const MAX_BATCHES = 20;

/**
 * The least time between two rounds that commits asked for. In a busy hour every action kicks
 * the loops; without a gap each loop would run its statements back to back, round after round,
 * costing more server CPU than the actions themselves (server bench: 0.81 → 1.02 ms per action).
 * 50 ms keeps webhooks and notices well inside a second.
 */
const KICKED_GAP_MS = 50;

/** One loop of rounds: never overlapping, the next scheduled when one ends; `kick` starts one soon. */
function loop(round: () => Promise<void>, intervalMs: number): BackgroundJobs & { start(): void } {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let current: Promise<void> | null = null;
  let again = false;

  const schedule = (delayMs: number): void => {
    if (stopped || timer || current) return;
    timer = setTimeout(run, delayMs);
    timer.unref?.();
  };

  function run(): void {
    timer = null;
    again = false;
    current = round().finally(() => {
      current = null;
      schedule(again ? KICKED_GAP_MS : intervalMs);
    });
  }

  return {
    start: () => schedule(0),
    kick: () => {
      if (stopped) return;
      if (current) {
        again = true;
        return;
      }
      if (timer) clearTimeout(timer);
      timer = null;
      schedule(20);
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await current;
    },
  };
}

/**
 * Background work of one server process, in two loops side by side: the webhooks (outbox
 * fan-out and delivery), and the rest (refunds, citizens' notifications, the sweeper, the
 * national portal's rounds). Apart, a slow round of the one never delays the other: in a busy
 * hour the notifications' and refunds' statements made every webhook wait a whole round more.
 * Within a loop rounds never overlap (the next one is scheduled when the current one ends);
 * errors are logged and the loop goes on. Several processes may run it side by side: every
 * step claims its work with `FOR UPDATE SKIP LOCKED`. A committed dossier change wakes both
 * loops early, so webhooks follow within moments rather than an interval.
 */
export function startBackgroundJobs(deps: Deps, options: BackgroundJobsOptions = {}): BackgroundJobs {
  const intervalMs = options.intervalMs ?? 1000;
  const sweepIntervalMs = options.sweepIntervalMs ?? 30_000;
  const deliverOptions = options.resolve ? { resolve: options.resolve } : {};
  let stopped = false;
  let lastSweep = Number.NEGATIVE_INFINITY;
  const portalIntervalMs = options.portalIntervalMs ?? 5 * 60_000;
  let lastPortal = performance.now();

  const report = (name: string, err: unknown): void => {
    // A database outage is logged once as such, not as a failure every round.
    if (isConnectionError(err)) outageLog(deps.logger).report(err, name);
    else deps.logger.error({ err, job: name }, 'background job failed; retrying next round');
  };
  const step = async (name: string, work: () => Promise<void>): Promise<void> => {
    try {
      await work();
    } catch (err) {
      report(name, err);
    }
  };

  // Deliveries go on after the round that claimed them (./dispatcher.ts, `deliveryWorker`): a
  // receiver that answers slowly or not at all no longer holds the next round, and so every
  // other receiver's next events, until its requests are over. A subscription's send that
  // ends starts a round soon, for what waited behind it.
  const deliveries = deliveryWorker(deps, {
    ...deliverOptions,
    onSettled: () => webhooks.kick(),
    onError: (err) => report('outbox.deliver', err),
  });

  const webhooks = loop(async () => {
    await step('outbox.fanOut', async () => {
      for (let i = 0; i < MAX_BATCHES && !stopped; i++) {
        if ((await fanOut(deps)).events < DELIVERY_POLICY.fanOutBatch) break;
      }
    });
    await step('outbox.deliver', async () => {
      for (let i = 0; i < MAX_BATCHES && !stopped; i++) {
        if ((await deliveries.start()) < DELIVERY_POLICY.deliverBatch) break;
      }
    });
  }, intervalMs);

  const others = loop(async () => {
    // Readers of the outbox for citizens: refunds of refused paid dossiers, then notifications.
    await step('payments.refunds', async () => { await refundRound(deps); });
    await step('notifications', async () => {
      for (let i = 0; i < MAX_BATCHES && !stopped; i++) if ((await notifyRound(deps)) < 200) break;
      await deliverNotifications(deps);
    });
    if (!stopped && performance.now() - lastSweep >= sweepIntervalMs) {
      lastSweep = performance.now();
      await step('sweeper', async () => {
        const r = await sweep(deps);
        if (r.timeouts || r.overdue || r.dueSoon || r.failed.length) deps.logger.info(r, 'sweep');
      });
    }
    if (!stopped && performance.now() - lastPortal >= portalIntervalMs) {
      lastPortal = performance.now();
      await step('portal', async () => {
        await portalRound(deps);
      });
    }
  }, intervalMs);

  const kick = (): void => {
    webhooks.kick();
    others.kick();
  };
  const unsubscribe = deps.bus.subscribe((m) => {
    if (m.type === 'dossier.changed') kick();
  });
  webhooks.start();
  others.start();

  return {
    kick,
    stop: async () => {
      stopped = true;
      unsubscribe();
      await Promise.all([webhooks.stop(), others.stop()]);
      // The sends the last rounds started (each ends by its request's timeout at the latest).
      await deliveries.idle();
    },
  };
}
