/** A unit as officers know it: its name, with its code in a tooltip (codes are for systems). */
import { unitLabel, usePublicUnits } from './units';

export function UnitName({ code }: { code: string }) {
  const units = usePublicUnits().data;
  return <span title={code}>{unitLabel(units, code)}</span>;
}

/** Several units, by name, comma-separated. */
export function UnitNames({ codes }: { codes: readonly string[] }) {
  return <>{codes.map((c, n) => <span key={c}>{n > 0 && ', '}<UnitName code={c} /></span>)}</>;
}
