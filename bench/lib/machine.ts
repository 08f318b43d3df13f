import os from 'node:os';

/** When and where figures were taken: the header of every results file; reads the clock and the host. */
export function machine(): { date: string; node: string; cpu: string; cores: number; loadAverage1m: number } {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    // Other work on the machine when the run started: figures taken under load are lower.
    loadAverage1m: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
  };
}
