/**
 * Digitisation indicators (Decision 766/QĐ-TTg, "số hóa hồ sơ, kết quả giải quyết TTHC"):
 * the counters of `stats_papers` (bumped by papers/repo.ts in the transaction of the change they count), and
 * the shares per unit over a period, read from those counters and the daily rollup (never
 * from the dossiers themselves). docs/papers.md, "Counters".
 */
import { sql } from 'drizzle-orm';
import { checkPeriod, inList, rows, unitScope, type StatsDeps } from './query';

const COUNTERS = ['dossiersDigitised', 'papersDigitised', 'results', 'resultsElectronic', 'dossiersReusing', 'papersReused', 'lookups'] as const;

/** One unit's digitisation figures over a period. */
export interface DigitisationRow {
  unit: { code: string; name: string };
  /** Dossiers received (form II.06a's received, from the daily rollup). */
  received: number;
  /** Dossiers with at least one digitised paper (digitised at intake or reused). */
  dossiersDigitised: number;
  papersDigitised: number;
  /** dossiersDigitised / received; null when nothing was received. */
  digitisedShare: number | null;
  /** Dossiers with a result (a document typed as result, or one the signing work issued), and those with a result in the signing register (papers/results.ts). */
  results: number;
  resultsElectronic: number;
  electronicResultShare: number | null;
  /** Dossiers that reused stored papers or shared data, and the papers reused. */
  dossiersReusing: number;
  papersReused: number;
  reuseShare: number | null;
  /** Lookups in the shared databases used by an intake. */
  lookups: number;
}

export interface DigitisationReport {
  unit: { code: string; name: string; includesChildren: boolean };
  period: { from: string; to: string };
  rows: DigitisationRow[];
  total: Omit<DigitisationRow, 'unit'>;
}

const share = (a: number, b: number): number | null => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null);

type Sums = Omit<DigitisationRow, 'unit' | 'digitisedShare' | 'electronicResultShare' | 'reuseShare'>;

function withShares(s: Sums): Omit<DigitisationRow, 'unit'> {
  return {
    ...s, digitisedShare: share(s.dossiersDigitised, s.received), electronicResultShare: share(s.resultsElectronic, s.results),
    reuseShare: share(s.dossiersReusing, s.received),
  };
}

/** The indicators per unit of the scope (a row per unit with figures) and in total, over [from, to] (local days). */
export async function buildDigitisation(deps: StatsDeps, options: { unit: string; includeChildren: boolean; from: string; to: string }): Promise<DigitisationReport> {
  const scope = await unitScope(deps, options.unit, options.includeChildren);
  const { from, to } = options;
  checkPeriod(from, to);
  const [received, papers] = await Promise.all([
    rows<{ unit: string; received: number }>(deps.db, sql`
      select unit, coalesce(sum(received_online + received_direct + received_postal), 0)::int as received
      from stats_daily where ${inList(sql`unit`, scope.units)} and day >= ${from}::date and day <= ${to}::date group by unit`),
    rows<{ unit: string } & { [k: string]: number }>(deps.db, sql`
      select unit, sum(dossiers_digitised)::int as "dossiersDigitised", sum(papers_digitised)::int as "papersDigitised",
        sum(results)::int as results, sum(results_electronic)::int as "resultsElectronic", sum(dossiers_reusing)::int as "dossiersReusing",
        sum(papers_reused)::int as "papersReused", sum(lookups)::int as lookups
      from stats_papers where ${inList(sql`unit`, scope.units)} and day >= ${from}::date and day <= ${to}::date group by unit`),
  ]);
  const empty = (): Sums => ({ received: 0, dossiersDigitised: 0, papersDigitised: 0, results: 0, resultsElectronic: 0, dossiersReusing: 0, papersReused: 0, lookups: 0 });
  const byUnit = new Map<string, Sums>();
  const at = (u: string): Sums => byUnit.get(u) ?? (byUnit.set(u, empty()), byUnit.get(u)!);
  for (const r of received) at(r.unit).received = r.received;
  for (const r of papers) {
    const s = at(r.unit);
    for (const k of COUNTERS) s[k] = Number(r[k] ?? 0);
  }
  const total = empty();
  const out: DigitisationRow[] = [];
  for (const code of [...byUnit.keys()].sort()) {
    const s = byUnit.get(code)!;
    for (const k of Object.keys(total) as (keyof Sums)[]) total[k] += s[k];
    out.push({ unit: { code, name: (await deps.directory.unit(code))?.name ?? code }, ...withShares(s) });
  }
  return { unit: { code: options.unit, name: scope.name, includesChildren: options.includeChildren }, period: { from, to }, rows: out, total: withShares(total) };
}
