/**
 * "Received at this desk" (tiếp nhận tại Bộ phận Một cửa): what a one-stop desk received over
 * a period, whoever decides it. A desk receiving non-geographic dossiers (phi địa giới) only
 * receives, forwards and returns; the competent unit's form II.06a counts the handling. This
 * view sits beside that report so the desk can account for its own intake: one row per
 * competent unit and procedure, with what was forwarded to another unit, what was closed and
 * what is still open at the end of the period.
 *
 * Read from the dossiers received in the period through `dossiers_receiving_idx` (receiving
 * unit, submission time: a dossier is received at or after it was submitted), so the work
 * grows with the desk's intake of the period, never with the whole table.
 */
import { sql } from 'drizzle-orm';
import { addDays, checkPeriod, inList, rows, startOfLocalDay, unitScope, type StatsDeps } from './query';
import { LAWFUL_DUE } from './report';

export interface DeskRow {
  competentUnit: { code: string; name: string };
  procedure: { id: string; code: string; name: string };
  /** Received (legal clock started) in the period, by channel. */
  received: { total: number; online: number; direct: number; postal: number };
  /** Of the received, those decided by another unit than the desk's (forwarded). */
  forwarded: number;
  /** Of the received, closed by the end of the period (returned, refused, withdrawn, stopped). */
  closed: number;
  /** Of the received, still open at the end of the period, and of those past the lawful appointment. */
  open: number;
  overdue: number;
}

export interface DeskReport {
  unit: { code: string; name: string; includesChildren: boolean };
  period: { from: string; to: string };
  rows: DeskRow[];
  total: Omit<DeskRow, 'competentUnit' | 'procedure'>;
  generatedAt: string;
}

interface Raw {
  competent: string; procedure_id: string; procedure_code: string;
  online: number; direct: number; postal: number; forwarded: number; closed: number; open: number; overdue: number;
}

/** What the desk (and, when asked, the desks below it) received in the period; see the module comment. */
export async function buildDeskReport(
  deps: StatsDeps, options: { unit: string; includeChildren: boolean; from: string; to: string },
): Promise<DeskReport> {
  const { from, to } = options;
  checkPeriod(from, to);
  const scope = await unitScope(deps, options.unit, options.includeChildren);
  const calendar = await deps.directory.calendar(options.unit);
  const now = deps.clock.now();
  const start = startOfLocalDay(calendar, from).toISOString();
  const periodEnd = startOfLocalDay(calendar, addDays(to, 1));
  const end = (periodEnd.getTime() > now.getTime() ? now : periodEnd).toISOString();
  const found = await rows<Raw>(deps.db, sql`
    select competent_unit as competent, procedure_id, min(procedure_code) as procedure_code,
      count(*) filter (where channel = 'online')::int as online,
      count(*) filter (where channel = 'postal')::int as postal,
      count(*) filter (where channel not in ('online', 'postal'))::int as direct,
      count(*) filter (where competent_unit <> receiving_unit)::int as forwarded,
      count(*) filter (where closed_at < ${end}::timestamptz)::int as closed,
      count(*) filter (where closed_at is null or closed_at >= ${end}::timestamptz)::int as open,
      count(*) filter (where (closed_at is null or closed_at >= ${end}::timestamptz) and ${LAWFUL_DUE} < ${end}::timestamptz)::int as overdue
    from dossiers
    where ${inList(sql`receiving_unit`, scope.units)}
      and submitted_at < ${end}::timestamptz
      and received_at >= ${start}::timestamptz and received_at < ${end}::timestamptz
    group by 1, 2`);
  const names = new Map<string, string>();
  if (found.length > 0) {
    const ids = [...new Set(found.map((r) => r.procedure_id))];
    for (const p of await rows<{ id: string; name: string }>(deps.db, sql`select id, name from procedures where ${inList(sql`id`, ids)}`)) names.set(p.id, p.name);
  }
  const total = { received: { total: 0, online: 0, direct: 0, postal: 0 }, forwarded: 0, closed: 0, open: 0, overdue: 0 };
  const out: DeskRow[] = [];
  for (const r of found) {
    const unit = await deps.directory.unit(r.competent);
    const received = { total: r.online + r.direct + r.postal, online: r.online, direct: r.direct, postal: r.postal };
    out.push({
      competentUnit: { code: r.competent, name: unit?.name ?? r.competent },
      procedure: { id: r.procedure_id, code: r.procedure_code, name: names.get(r.procedure_id) ?? r.procedure_id },
      received, forwarded: r.forwarded, closed: r.closed, open: r.open, overdue: r.overdue,
    });
    total.received.total += received.total; total.received.online += r.online; total.received.direct += r.direct;
    total.received.postal += r.postal; total.forwarded += r.forwarded; total.closed += r.closed; total.open += r.open;
    total.overdue += r.overdue;
  }
  // The desk's own unit first, then the units it received for; by procedure code within each.
  out.sort((a, b) => Number(a.competentUnit.code !== options.unit) - Number(b.competentUnit.code !== options.unit)
    || a.competentUnit.name.localeCompare(b.competentUnit.name, 'vi') || a.procedure.code.localeCompare(b.procedure.code));
  return {
    unit: { code: options.unit, name: scope.name, includesChildren: options.includeChildren },
    period: { from, to }, rows: out, total, generatedAt: now.toISOString(),
  };
}
