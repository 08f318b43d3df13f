/**
 * The catalogue report a unit gives with its periodic report (the seeds' section 4.1: "393
 * procedures published, 331 online (266 partial, 65 full), 155 non-geographic"): the
 * procedures in force that the unit applies, by online level (Decree 42/2022 Art. 11: full /
 * partial), non-geographic intake, postal, with the dossiers received in the period — all
 * from the catalog and the rollups, nothing typed by hand.
 */
import { sql } from 'drizzle-orm';
import type { OnlineLevel, Text } from '@motcua/engine';
import type { Deps } from '../deps';
import { searchCatalog } from '../catalog/index';
import { checkPeriod, inList, rows, unitScope } from './query';
import { periodParts } from './report';

export interface CatalogueRow {
  id: string;
  code: string;
  name: Text;
  field: string;
  onlineLevel: OnlineLevel;
  postal: boolean;
  nonGeographic: boolean;
  /** Dossiers received (legal clock started) in the period at the unit's scope, and of them online. */
  received: number;
  receivedOnline: number;
}

export interface CatalogueReport {
  unit: { code: string; name: string; includesChildren: boolean };
  period: { from: string; to: string };
  totals: {
    published: number;
    /** Online at any level = full + partial. */
    online: number;
    full: number;
    partial: number;
    notOnline: number;
    nonGeographic: number;
    postal: number;
    /** Procedures with at least one dossier received in the period, and the dossiers. */
    withDossiers: number;
    received: number;
    receivedOnline: number;
  };
  rows: CatalogueRow[];
  generatedAt: string;
}

/** The catalogue report of a unit over a period; see the module comment. */
export async function buildCatalogueReport(
  deps: Deps, options: { unit: string; includeChildren: boolean; from: string; to: string },
): Promise<CatalogueReport> {
  const { from, to } = options;
  checkPeriod(from, to);
  const scope = await unitScope(deps, options.unit, options.includeChildren);
  // Every version in force the unit applies (its level, or a step at the unit); a catalog holds hundreds.
  const catalog = await searchCatalog(deps, { unit: options.unit, pageSize: 100_000 });
  const parts = periodParts(from, to);
  const units = inList(sql`unit`, scope.units);
  const sources = [
    ...parts.days.map(([a, b]) => sql`select procedure_id, received_online, received_direct, received_postal from stats_daily where ${units} and day >= ${a}::date and day <= ${b}::date`),
    ...(parts.months ? [sql`select procedure_id, received_online, received_direct, received_postal from stats_monthly where ${units} and month >= ${parts.months[0]}::date and month <= ${parts.months[1]}::date`] : []),
  ];
  const counts = new Map((await rows<{ procedure_id: string; received: number; online: number }>(deps.db, sql`
    select procedure_id, sum(received_online + received_direct + received_postal)::int as received, sum(received_online)::int as online
    from (${sql.join(sources, sql` union all `)}) x group by 1`)).map((r) => [r.procedure_id, r]));
  const out: CatalogueRow[] = catalog.items.map((s) => ({
    id: s.id, code: s.code, name: s.name, field: s.field, onlineLevel: s.onlineLevel, postal: s.postal, nonGeographic: s.nonGeographic,
    received: counts.get(s.id)?.received ?? 0, receivedOnline: counts.get(s.id)?.online ?? 0,
  })).sort((a, b) => a.field.localeCompare(b.field, 'vi') || a.code.localeCompare(b.code));
  const count = (f: (r: CatalogueRow) => boolean): number => out.filter(f).length;
  const full = count((r) => r.onlineLevel === 'full');
  const partial = count((r) => r.onlineLevel === 'partial');
  return {
    unit: { code: options.unit, name: scope.name, includesChildren: options.includeChildren },
    period: { from, to },
    totals: {
      published: out.length, online: full + partial, full, partial, notOnline: out.length - full - partial,
      nonGeographic: count((r) => r.nonGeographic), postal: count((r) => r.postal),
      withDossiers: count((r) => r.received > 0),
      received: out.reduce((s, r) => s + r.received, 0), receivedOnline: out.reduce((s, r) => s + r.receivedOnline, 0),
    },
    rows: out,
    generatedAt: deps.clock.now().toISOString(),
  };
}
