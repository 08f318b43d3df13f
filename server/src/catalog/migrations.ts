/**
 * Moving the open dossiers of one version of a procedure to another (docs/migration.md): a dry
 * run lists every open dossier of the old version and its fate under a plan; applying moves
 * those that can, in batches, each with a `dossier.migrated` event in its hash-chained history.
 * The engine decides every fate (engine/src/migration); this file reads, writes and refuses.
 */
import type { Static } from 'typebox';
import {
  migrationFate, stateParts, validateMigrationPlan, type CompiledProcedure, type DossierFate, type DossierSnapshot,
  type MigrationPlan, type PlanCheck,
} from '@motcua/engine';
import type { Deps } from '../deps';
import type { AuthUser } from '../auth/middleware';
import { HttpError, notFound } from '../http/errors';
import {
  audienceOf, changedNotice, forgetCachedDossiers, migrationCandidates, openIdsOnVersion, writeMigrated,
  type Holder, type MigratedDossier, type MigrationCandidate,
} from '../dossiers/service';
import { ms, requireVersion } from './service';
import type { RecordChange } from './lifecycle';
import type { MigrationDryRunSchema, MigrationPlanBody, MigrationResultSchema } from './schemas';

export type PlanBody = Static<typeof MigrationPlanBody>;
type DryRun = Static<typeof MigrationDryRunSchema>;
type Listed = DryRun['dossiers'][number];

/** Dossiers moved per transaction. */
export const MIGRATION_BATCH = 200;

interface Prepared {
  procedureId: string;
  plan: MigrationPlan;
  from: CompiledProcedure;
  to: CompiledProcedure;
  toStatus: string;
  toEffectiveFrom: string | null;
  check: PlanCheck;
}

const planOf = (body: PlanBody): MigrationPlan => ({ from: body.from, to: body.to, steps: body.steps, ...(body.data ? { data: body.data } : {}) });

async function prepare(deps: Deps, procedureId: string, body: PlanBody): Promise<Prepared> {
  const plan = planOf(body);
  const [fromRow, toRow] = [await requireVersion(deps, procedureId, plan.from), await requireVersion(deps, procedureId, plan.to)];
  const from = await deps.directory.procedure(procedureId, fromRow.version);
  const to = await deps.directory.procedure(procedureId, toRow.version);
  if (!from || !to) throw notFound({ vi: 'phiên bản thủ tục', en: 'procedure version' }, `${procedureId}@${from ? plan.to : plan.from}`);
  const check = validateMigrationPlan(from, to, plan);
  const errors = check.issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) {
    throw new HttpError(422, 'MIGRATION_PLAN_INVALID', {
      vi: `Kế hoạch chuyển hồ sơ có ${errors.length} lỗi: ${errors[0]!.message.vi}`,
      en: `The migration plan has ${errors.length} error(s): ${errors[0]!.message.en}`,
    }, errors.map((i) => ({ path: i.path, message: i.message })));
  }
  return { procedureId, plan, from, to, toStatus: toRow.status, toEffectiveFrom: toRow.effectiveFrom, check };
}

function listed(row: MigrationCandidate, fate: DossierFate & { event?: unknown }): Listed {
  const s = row.snapshot as DossierSnapshot;
  const base = { id: row.id, applicantName: row.applicantName, receivingUnit: row.receivingUnit, steps: stateParts(s.state).leaves };
  if (fate.fate === 'moves') return { ...base, fate: 'moves', moves: fate.moves, ...(fate.notes.length ? { notes: fate.notes } : {}) };
  return { ...base, fate: fate.fate, reasons: fate.reasons };
}

async function fatesOf(deps: Deps, p: Prepared, rows: MigrationCandidate[], now: string, actor: { id: string; name: string }) {
  const out: { row: MigrationCandidate; fate: ReturnType<typeof migrationFate> }[] = [];
  for (const row of rows) {
    const calendar = await deps.directory.calendar(row.receivingUnit);
    const fate = migrationFate(p.from, p.to, row.snapshot as DossierSnapshot, p.plan, { now, actor: { ...actor, kind: 'officer' }, calendar }, p.check);
    out.push({ row, fate });
  }
  return out;
}

function counts(list: Listed[]): DryRun['counts'] {
  return {
    open: list.length,
    moves: list.filter((d) => d.fate === 'moves' || d.fate === 'moved').length,
    stays: list.filter((d) => d.fate === 'stays').length,
    cannot: list.filter((d) => d.fate === 'cannot').length,
  };
}

/** Every open dossier of the plan's old version and what the plan would do to it; nothing is written. */
export async function migrationDryRun(deps: Deps, user: AuthUser, procedureId: string, body: PlanBody): Promise<DryRun> {
  const p = await prepare(deps, procedureId, body);
  const ids = await openIdsOnVersion(deps.db, procedureId, p.plan.from);
  const now = deps.clock.now().toISOString();
  const dossiers: Listed[] = [];
  for (let i = 0; i < ids.length; i += MIGRATION_BATCH) {
    const rows = await migrationCandidates(deps.db, procedureId, p.plan.from, ids.slice(i, i + MIGRATION_BATCH), false);
    for (const { row, fate } of await fatesOf(deps, p, rows, now, user)) dossiers.push(listed(row, fate));
  }
  return { procedureId, from: p.plan.from, to: p.plan.to, issues: p.check.issues, resolved: p.check.resolved, counts: counts(dossiers), dossiers };
}

/** Holders of the moved steps: a holder stays when the step keeps its role and unit, else the step is back in its pool. */
function holdersAfter(before: MigrationCandidate, snapshot: DossierSnapshot, moves: { from: string; to: string }[]): Record<string, Holder> {
  const old = (before.holders ?? {}) as Record<string, Holder>;
  const out: Record<string, Holder> = {};
  for (const a of snapshot.active) {
    const src = moves.find((m) => m.to === a.step)?.from;
    const h = src === undefined ? undefined : old[src];
    if (!h) continue;
    out[a.step] = h.role === a.role && h.unit === a.unit ? h : { role: a.role, unit: a.unit, id: null, name: null, at: null, by: null };
  }
  return out;
}

/**
 * Applies a plan: refused when the new version is not published and in force, when the plan
 * has errors, or when the dossiers that would move are not the number the caller confirmed
 * from its dry run. Then, batch by batch (each in its own transaction, rows locked), every
 * dossier that can move gets its new snapshot and a history event chained to its head.
 * Repeating the request moves nothing more: moved dossiers are no longer on the old version.
 */
export async function applyMigration(
  deps: Deps, user: AuthUser, procedureId: string, body: PlanBody, record: RecordChange<Static<typeof MigrationResultSchema>>,
): Promise<Static<typeof MigrationResultSchema>> {
  const p = await prepare(deps, procedureId, body);
  const now = deps.clock.now();
  if (p.toStatus !== 'published' || p.toEffectiveFrom === null || ms(p.toEffectiveFrom) > now.getTime()) {
    throw new HttpError(409, 'MIGRATION_UNSAFE', {
      vi: `Chỉ chuyển hồ sơ sang phiên bản đã công bố và đang có hiệu lực; phiên bản ${p.plan.to} ${p.toStatus === 'draft' ? 'còn là bản nháp' : p.toStatus === 'retired' ? 'đã ngừng áp dụng' : 'chưa có hiệu lực'}`,
      en: `Dossiers move only to a published version in force; version ${p.plan.to} ${p.toStatus === 'draft' ? 'is a draft' : p.toStatus === 'retired' ? 'is retired' : 'is not in force yet'}`,
    }, [{ path: '/to', message: { vi: 'Phiên bản đích chưa áp dụng được', en: 'The target version cannot be applied' } }], { status: p.toStatus });
  }
  const dry = await migrationDryRun(deps, user, procedureId, body);
  if (body.expect && body.expect.moves !== dry.counts.moves) {
    throw new HttpError(409, 'MIGRATION_CHANGED', {
      vi: `Số hồ sơ sẽ được chuyển đã thay đổi từ lần chạy thử (${body.expect.moves} → ${dry.counts.moves}): hãy chạy thử lại`,
      en: `The number of dossiers that would move changed since the dry run (${body.expect.moves} → ${dry.counts.moves}): run it again`,
    }, [{ path: '/expect/moves', message: { vi: `Hiện là ${dry.counts.moves}`, en: `Now ${dry.counts.moves}` } }]);
  }
  const movable = dry.dossiers.filter((d) => d.fate === 'moves').map((d) => d.id);
  const at = now.toISOString();
  const moved = new Set<string>();
  const rechecked = new Map<string, Listed>();
  let batches = 0;
  for (let i = 0; i < movable.length; i += MIGRATION_BATCH) {
    const ids = movable.slice(i, i + MIGRATION_BATCH);
    const done = await deps.db.transaction(async (tx) => {
      const rows = await migrationCandidates(tx, procedureId, p.plan.from, ids, true);
      const batch: MigratedDossier[] = [];
      for (const { row, fate } of await fatesOf(deps, p, rows, at, user)) {
        if (fate.fate !== 'moves' || !fate.event) {
          rechecked.set(row.id, listed(row, fate));
          continue;
        }
        batch.push({ before: row, snapshot: fate.snapshot, event: fate.event, holders: holdersAfter(row, fate.snapshot, fate.moves) });
      }
      const written = await writeMigrated(tx, batch, p.to);
      if (written.length !== batch.length) {
        throw new HttpError(409, 'MIGRATION_CONFLICT', {
          vi: 'Một số hồ sơ vừa thay đổi trong lúc chuyển: lô này không được ghi, hãy chạy lại',
          en: 'Some dossiers changed during the move: this batch was not written; run it again',
        });
      }
      return batch;
    });
    forgetCachedDossiers(deps, ids);
    // Announced after commit, as an action's change is (../dossiers/idempotency.ts): the screens
    // of the officers the dossier waited for and of those it waits for now refetch it.
    for (const m of done) {
      moved.add(m.snapshot.dossierId);
      const s = m.snapshot;
      deps.bus.publish(changedNotice({ id: s.dossierId, version: s.version, status: s.status, snapshot: s, holders: m.holders }));
      const before = m.before.snapshot as DossierSnapshot;
      const left = audienceOf(before);
      const now = audienceOf(s);
      // Officers of a step that moved to another role or unit no longer hear of it under the new audience: tell them too.
      if (left.roles.some((r) => !now.roles.some((n) => n.unit === r.unit && n.role === r.role))) {
        deps.bus.publish(changedNotice({ id: s.dossierId, version: s.version, status: s.status, snapshot: before, holders: m.before.holders }));
      }
    }
    batches += 1;
  }
  const gone = { code: 'CLOSED', message: { vi: 'Hồ sơ đã kết thúc hoặc đổi phiên bản trong lúc chuyển', en: 'The dossier closed or changed version during the move' } };
  const dossiers = dry.dossiers.map((d): Listed => {
    if (moved.has(d.id)) return { ...d, fate: 'moved' };
    if (d.fate !== 'moves') return d;
    const { moves: _moves, notes: _notes, ...rest } = d;
    return rechecked.get(d.id) ?? { ...rest, fate: 'cannot', reasons: [gone] };
  });
  const result = { ...dry, dossiers, counts: counts(dossiers), moved: moved.size, batches };
  // The catalog's audit log names who moved how many (each dossier's own history names the rest).
  if (moved.size > 0) await deps.db.transaction(async (tx) => record(tx, result));
  return result;
}
