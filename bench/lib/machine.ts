import os from 'node:os';

const round2 = (x: number): number => Math.round(x * 100) / 100;

/**
 * The load averages (1, 5, 15 min) when this module was first imported, i.e. when the
 * benchmark's process started, before it put any load of its own on the machine.
 */
const atStart = os.loadavg().map(round2);

/**
 * When and where figures were taken: the header of every results file; reads the clock and the host.
 * The machine is shared (other work, tests of other checkouts), so absolute figures are only
 * comparable at a similar load: both the load at the start and at the end are recorded, and
 * every benchmark also reports a ratio against a baseline measured in the same run.
 */
export function machine(): {
  date: string; node: string; cpu: string; cores: number; loadAverage1m: number;
  loadAverage: { start: number[]; end: number[]; what: string };
} {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    // Other work on the machine when the run started: figures taken under load are lower.
    loadAverage1m: atStart[0] ?? 0,
    loadAverage: {
      start: atStart, end: os.loadavg().map(round2),
      what: 'os.loadavg() (1, 5, 15 min) when the benchmark process started and when it wrote its figures (its own load included)',
    },
  };
}
