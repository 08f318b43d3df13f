/**
 * The public catalog: what a citizen may see of the versions in force. Search is
 * accent-insensitive and runs in memory over cached summaries (a catalog holds a few
 * hundred procedures; published versions never change, so their summaries are cached).
 */
import type { AdministrativeLevel, Channel, Duration, LegalDeadline, OnlineLevel, ProcedureDefinition, StepDefinition, Text, HandoffUnit } from '@motcua/engine';
import { notFound } from '../http/errors';
import type { Deps } from '../deps';
import { iso } from '../db/time';
import { PROCEDURE, versionInForce, versionsInForce, type VersionMeta } from './service';
import { definitionsOf } from './repo';
import { isNonGeographic, nonGeographicList } from './nonGeographic';
import { PROVINCE_SCOPE, valuesInForce } from '../parameters/service';
import { intakeAt, LEVEL_OF_KIND, type IntakeAt } from './unitKinds';

/** Folds text for search: no accents (NFD, combining marks dropped), đ → d, lower case, single spaces. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase().replace(/\s+/g, ' ').trim();
}

export interface PublicSummary {
  id: string;
  version: number;
  code: string;
  publishedCode: string | null;
  name: Text;
  field: string;
  level: AdministrativeLevel;
  implementingBody: string;
  legalDeadline: Duration;
  onlineLevel: OnlineLevel;
  postal: boolean;
  nonGeographic: boolean;
  feeCount: number;
  effectiveFrom: string | null;
  effectiveTo: string | null;
  /** Asked with `desk`: whether that desk can receive it, and why not. */
  intake?: IntakeAt;
}

interface Indexed {
  summary: Omit<PublicSummary, 'effectiveFrom' | 'effectiveTo'>;
  /** Folded code, published code and names. */
  haystack: string;
  foldedCode: string;
  foldedName: string;
  foldedField: string;
  /** Unit codes the definition names (steps, hand-offs, effects). */
  units: Set<string>;
  /** Coordination between agencies: never shown to the public. */
  internal: boolean;
  /** Kinds of unit that decide it; null when the catalog names none. */
  competentUnitKinds: string[] | null;
  /** Channels it accepts; null: every channel. */
  channels: Channel[] | null;
}

// Per database (tests open several): id@version → summary. Versions in force are immutable.
const caches = new WeakMap<object, Map<string, Indexed>>();

function unitCodes(def: ProcedureDefinition): Set<string> {
  const out = new Set<string>();
  const add = (u: HandoffUnit | undefined): void => { if (u && typeof u === 'object' && 'unit' in u) out.add(u.unit); };
  const walk = (steps: StepDefinition[]): void => {
    for (const s of steps) {
      add(s.unit);
      add(s.handoff?.unit);
      for (const a of s.actions ?? []) for (const e of a.effects ?? []) if ('unit' in e && e.unit !== undefined) add(e.unit);
      for (const b of s.branches ?? []) walk(b.steps);
    }
  };
  walk(def.steps);
  return out;
}

function indexOf(id: string, version: number, def: ProcedureDefinition): Indexed {
  const c = def.catalog;
  const names = [c.name.vi, c.name.en ?? ''].join(' ');
  return {
    summary: {
      id, version, code: c.code, publishedCode: c.publishedCode ?? null, name: c.name, field: c.field, level: c.level,
      implementingBody: c.implementingBody, legalDeadline: publicDeadline(c.legalDeadline), onlineLevel: c.onlineLevel,
      postal: c.postal, nonGeographic: c.nonGeographic, feeCount: c.fees.length,
    },
    haystack: fold(`${c.code} ${c.publishedCode ?? ''} ${names}`),
    foldedCode: fold(c.code),
    foldedName: fold(c.name.vi),
    foldedField: fold(c.field),
    units: unitCodes(def),
    internal: c.internal === true,
    competentUnitKinds: c.competentUnitKinds ?? null,
    channels: c.channels ?? null,
  };
}

/**
 * The legal time as the public reads it: the base and, per case, its time and note. Case
 * conditions are JSON Logic for the engine, not for citizens.
 */
function publicDeadline(d: LegalDeadline): Duration & { cases?: (Duration & { note?: Text })[] } {
  const bare = (x: Duration): Duration => (x.days !== undefined ? { days: x.days } : { hours: x.hours ?? 0 });
  const cases = (d.cases ?? []).map((c) => ({ ...bare(c), ...(c.note ? { note: c.note } : {}) }));
  return cases.length > 0 ? { ...bare(d), cases } : bare(d);
}

/** The versions in force now with their summaries, loading only definitions not cached yet. */
async function inForce(deps: Deps): Promise<{ meta: VersionMeta; idx: Indexed }[]> {
  const metas = await versionsInForce(deps, deps.clock.now());
  let cache = caches.get(deps.db);
  if (!cache) caches.set(deps.db, (cache = new Map()));
  const key = (m: { procedureId: string; version: number }): string => `${m.procedureId}@${m.version}`;
  const missing = metas.filter((m) => !cache.has(key(m))).map(key);
  if (missing.length > 0) {
    const rows = await definitionsOf(deps, missing);
    for (const r of rows) cache.set(key(r), indexOf(r.procedureId, r.version, r.definition as ProcedureDefinition));
  }
  return metas.flatMap((meta) => {
    const idx = cache.get(key(meta));
    return idx && !idx.internal ? [{ meta, idx }] : [];
  });
}

export interface SearchQuery {
  q?: string;
  field?: string;
  level?: AdministrativeLevel;
  onlineLevel?: OnlineLevel;
  nonGeographic?: boolean;
  unit?: string;
  desk?: string;
  page?: number;
  pageSize?: number;
}

/** Lower is better: exact code, then name prefix, then the phrase anywhere, then all words somewhere. */
function rank(idx: Indexed, q: string): number | null {
  if (idx.foldedCode === q || fold(idx.summary.publishedCode ?? '') === q) return 0;
  if (idx.foldedName.startsWith(q)) return 1;
  if (idx.haystack.includes(q)) return 2;
  return q.split(' ').every((w) => idx.haystack.includes(w)) ? 3 : null;
}

/** Searches the versions in force: accent-insensitive text in code and name, filters, pagination. */
export async function searchCatalog(deps: Deps, query: SearchQuery): Promise<{ items: PublicSummary[]; total: number; page: number; pageSize: number }> {
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 20;
  let unitMatch: ((idx: Indexed) => boolean) | null = null;
  if (query.unit) {
    const unit = await deps.directory.unit(query.unit);
    if (!unit) throw notFound({ vi: 'đơn vị', en: 'unit' }, query.unit);
    const level = LEVEL_OF_KIND[unit.kind];
    unitMatch = (idx) => idx.units.has(unit.code) || idx.summary.level === level;
  }
  // A desk's procedure list: each procedure says whether this desk can receive it (dossiers/routing.ts).
  let intakeOf: ((idx: Indexed) => IntakeAt) | null = null;
  if (query.desk) {
    const desk = await deps.directory.unit(query.desk);
    if (!desk) throw notFound({ vi: 'đơn vị', en: 'unit' }, query.desk);
    const units = await deps.directory.allUnits();
    intakeOf = (idx) => intakeAt({ ...idx.summary, competentUnitKinds: idx.competentUnitKinds, channels: idx.channels }, desk, units);
  }
  const q = fold(query.q ?? '');
  const field = query.field ? fold(query.field) : '';
  const hits: { meta: VersionMeta; idx: Indexed; rank: number; intake?: IntakeAt }[] = [];
  // The province's list decides non-geographic intake (catalog/nonGeographic.ts); the cached summaries keep the definitions' flags.
  const list = await nonGeographicList(deps);
  for (const { meta, idx: cached } of await inForce(deps)) {
    const nonGeographic = isNonGeographic(list, cached.summary.code, cached.summary.nonGeographic);
    const idx = nonGeographic === cached.summary.nonGeographic ? cached : { ...cached, summary: { ...cached.summary, nonGeographic } };
    const s = idx.summary;
    if (field && idx.foldedField !== field) continue;
    if (query.level && s.level !== query.level) continue;
    if (query.onlineLevel && s.onlineLevel !== query.onlineLevel) continue;
    if (query.nonGeographic !== undefined && s.nonGeographic !== query.nonGeographic) continue;
    if (unitMatch && !unitMatch(idx)) continue;
    const r = q ? rank(idx, q) : 0;
    if (r !== null) hits.push({ meta, idx, rank: r, ...(intakeOf ? { intake: intakeOf(idx) } : {}) });
  }
  // What the desk can receive comes before what it cannot, within the same match.
  const unreceivable = (h: (typeof hits)[number]): number => (h.intake && !h.intake.receivable ? 1 : 0);
  hits.sort((a, b) => a.rank - b.rank || unreceivable(a) - unreceivable(b) || a.idx.foldedName.localeCompare(b.idx.foldedName) || a.idx.summary.id.localeCompare(b.idx.summary.id));
  const items = hits.slice((page - 1) * pageSize, page * pageSize).map(({ meta, idx, intake }) => ({
    ...idx.summary, effectiveFrom: iso(meta.effectiveFrom), effectiveTo: iso(meta.effectiveTo), ...(intake ? { intake } : {}),
  }));
  return { items, total: hits.length, page, pageSize };
}

/** Fields (lĩnh vực) of the versions in force, with how many procedures each has. */
export async function catalogFields(deps: Deps): Promise<{ items: { field: string; count: number }[] }> {
  const counts = new Map<string, number>();
  for (const { idx } of await inForce(deps)) counts.set(idx.summary.field, (counts.get(idx.summary.field) ?? 0) + 1);
  const items = [...counts].map(([field, count]) => ({ field, count })).sort((a, b) => a.field.localeCompare(b.field, 'vi'));
  return { items };
}

interface PublicStep {
  id: string;
  name: Text;
  kind: string;
  description?: Text;
  /** Name of the role that handles it (e.g. "Bộ phận Một cửa"). */
  handledBy?: Text;
  sla?: Duration;
  branches?: { id: string; name: Text; steps: PublicStep[] }[];
}

function publicSteps(def: ProcedureDefinition, steps: StepDefinition[]): PublicStep[] {
  const roleName = new Map(def.roles.map((r) => [r.id, r.name]));
  return steps.map((s) => ({
    id: s.id, name: s.name, kind: s.kind,
    ...(s.description ? { description: s.description } : {}),
    ...(s.role && roleName.has(s.role) ? { handledBy: roleName.get(s.role)! } : {}),
    ...(s.sla ? { sla: s.sla } : {}),
    ...(s.branches ? { branches: s.branches.map((b) => ({ id: b.id, name: b.name, steps: publicSteps(def, b.steps) })) } : {}),
  }));
}

/** The version in force of one procedure as a citizen sees it: catalog facts and a summary of the steps. */
export async function publicProcedure(deps: Deps, id: string): Promise<object> {
  const row = await versionInForce(deps, id, deps.clock.now());
  // An internal procedure is answered exactly like an unknown one: its existence is not public.
  if (!row || (row.definition as ProcedureDefinition).catalog.internal === true) throw notFound({ vi: 'thủ tục đang áp dụng', en: `${PROCEDURE.en} in force` }, id);
  const def = row.definition as ProcedureDefinition;
  const c = def.catalog;
  const opt = <K extends string, V>(key: K, value: V | undefined): { [k in K]?: V } => (value === undefined ? {} : ({ [key]: value } as { [k in K]: V }));
  // A fee the province sets shows the province-wide value in force today (a unit may set its own).
  const keys = [...new Set(c.fees.flatMap((f) => (f.param !== undefined ? [f.param] : [])))];
  const provincial = await valuesInForce(deps.db, keys, [PROVINCE_SCOPE], deps.clock.now());
  return {
    id: row.procedureId, version: row.version, effectiveFrom: iso(row.effectiveFrom), effectiveTo: iso(row.effectiveTo),
    code: c.code, publishedCode: c.publishedCode ?? null, localCode: c.localCode ?? false, name: c.name, field: c.field, level: c.level,
    decidingAuthority: c.decidingAuthority, ...opt('delegatedAuthority', c.delegatedAuthority),
    implementingBody: c.implementingBody, coordinatingBodies: c.coordinatingBodies ?? [], ...opt('competentUnitKinds', c.competentUnitKinds),
    legalDeadline: publicDeadline(c.legalDeadline), ...opt('deadlineNote', c.deadlineNote),
    // Conditions are JSON Logic for the engine; the public sees that a rule applies and the note explaining it.
    fees: c.fees.map((f) => ({
      id: f.id, name: f.name, amount: (f.param !== undefined ? provincial[f.param] : undefined) ?? f.amount, per: f.per ?? 'dossier', ...opt('max', f.max),
      conditional: f.when !== undefined, ...opt('note', f.note),
    })),
    documents: c.documents.map((d) => ({
      id: d.id, name: d.name, form: d.form, count: d.count, ...opt('template', d.template),
      optional: d.optional ?? false, conditional: d.when !== undefined, ...opt('note', d.note),
      ...opt('paperType', d.paperType), ...opt('notRequiredWhenFound', d.notRequiredWhenFound),
    })),
    result: c.result, legalBasis: c.legalBasis, onlineLevel: c.onlineLevel, postal: c.postal,
    nonGeographic: isNonGeographic(await nonGeographicList(deps), c.code, c.nonGeographic),
    channels: c.channels ?? null,
    ...opt('settings', def.settings?.cutoffTime ? { cutoffTime: def.settings.cutoffTime } : undefined),
    // The application form is public (citizens fill it online; desks render it at intake).
    ...opt('data', def.data),
    steps: publicSteps(def, def.steps),
  };
}
