import type { Clock } from '../clock';

/** A periodic job driven by the injected clock: the timer only wakes it; the clock says whether a run is due. */
export interface ClockedJob<T> {
  /** Runs when one is due by the clock (the timer calls it; tests call it after moving the clock). */
  tick(): Promise<T | null>;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

export interface ClockedJobOptions<T> {
  clock: Clock;
  everyMs: number;
  run: () => Promise<T>;
  /** Called with a failed run's error; the next tick after `everyMs` tries again. */
  failed: (err: unknown) => void;
  /** False in tests, which call `tick` themselves. */
  timer?: boolean;
  /** Run once right away (when the timer is on). */
  atStart?: boolean;
}

/** Starts a clocked job: one run at a time, at most one per `everyMs` of the clock. Side effects: a timer. */
export function startClockedJob<T>(o: ClockedJobOptions<T>): ClockedJob<T> {
  let last = Number.NEGATIVE_INFINITY;
  let current: Promise<T | null> | null = null;
  let stopped = false;
  const tick = (): Promise<T | null> => {
    if (current) return current;
    const now = o.clock.now().getTime();
    if (stopped || now - last < o.everyMs) return Promise.resolve(null);
    current = o.run().then((r) => { last = now; return r; }, (err: unknown) => { o.failed(err); return null; })
      .finally(() => { current = null; });
    return current;
  };
  const timer = o.timer === false ? null : setInterval(() => void tick(), Math.min(o.everyMs, 60_000));
  timer?.unref();
  if (timer && o.atStart) void tick();
  return {
    tick,
    stop: async () => {
      stopped = true;
      if (timer) clearInterval(timer);
      await current;
    },
  };
}
