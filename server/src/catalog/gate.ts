/**
 * The one publish gate: what `POST /api/procedures/validate` calls "publishable" is exactly
 * what publishing accepts. A definition is blocked by analysis errors, by a hand-off to a
 * procedure not published, and by a national code another procedure already uses while in
 * force (the public catalog and the reports would list the procedure twice); versions of one
 * procedure share their code by design.
 */
import { validateLinks, walkSteps, type Channel, type ProcedureDefinition, type HandoffUnit } from '@motcua/engine';
import { kindMessage, mayDecide } from './unitKinds';
import { procedureRefs, publishCheck, unknownRefs, type Finding } from './definitions';
import { latestPublishedDefinitions, proceduresUsingCode, unitsByCodes } from './repo';
import { dbOf, publishedIds, versionInForce, type Source } from './service';
import { knownKeys } from '../parameters/service';

/**
 * Fees tied to a provincial parameter no scope has a value for yet: the published amount applies
 * until the province sets one (a warning, so a typo in the key is seen before citizens pay).
 */
async function unsetParameters(source: Source, def: ProcedureDefinition, prefix: string): Promise<Finding[]> {
  const keys = [...new Set(def.catalog.fees.flatMap((f) => (f.param !== undefined ? [f.param] : [])))];
  const known = await knownKeys(dbOf(source), keys);
  return def.catalog.fees.flatMap((f, i) => (f.param === undefined || known.has(f.param) ? [] : [{
    code: 'CATALOG_PARAMETER_UNSET', path: `${prefix}/catalog/fees/${i}/param`, severity: 'warning',
    message: {
      vi: `Tham số "${f.param}" chưa có giá trị ở phạm vi nào: áp dụng mức công bố ${f.amount} đồng cho tới khi tỉnh đặt giá trị (Quản trị → Tham số)`,
      en: `Parameter "${f.param}" has no value in any scope: the published amount ${f.amount} VND applies until the province sets one (Admin → Parameters)`,
    },
  }]));
}

/** Procedures other than `def` whose published version with the same national code is in force at or after `from`. */
async function duplicateCode(source: Source, def: ProcedureDefinition, from: Date, prefix: string): Promise<Finding[]> {
  const ids = await proceduresUsingCode(dbOf(source), def.id, def.catalog.code, from);
  return ids.map((id) => ({
    code: 'CATALOG_DUPLICATE_CODE', path: `${prefix}/catalog/code`, severity: 'error' as const,
    message: {
      vi: `Mã thủ tục ${def.catalog.code} đang được thủ tục "${id}" sử dụng: một mã chỉ thuộc một thủ tục còn hiệu lực (tạo phiên bản mới của "${id}" hoặc ngừng áp dụng nó trước)`,
      en: `National code ${def.catalog.code} is in use by procedure "${id}": one code belongs to one procedure in force (make a new version of "${id}" or retire it first)`,
    },
  }));
}

const ALL_CHANNELS: Channel[] = ['direct', 'online', 'postal'];

/**
 * A linked dossier is created on its parent's channel (a direct bundle spawns direct
 * dossiers), so every channel the parent accepts must be one its linked procedures accept:
 * otherwise the hand-off fails at run time with 422 on the citizen's dossier. Checked against
 * the latest published version of each linked procedure.
 */
async function childChannels(source: Source, def: ProcedureDefinition, prefix: string): Promise<Finding[]> {
  const refs = procedureRefs(def).filter((r) => r.procedure !== def.id);
  if (refs.length === 0) return [];
  const latest = await latestPublishedDefinitions(dbOf(source), [...new Set(refs.map((r) => r.procedure))]);
  const parent = def.catalog.channels ?? ALL_CHANNELS;
  const out: Finding[] = [];
  for (const ref of refs) {
    const child = latest.get(ref.procedure);
    if (!child) continue; // unknownRefs reports it
    const accepted = child.catalog.channels ?? ALL_CHANNELS;
    const missing = parent.filter((c) => !accepted.includes(c));
    if (missing.length === 0) continue;
    out.push({
      code: 'CATALOG_CHILD_CHANNEL', path: `${prefix}${ref.path}`, severity: 'error',
      message: {
        vi: `Hồ sơ liên thông "${ref.procedure}" được tạo theo kênh của hồ sơ này, nhưng thủ tục đó không nhận kênh ${missing.map((c) => `"${c}"`).join(', ')} (chỉ: ${accepted.join(', ')}); giới hạn kênh của thủ tục này (catalog.channels) hoặc mở kênh ở thủ tục liên thông`,
        en: `The linked dossier "${ref.procedure}" is created on this dossier's channel, but that procedure does not accept ${missing.map((c) => `"${c}"`).join(', ')} (only: ${accepted.join(', ')}); limit this procedure's channels (catalog.channels) or open them on the linked one`,
      },
    });
  }
  return out;
}

/**
 * Hand-offs to a named unit whose kind the linked procedure does not allow to decide it (e.g. a
 * residence registration handed to a commune People's Committee instead of the commune police).
 * Scopes resolved per dossier (`competent`, …) are checked when the linked dossier is opened.
 */
async function handoffUnitKinds(source: Source, def: ProcedureDefinition, from: Date, prefix: string): Promise<Finding[]> {
  const targets: { procedure: string; unit: string; pointer: string }[] = [];
  // A unit chosen at run time is checked when the linked dossier is opened (and its kinds by validateLinks).
  const named = (u: HandoffUnit): string | null => (typeof u === 'object' && 'unit' in u ? u.unit : null);
  for (const { step, pointer } of walkSteps(def.steps)) {
    const u = step.handoff ? named(step.handoff.unit) : null;
    if (step.handoff && u) targets.push({ procedure: step.handoff.procedure, unit: u, pointer: `${pointer}/handoff/unit` });
    (step.actions ?? []).forEach((a, i) => (a.effects ?? []).forEach((e, j) => {
      const v = e.type === 'spawn' ? named(e.unit) : null;
      if (e.type === 'spawn' && v) targets.push({ procedure: e.procedure, unit: v, pointer: `${pointer}/actions/${i}/effects/${j}/unit` });
    }));
  }
  if (targets.length === 0) return [];
  const rows = await unitsByCodes(dbOf(source), [...new Set(targets.map((t) => t.unit))]);
  const found: Finding[] = [];
  for (const t of targets) {
    const unit = rows.find((r) => r.code === t.unit);
    const child = await versionInForce(source, t.procedure, from);
    if (!unit || !child) continue;
    const childDef = child.definition as ProcedureDefinition;
    if (mayDecide(childDef, unit)) continue;
    const m = kindMessage(childDef, unit);
    found.push({ code: 'CATALOG_HANDOFF_UNIT_KIND', path: `${prefix}${t.pointer}`, severity: 'error', message: m });
  }
  return found;
}

/**
 * Answers coming back and run-time units against the linked procedures in force: every output a
 * hand-off maps must be declared by the linked procedure, and a run-time unit's kinds must meet
 * the kinds that may decide it (the engine's `validateLinks`).
 */
async function linkContracts(source: Source, def: ProcedureDefinition, from: Date, prefix: string): Promise<Finding[]> {
  const ids = [...new Set(walkSteps(def.steps).flatMap(({ step }) => (step.handoff ? [step.handoff.procedure] : [])))];
  if (ids.length === 0) return [];
  const children = new Map<string, ProcedureDefinition>();
  for (const id of ids) {
    const v = id === def.id ? { definition: def } : await versionInForce(source, id, from);
    if (v) children.set(id, v.definition as ProcedureDefinition);
  }
  return validateLinks(def, (id) => children.get(id) ?? null).map((i) => ({
    code: i.code, path: `${prefix}${i.path}`, severity: 'error' as const, message: i.message,
  }));
}

/** Every finding that blocks publishing `def` from `from`, and the notes that do not. */
export async function publishGate(source: Source, def: ProcedureDefinition, from: Date, prefix = ''): Promise<{ errors: Finding[]; notes: Finding[] }> {
  const analysis = publishCheck(def, prefix);
  const errors = [
    ...analysis.errors,
    ...unknownRefs(def, await publishedIds(source), prefix),
    ...await duplicateCode(source, def, from, prefix),
    ...await childChannels(source, def, prefix),
    ...await handoffUnitKinds(source, def, from, prefix),
    ...await linkContracts(source, def, from, prefix),
  ];
  return { errors, notes: [...analysis.notes, ...await unsetParameters(source, def, prefix)] };
}
