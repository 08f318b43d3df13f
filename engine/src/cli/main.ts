import { parseArgs } from 'node:util';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { validateDefinition } from '../definition/validate';
import type { ProcedureDefinition, ValidationIssue } from '../definition/types';
import { analyze, diff } from '../analysis/index';
import { compileProcedure } from '../compile/index';
import { createCalendar } from '../calendar/calendar';
import { VN_DEFAULT_CALENDAR } from '../calendar/defaults';
import { runScenario } from '../scenario/run';
import { validateScenario } from '../scenario/validate';
import type { Scenario } from '../scenario/types';
import { formatAnalysis, formatDiff, formatScenario, type Lang } from './format';

const USAGE = `motcua — procedure definitions: check, analyse, compare, simulate

Usage:
  motcua validate <file|dir>...        check definitions (a dir: every procedure.json below it)
  motcua analyze <file>                findings and metrics of one definition
  motcua diff <old> <new>              what changed between two versions, with metric deltas
  motcua simulate <file> <script.json> run a scenario (see procedures/*/scenarios)

Options:
  --json        machine-readable output
  --lang vi|en  language of messages (default vi)
  -h, --help    this help

Exit code: 0 when all is well, 1 when a problem was found, 2 on wrong usage or unreadable files.`;

class UsageError extends Error {}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(`Cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new UsageError(`${path} is not valid JSON: ${(e as Error).message}`);
  }
}

async function definitionFiles(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const s = await stat(p).catch(() => null);
    if (!s) throw new UsageError(`No such file or directory: ${p}`);
    if (s.isFile()) out.push(p);
    else {
      const entries = await readdir(p, { recursive: true });
      out.push(...entries.filter((e) => e.endsWith('procedure.json') && !e.includes('node_modules')).sort().map((e) => join(p, e)));
    }
  }
  return out;
}

function issueLine(i: ValidationIssue, lang: Lang): string {
  const sev = i.severity === 'warning' ? 'warning' : 'error';
  return `  ${sev.padEnd(7)} ${i.path || '/'}  ${i.code}\n          ${i.message[lang]}`;
}

async function validateCmd(paths: string[], json: boolean, lang: Lang, out: (s: string) => void): Promise<number> {
  const files = await definitionFiles(paths);
  if (files.length === 0) throw new UsageError('No procedure.json found');
  const results = [];
  for (const f of files) results.push({ file: relative(process.cwd(), f), ...validateDefinition(await readJson(f)) });
  if (json) out(JSON.stringify(results, null, 2));
  else {
    for (const r of results) {
      out(`${r.ok ? '✔' : '✖'} ${r.file}`);
      for (const i of r.issues) out(issueLine(i, lang));
    }
    const bad = results.filter((r) => !r.ok).length;
    out(`\n${results.length - bad} valid, ${bad} invalid`);
  }
  return results.every((r) => r.ok) ? 0 : 1;
}

async function loadValid(path: string, lang: Lang, out: (s: string) => void): Promise<ProcedureDefinition | null> {
  const def = await readJson(path);
  const v = validateDefinition(def);
  if (!v.ok) {
    out(`✖ ${path}`);
    for (const i of v.issues) out(issueLine(i, lang));
    return null;
  }
  return def as ProcedureDefinition;
}

function asScenario(value: unknown, path: string): Scenario {
  const v = value as { actors?: unknown; start?: unknown; steps?: unknown } | null;
  if (!v || typeof v !== 'object' || typeof v.actors !== 'object' || typeof v.start !== 'object' || !Array.isArray(v.steps)) {
    throw new UsageError(`${path} is not a scenario: it needs "actors" (object), "start" (object) and "steps" (array)`);
  }
  const issues = validateScenario(value);
  if (issues.length > 0) {
    throw new UsageError(`${path} does not follow the scenario schema (engine/schema/scenario.schema.json):\n${issues.map((i) => `  ${i.path || '/'}: ${i.message.en}`).join('\n')}`);
  }
  return value as Scenario;
}

/** Runs the CLI with argv (without node and script); returns the exit code. */
export async function main(argv: string[], out: (s: string) => void = (s) => console.log(s)): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: {
      json: { type: 'boolean', default: false },
      lang: { type: 'string', default: 'vi' },
      help: { type: 'boolean', short: 'h', default: false },
    } });
  } catch (e) {
    out(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [cmd, ...args] = positionals;
  const lang: Lang = values.lang === 'en' ? 'en' : 'vi';
  const json = values.json === true;
  if (values.help || !cmd) {
    out(USAGE);
    return values.help ? 0 : 2;
  }
  try {
    switch (cmd) {
      case 'validate':
        if (args.length === 0) throw new UsageError('validate needs at least one file or directory');
        return await validateCmd(args, json, lang, out);
      case 'analyze': {
        if (args.length !== 1) throw new UsageError('analyze needs exactly one file');
        const def = await loadValid(args[0] as string, lang, out);
        if (!def) return 1;
        const report = analyze(def);
        out(json ? JSON.stringify(report, null, 2) : formatAnalysis(def, report, lang));
        return report.ok ? 0 : 1;
      }
      case 'diff': {
        if (args.length !== 2) throw new UsageError('diff needs two files: <old> <new>');
        const a = await loadValid(args[0] as string, lang, out);
        const b = await loadValid(args[1] as string, lang, out);
        if (!a || !b) return 1;
        const d = diff(a, b);
        out(json ? JSON.stringify(d, null, 2) : formatDiff(d, lang));
        return 0;
      }
      case 'simulate': {
        if (args.length !== 2) throw new UsageError('simulate needs a definition and a scenario: <file> <script.json>');
        const def = await loadValid(args[0] as string, lang, out);
        if (!def) return 1;
        const scenario = asScenario(await readJson(args[1] as string), args[1] as string);
        const report = runScenario(compileProcedure(def), scenario, createCalendar(VN_DEFAULT_CALENDAR));
        out(json ? JSON.stringify(report, null, 2) : formatScenario(scenario, report, lang));
        return report.ok ? 0 : 1;
      }
      default:
        throw new UsageError(`Unknown command "${cmd}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      out(`${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}
