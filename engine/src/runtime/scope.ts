import type { RuleScope } from '../compile/compile';
import type { UnitScope } from '../definition/types';
import type { DossierSnapshot } from './types';

/** The unit code a scope names for this dossier. */
export function resolveUnit(scope: UnitScope, routing: DossierSnapshot['routing']): string {
  if (typeof scope === 'object') return scope.unit;
  if (scope === 'receiving') return routing.receiving;
  if (scope === 'return') return routing.returnUnit;
  return routing.competent;
}

/** What JSON Logic rules see: data (with inputs merged), inputs, and dossier facts. */
export function ruleScope(snapshot: DossierSnapshot, data: { [key: string]: unknown }, inputs: { [key: string]: unknown }): RuleScope {
  return {
    data,
    inputs,
    dossier: {
      channel: snapshot.channel,
      receivingUnit: snapshot.routing.receiving,
      competentUnit: snapshot.routing.competent,
      returnUnit: snapshot.routing.returnUnit,
      returnVia: snapshot.routing.returnVia,
      nonGeographic: snapshot.routing.receiving !== snapshot.routing.competent,
      supplementRounds: snapshot.supplementRounds,
      extensions: snapshot.clock.extensions,
      extraTimeDays: snapshot.clock.extraTimeDays ?? 0,
      links: snapshot.links,
      parameters: snapshot.parameters ?? {},
    },
  };
}

/** Sets a dotted path in a copy-on-write object tree. */
export function setPath(target: { [key: string]: unknown }, path: string, value: unknown): { [key: string]: unknown } {
  const [head, ...rest] = path.split('.');
  if (head === undefined || head === '') return target;
  if (rest.length === 0) return { ...target, [head]: value };
  const child = target[head];
  const base = child !== null && typeof child === 'object' && !Array.isArray(child) ? (child as { [key: string]: unknown }) : {};
  return { ...target, [head]: setPath(base, rest.join('.'), value) };
}
