/**
 * Runs benchmarks: `tsx bench/run.ts [name-or-path …]` runs the `bench/*.bench.ts` files
 * named (`engine` or `bench/engine.bench.ts`), or all of them. Each runs in its own Node
 * process, so one benchmark's heap and JIT state never colour the next one's figures; it
 * writes `bench/results/<name>.json`. Prints a summary; exits 1 when a bar is not met.
 *
 * Profiling: `node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/run.ts engine`
 * writes one `.cpuprofile` per process; the benchmark's is the larger one.
 */
import { fork } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Bench } from './lib/types';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const resultsDir = path.join(benchDir, 'results');
const SUFFIX = '.bench.ts';

interface Report { name: string; pass: boolean; summary: string[] }

/** Child side: runs one benchmark file, writes its results, reports to the parent. */
async function runOne(file: string): Promise<void> {
  const name = path.basename(file, SUFFIX);
  const bench = ((await import(pathToFileURL(file).href)) as { default: Bench }).default;
  console.log(`\n▶ ${name}: ${bench.title}`);
  const started = performance.now();
  const outcome = await bench.run((l) => console.log(l));
  mkdirSync(resultsDir, { recursive: true });
  const out = path.join(resultsDir, `${name}.json`);
  writeFileSync(out, `${JSON.stringify(outcome.result, null, 2)}\n`);
  console.log(`  ${((performance.now() - started) / 1000).toFixed(1)} s, figures in ${path.relative(process.cwd(), out)}`);
  const report: Report = { name, pass: outcome.pass, summary: outcome.summary };
  if (process.send) process.send(report);
  else for (const l of outcome.summary) console.log(l);
  process.exitCode = outcome.pass ? 0 : 1;
}

/** Which files to run: those named on the command line, else every `bench/*.bench.ts`. */
function selected(args: string[]): string[] {
  if (args.length === 0) {
    return readdirSync(benchDir).filter((f) => f.endsWith(SUFFIX)).sort().map((f) => path.join(benchDir, f));
  }
  return args.map((a) => (a.endsWith(SUFFIX) ? path.resolve(a) : path.join(benchDir, `${a}${SUFFIX}`)));
}

/**
 * Parent side: one child process per benchmark, with the parent's Node flags (so `tsx` and
 * `--cpu-prof` carry over) plus `--expose-gc`, which lets rounds start from a clean heap.
 */
function runInChild(file: string): Promise<Report> {
  return new Promise((resolve) => {
    const name = path.basename(file, SUFFIX);
    let report: Report | null = null;
    const child = fork(fileURLToPath(import.meta.url), ['--one', file], { execArgv: [...process.execArgv, '--expose-gc'] });
    child.on('message', (m) => { report = m as Report; });
    child.on('exit', (code) => {
      resolve(report && code === 0 ? report
        : report ? { ...report, pass: false }
          : { name, pass: false, summary: [`crashed (exit code ${code ?? 'signal'}), see the output above`] });
    });
  });
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--one' && argv[1]) return runOne(argv[1]);
  const reports: Report[] = [];
  for (const file of selected(argv)) reports.push(await runInChild(file));
  console.log('\n══ summary ══');
  for (const r of reports) {
    console.log(`${r.pass ? 'PASS' : 'FAIL'} ${r.name}`);
    for (const l of r.summary) console.log(`  ${l}`);
  }
  if (reports.length === 0) console.log('no benchmarks found');
  process.exitCode = reports.every((r) => r.pass) ? 0 : 1;
}

await main(process.argv.slice(2));
