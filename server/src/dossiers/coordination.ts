/**
 * Hand-offs as coordination between units (issue 15): in the history, an event that opened a
 * linked dossier says where it went, and the system action that resumed the parent says what
 * came back (the outputs the linked procedure declares, with their titles); before an action,
 * the preview names the units its hand-offs would go to. Reads the directory only.
 */
import type { Static } from 'typebox';
import type { CompiledProcedure, DossierEvent, Transition } from '@motcua/engine';
import { checkHandoffUnit, versionMetaInForce } from '../catalog/service';
import { notFound } from '../http/errors';
import type { Deps } from '../deps';
import type { HistoryEntry } from './repo';
import type { CoordinationSchema, PreviewSchema } from './projections';
import { planEffects } from './effects';

export type Coordination = Static<typeof CoordinationSchema>;
export type Preview = Static<typeof PreviewSchema>;

interface Child { id: string; key: string | null; unit: string; procedureId: string; version: number }

const text = (t: { vi: string; en?: string } | undefined) => (t ? { vi: t.vi, ...(t.en ? { en: t.en } : {}) } : null);

/**
 * Coordination by event seq: a hand-off step entered ("sent": the linked dossiers opened, in
 * order, matched to the hand-offs in the order they happened) and a hand-off's system action
 * ("answered": its recorded outcome and outputs).
 */
export async function coordinationOf(deps: Deps, proc: CompiledProcedure | null, rows: readonly HistoryEntry[], children: readonly Child[]): Promise<Map<number, Coordination[]>> {
  const out = new Map<number, Coordination[]>();
  if (!proc || children.length === 0) return out;
  const queue = new Map<string, Child[]>();
  for (const c of children) if (c.key) queue.set(c.key, [...(queue.get(c.key) ?? []), c]);
  const last = new Map<string, Child>();
  const childProc = async (c: Child) => deps.directory.procedure(c.procedureId, c.version);
  const unitOf = async (code: string) => ({ code, name: (await deps.directory.unit(code))?.name ?? null });
  for (const e of rows) {
    const p = e.payload as Partial<Extract<DossierEvent, { type: 'action.applied' }>> & { type?: string };
    const list: Coordination[] = [];
    // A hand-off's answer: the system action of a hand-off step.
    const stepDef = p.step ? proc.steps.get(p.step)?.def : undefined;
    if (stepDef?.kind === 'handoff' && (e.actorId === 'system' || p.actor?.kind === 'system')) {
      const c = last.get(stepDef.id);
      const cp = c ? await childProc(c) : null;
      const inputs = p.inputs ?? {};
      const answers = inputs['outputs'] && typeof inputs['outputs'] === 'object' ? (inputs['outputs'] as { [k: string]: unknown }) : {};
      list.push({
        kind: 'answered', step: stepDef.id,
        procedure: { id: stepDef.handoff?.procedure ?? '', name: text(cp?.definition.catalog.name), internal: cp?.definition.catalog.internal ?? false },
        unit: await unitOf(c?.unit ?? ''),
        outcome: typeof inputs['outcome'] === 'string' ? inputs['outcome'] : null,
        outputs: Object.entries(answers).map(([name, value]) => ({ name, title: text(cp?.definition.outputs?.[name]?.title), value })),
      });
    }
    // Hand-offs entered by this event (the start included): the linked dossiers opened then.
    const entered = e.type === 'dossier.started' ? [proc.definition.initial] : (p.to ?? []);
    for (const step of entered) {
      if (proc.steps.get(step)?.def.kind !== 'handoff') continue;
      const c = queue.get(step)?.shift();
      if (!c) continue;
      last.set(step, c);
      const cp = await childProc(c);
      list.push({
        kind: 'sent', step,
        procedure: { id: c.procedureId, name: text(cp?.definition.catalog.name), internal: cp?.definition.catalog.internal ?? false },
        unit: await unitOf(c.unit),
      });
    }
    if (list.length) out.set(e.seq, list);
  }
  return out;
}

/** The units a planned transition's hand-offs would go to, as the directory names them (422 for a kind the linked procedure refuses). */
export async function previewOf(deps: Deps, transition: Transition): Promise<Preview> {
  const handoffs: Preview['handoffs'] = [];
  for (const spawn of planEffects(transition.effects).spawns) {
    const unit = await deps.directory.unit(spawn.unit);
    if (!unit) throw notFound({ vi: 'đơn vị', en: 'unit' }, spawn.unit);
    const version = await versionMetaInForce(deps.db, spawn.procedure, deps.clock.now());
    const child = version ? await deps.directory.procedure(spawn.procedure, version.version) : null;
    if (child) checkHandoffUnit(child.definition, unit, spawn.step);
    handoffs.push({
      step: spawn.step,
      procedure: { id: spawn.procedure, name: text(child?.definition.catalog.name), internal: child?.definition.catalog.internal ?? false },
      unit: { code: unit.code, name: unit.name, kind: unit.kind },
    });
  }
  return { handoffs, dueAt: transition.snapshot.clock.dueAt };
}
