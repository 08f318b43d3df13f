/** What a benchmark hands back to `bench/run.ts`: figures to save, a verdict, readable lines. */
export interface BenchOutcome {
  /** Written as-is to `bench/results/<name>.json`. */
  result: { [key: string]: unknown };
  /** Whether the figures meet the bar the benchmark sets itself. */
  pass: boolean;
  /** Lines printed at the end of the run. */
  summary: string[];
}

/** The default export of a `bench/*.bench.ts` file. */
export interface Bench {
  title: string;
  /** Runs the benchmark; `log` prints progress. Takes as long as it takes (aim for < 60 s). */
  run(log: (line: string) => void): Promise<BenchOutcome>;
}
