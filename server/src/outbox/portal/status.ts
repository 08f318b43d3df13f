/**
 * The status table: which code of the national portal (DVCQG) each internal state of a
 * dossier is sent as. Data, editable per province (stored by ./repo.ts, edited through the
 * admin API), validated whenever it is loaded or saved: a table that does not map every
 * internal state to a code 1–10 is refused, never half-applied.
 */

/**
 * Internal states a dossier event is classified into (./facts.ts). `accepted` is the event
 * that accepted the dossier (the legal clock starts); the events after it are `in-progress`
 * until the dossier waits, is handled or closes.
 */
export const INTERNAL_STATES = [
  'registered', 'accepted', 'refused', 'in-progress', 'supplement', 'payment', 'withdrawn', 'stopped', 'handled', 'returned', 'rejected',
] as const;

export type InternalState = (typeof INTERNAL_STATES)[number];

export type StatusTable = Record<InternalState, number>;

/**
 * The codes as provincial systems use them (Circular 01/2018/TT-VPCP practice, see
 * docs/portal.md): 1 newly registered, 2 accepted, 3 not accepted, 4 in progress,
 * 5 supplement requested, 6 payment requested, 7 withdrawn, 8 handling stopped, 9 handled,
 * 10 result returned. A decided "no" (rejected) is returned to the citizen like any result.
 */
export const DEFAULT_STATUS_TABLE: StatusTable = {
  registered: 1, accepted: 2, refused: 3, 'in-progress': 4, supplement: 5, payment: 6, withdrawn: 7, stopped: 8, handled: 9, returned: 10, rejected: 10,
};

/** The codes' Vietnamese names (for the admin screen and the docs). */
export const STATUS_NAMES: Record<number, string> = {
  1: 'Mới đăng ký', 2: 'Đã tiếp nhận', 3: 'Không được tiếp nhận', 4: 'Đang xử lý', 5: 'Yêu cầu bổ sung', 6: 'Yêu cầu thực hiện nghĩa vụ tài chính',
  7: 'Công dân yêu cầu rút hồ sơ', 8: 'Dừng xử lý', 9: 'Đã xử lý xong', 10: 'Đã trả kết quả',
};

export interface TableIssue { path: string; message: { vi: string; en: string } }

/** Problems with a status table (empty: valid): every internal state, each a code 1–10, nothing else. */
export function checkStatusTable(table: unknown): TableIssue[] {
  if (!table || typeof table !== 'object' || Array.isArray(table)) {
    return [{ path: '', message: { vi: 'Bảng trạng thái phải là một đối tượng JSON', en: 'The status table must be a JSON object' } }];
  }
  const issues: TableIssue[] = [];
  const t = table as Record<string, unknown>;
  for (const key of Object.keys(t)) {
    if (!(INTERNAL_STATES as readonly string[]).includes(key)) {
      issues.push({ path: `/${key}`, message: {
        vi: `Không có trạng thái nội bộ "${key}"; các trạng thái: ${INTERNAL_STATES.join(', ')}`,
        en: `No internal state "${key}"; the states are ${INTERNAL_STATES.join(', ')}`,
      } });
    }
  }
  for (const key of INTERNAL_STATES) {
    const v = t[key];
    if (v === undefined) {
      issues.push({ path: `/${key}`, message: { vi: `Thiếu mã trạng thái cho "${key}"`, en: `No status code for "${key}"` } });
    } else if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 10) {
      issues.push({ path: `/${key}`, message: {
        vi: `Mã trạng thái của "${key}" phải là số nguyên từ 1 đến 10`, en: `The status code of "${key}" must be an integer from 1 to 10`,
      } });
    }
  }
  return issues;
}

/** A stored table, checked as it is loaded: throws (with the issues) rather than send wrong codes. */
export function loadStatusTable(stored: unknown): StatusTable {
  const issues = checkStatusTable(stored);
  if (issues.length) throw new Error(`The stored portal status table is not valid: ${issues.map((i) => `${i.path} ${i.message.en}`).join('; ')}`);
  return stored as StatusTable;
}
