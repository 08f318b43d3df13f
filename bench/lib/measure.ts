/**
 * Times a workload of "dossiers × actions": one round drives every dossier through every
 * action, action by action (all dossiers take action 0, then action 1, …), the way a server
 * sees many dossiers in flight. Each action is timed on its own; the round is timed whole.
 */

/** One engine doing the workload. */
export interface Driver {
  name: string;
  /** Creates the round's dossiers and stores their first state; not timed. */
  prepare(round: number, dossiers: number): Promise<void>;
  /**
   * Takes action `action` on dossier `dossier`: exactly the work of one request. A
   * synchronous driver returns undefined so that it pays for no promise.
   */
  act(dossier: number, action: number): Promise<void> | undefined;
  /** Throws unless every dossier of the round ended where it should; not timed. */
  verify(): void;
}

export interface Round {
  actionsPerSecond: number;
  /** Per-action latency in microseconds, in the order taken. */
  latenciesUs: Float64Array;
}

/** `global.gc` when Node runs with `--expose-gc` (as `bench/run.ts` starts it). */
const collectGarbage = (globalThis as { gc?: () => void }).gc;

/**
 * Runs one round: prepare (untimed), a full garbage collection (untimed, when exposed) so
 * that no round pays for the garbage of the one before (another engine's, when rounds are
 * interleaved), all actions (timed), verify (untimed).
 */
export async function runRound(driver: Driver, round: number, dossiers: number, actions: number): Promise<Round> {
  await driver.prepare(round, dossiers);
  collectGarbage?.();
  const latenciesUs = new Float64Array(dossiers * actions);
  let i = 0;
  const started = performance.now();
  for (let a = 0; a < actions; a++) {
    for (let d = 0; d < dossiers; d++) {
      const t0 = performance.now();
      const pending = driver.act(d, a);
      if (pending !== undefined) await pending;
      latenciesUs[i++] = (performance.now() - t0) * 1000;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  driver.verify();
  return { actionsPerSecond: (dossiers * actions) / seconds, latenciesUs };
}

export interface Summary {
  /** Median over the timed rounds: the figure the bar is checked against. */
  actionsPerSecond: number;
  bestActionsPerSecond: number;
  roundsActionsPerSecond: number[];
  p50us: number;
  p99us: number;
  /** Timed actions over all rounds. */
  actions: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
};

/** Nearest-rank percentile of sorted values. */
const percentile = (sorted: Float64Array, p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** Throughput median and best over rounds; latency percentiles over every timed action. */
export function summarize(rounds: Round[]): Summary {
  const all = new Float64Array(rounds.reduce((n, r) => n + r.latenciesUs.length, 0));
  let at = 0;
  for (const r of rounds) {
    all.set(r.latenciesUs, at);
    at += r.latenciesUs.length;
  }
  all.sort();
  const rates = rounds.map((r) => r.actionsPerSecond);
  return {
    actionsPerSecond: Math.round(median(rates)),
    bestActionsPerSecond: Math.round(Math.max(...rates)),
    roundsActionsPerSecond: rates.map((r) => Math.round(r)),
    p50us: round1(percentile(all, 50)),
    p99us: round1(percentile(all, 99)),
    actions: all.length,
  };
}
