/**
 * The parts of form II.06a around the table (Circular 01/2018/TT-VPCP; layout of the seeds'
 * submitted reports): reporting and receiving unit, unit of measure, place line, "Người lập
 * biểu" and the head's signature block with its formula (Decree 30/2020/NĐ-CP: TM. for a
 * People's Committee, KT. when a deputy signs, Q. for an acting head).
 */
import { ownSigning, type Grant, type Position } from '@motcua/engine';
import type { StatsDeps } from './query';
import type { ReportForm } from './report-types';

/** The seeds' reports count dossiers: "Đơn vị tính: Số hồ sơ TTHC". */
export const UNIT_OF_MEASURE = 'Số hồ sơ thủ tục hành chính';

/** Positions that sign a unit's report (a member does not). */
export type ReportSigning = Extract<Position, 'head' | 'deputy' | 'acting-head'>;

/**
 * The locality of a unit's name for the place line, never the agency: "Ủy ban nhân dân xã
 * An Phú" → "An Phú", "Sở Tư pháp tỉnh Demo" → "Demo". The last administrative word wins, so
 * "Bảo hiểm xã hội tỉnh Demo" is "Demo", not "hội tỉnh Demo".
 */
export function localityOf(name: string): string {
  const m = /^.*(?:^|\s)(?:xã|phường|thị trấn|đặc khu|tỉnh|thành phố|huyện|quận)\s+(.+)$/iu.exec(name.trim());
  return m?.[1]?.trim() ?? name.trim();
}

export interface ReportFormOptions {
  unit: string;
  /** Local date of the place line. */
  date: string;
  /** "Đơn vị nhận báo cáo"; default: the unit above (its parent, else the province that holds it). */
  receivingUnit?: string;
  preparer?: string;
  /** Who signs; default: the requesting officer when they lead the unit, else the head with a blank name. */
  signing?: ReportSigning;
  signer?: string;
  /** The requesting officer, whose leader grant at the unit gives the default position and title. */
  user?: { name: string; grants: Grant[] };
}

/** The form's surroundings for one unit; reads the unit tree only. */
export async function reportForm(deps: Pick<StatsDeps, 'directory'>, options: ReportFormOptions): Promise<ReportForm> {
  const unit = await deps.directory.unit(options.unit);
  const name = unit?.name ?? options.unit;
  const above = unit?.parent ?? unit?.province ?? null;
  const receivingUnit = options.receivingUnit?.trim()
    || (above ? (await deps.directory.unit(above))?.name : undefined)
    // A province reports to the Government Office (Văn phòng Chính phủ), which compiles form II.06a nationwide.
    || 'Văn phòng Chính phủ';
  const info = unit ? {
    code: unit.code, name: unit.name,
    ...(unit.collectiveName ? { collectiveName: unit.collectiveName } : {}),
    ...(unit.headTitle ? { headTitle: unit.headTitle } : {}),
  } : undefined;
  const own = options.user?.grants.find((g) => g.role === 'leader' && g.unit === options.unit
    && (g.position === 'head' || g.position === 'deputy' || g.position === 'acting-head'));
  const position: ReportSigning = options.signing ?? (own?.position as ReportSigning | undefined) ?? 'head';
  const useOwn = own !== undefined && own.position === position;
  const signer = options.signer?.trim() || (useOwn ? options.user?.name : undefined) || null;
  const head = unit?.headTitle ?? 'THỦ TRƯỞNG';
  const title = useOwn ? own.title : position === 'deputy' ? `PHÓ ${head}` : undefined;
  const formula = ownSigning({ role: 'leader', unit: options.unit, position, ...(title ? { title } : {}) }, info, signer ?? '');
  // Without a named signer the last line of a deputy's block is their title, never an empty name.
  const lines = formula.lines.filter((l) => l.trim() !== '');
  return {
    reportingUnit: name,
    receivingUnit,
    unitOfMeasure: UNIT_OF_MEASURE,
    place: localityOf(name),
    date: options.date,
    preparer: options.preparer?.trim() || null,
    signature: { lines, signer },
  };
}
