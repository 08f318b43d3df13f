import { describe, it, expect } from 'vitest';
import { allowedChannels, bulkRows, competentChoices, likelyCompetent, conflictChange, inSentence, defaultReturnVia, isStaleAnswer, keyFor, commonActions, signingLines, filterFromSearch, filterToSearch, inboxQuery, intentClass, handlersOf, issuedSlips, nextInList, slipsOf, sortActions, statusKey, withReceivingUnit } from './logic';
import type { AvailableAction, DossierView } from './types';

const action = (over: Partial<AvailableAction>): AvailableAction => ({
  step: 'sign', action: 'approve', label: { vi: 'Phê duyệt, ký' }, intent: 'proceed', stepKind: 'approval', inputs: null, effects: [], ...over,
});

const dossier = (id: string, actions: AvailableAction[], over: Partial<DossierView> = {}): DossierView => ({
  id, version: 3, procedure: { id: 'p', version: 1, code: '1', name: null, field: 'f' }, status: 'active', outcome: null, channel: 'direct',
  applicant: { name: 'A' }, routing: { receiving: 'u', competent: 'u', returnUnit: 'u', returnVia: 'desk' }, data: {},
  clock: { submittedAt: '2026-01-01T00:00:00Z', receivedAt: null, dueAt: null, originalDueAt: null, pausedAt: null, remainingMinutes: null, pausedMinutes: 0, extensions: 0, lawfulDueAt: null, lawfulRemainingMinutes: null, extraTimeDays: 0 },
  active: [], links: {}, parentId: null, progress: null, timeliness: null, actions, rating: null, ...over,
});

describe('inbox filter', () => {
  it('should round-trip through the address bar, leaving defaults out', () => {
    const f = { box: 'overdue' as const, q: ' Lan ', procedureId: 'dang-ky-khai-sinh', unit: '', channel: 'online' as const, page: 2 };
    const s = filterToSearch(f);
    expect(s.toString()).toBe('box=overdue&q=Lan&procedure=dang-ky-khai-sinh&channel=online&page=2');
    expect(filterFromSearch(s)).toEqual({ ...f, q: 'Lan' });
    expect(filterToSearch(filterFromSearch(new URLSearchParams())).toString()).toBe('');
  });
  it('should fall back to "mine" and page 1 on nonsense', () => {
    expect(filterFromSearch(new URLSearchParams('box=evil&page=-3'))).toMatchObject({ box: 'mine', page: 1 });
  });
  it('should send only the filters that are set', () => {
    expect(inboxQuery({ box: 'unit', q: '', procedureId: '', unit: 'X', channel: '', page: 1 }, 20)).toEqual({ box: 'unit', page: 1, pageSize: 20, unit: 'X' });
    expect(inboxQuery({ box: 'unit', q: '', procedureId: '', unit: '', channel: 'postal', page: 1 }, 20)).toEqual({ box: 'unit', page: 1, pageSize: 20, channel: 'postal' });
    expect(filterFromSearch(new URLSearchParams('channel=fax')).channel).toBe('');
  });
});

describe('actions', () => {
  it('should colour by intent', () => {
    expect(intentClass('proceed')).toBe('primary');
    expect(intentClass('refuse')).toBe('danger');
    expect(intentClass('rework')).toBe('intent-rework');
  });
  it('should put refusals after going forward', () => {
    const out = sortActions([action({ action: 'r', intent: 'refuse' }), action({ action: 'p' }), action({ action: 's', intent: 'supplement' })]);
    expect(out.map((a) => a.action)).toEqual(['p', 's', 'r']);
  });
});

describe('commonActions', () => {
  it('should offer only the actions all selected dossiers have, with each one\'s step and version', () => {
    const a = dossier('A', [action({}), action({ action: 'sendBack', intent: 'rework', label: { vi: 'Trả lại' } })], { version: 4 });
    const b = dossier('B', [action({ step: 'sign2' })]);
    const out = commonActions([a, b]);
    expect(out).toHaveLength(1);
    expect(out[0]?.items).toEqual([{ id: 'A', step: 'sign', expectedVersion: 4 }, { id: 'B', step: 'sign2', expectedVersion: 3 }]);
  });
  it('should never offer global actions in bulk', () => {
    expect(commonActions([dossier('A', [action({ step: '*', action: 'withdraw', intent: 'withdraw' })])])).toEqual([]);
  });
  it('should offer nothing for no selection', () => {
    expect(commonActions([])).toEqual([]);
  });
});

describe('slipsOf', () => {
  it('should give only the control slip before acceptance', () => {
    expect(slipsOf(dossier('A', []), [])).toEqual(['control']);
  });
  it('should give the receipt once accepted, refusal when refused, apology after an extension', () => {
    const d = dossier('A', [], { outcome: 'refused', clock: { submittedAt: 'x', receivedAt: 'y', dueAt: null, originalDueAt: null, pausedAt: null, remainingMinutes: null, pausedMinutes: 0, extensions: 1, lawfulDueAt: null, lawfulRemainingMinutes: null, extraTimeDays: 0 } });
    expect(slipsOf(d, [])).toEqual(['receipt', 'apology', 'refusal', 'control']);
  });
  it('should give the supplement request after a supplement action', () => {
    const events = [{ seq: 2, type: 'action.applied', at: 'x', actor: { id: 'u', name: 'U' }, label: null, payload: { action: 'requestSupplement' }, hash: 'h', inputForm: null }];
    expect(slipsOf(dossier('A', []), events)).toContain('supplement-request');
  });
});

describe('issuedSlips', () => {
  const ev = (seq: number, slips?: { kind: string; sha256: string }[]) => ({ seq, type: 'action.applied', at: `2026-12-0${seq}T08:00:00Z`, actor: { id: 'u', name: 'U' }, label: null, payload: slips ? { slips } : {}, hash: 'h', inputForm: null });
  it('should list every issued slip by the number of its event, a correction naming the slip it replaces', () => {
    const events = [ev(4, [{ kind: 'receipt', sha256: 'b' }]), ev(1), ev(2, [{ kind: 'receipt', sha256: 'a' }]), ev(3, [{ kind: 'supplement-request', sha256: 'c' }])];
    expect(issuedSlips(events)).toEqual([
      { kind: 'receipt', number: 2, at: '2026-12-02T08:00:00Z', replaces: null },
      { kind: 'supplement-request', number: 3, at: '2026-12-03T08:00:00Z', replaces: null },
      { kind: 'receipt', number: 4, at: '2026-12-04T08:00:00Z', replaces: 2 },
    ]);
  });
});

describe('statusKey', () => {
  it('should name closed dossiers by outcome', () => {
    expect(statusKey('done', 'approved')).toBe('done/approved');
    expect(statusKey('waiting-citizen', null)).toBe('waiting-citizen');
  });
});

describe('keyFor', () => {
  let n = 0;
  const fresh = () => `k${++n}`;
  it('should keep the key while the same body is retried and change it with the body', () => {
    const a = keyFor(null, { x: 1 }, fresh);
    expect(keyFor(a, { x: 1 }, fresh)).toBe(a);
    const b = keyFor(a, { x: 2 }, fresh);
    expect(b.key).not.toBe(a.key);
  });
});

describe('allowedChannels', () => {
  it('should keep the catalog order and default to all', () => {
    expect(allowedChannels(['postal', 'direct'])).toEqual(['direct', 'postal']);
    expect(allowedChannels(null)).toEqual(['direct', 'online', 'postal']);
  });
  it('should return the result the way the dossier came', () => {
    expect(defaultReturnVia('postal')).toBe('post');
    expect(defaultReturnVia('direct')).toBe('desk');
  });
});

describe('isStaleAnswer', () => {
  it('should treat a version conflict or a step already left as a change by someone else', () => {
    expect(isStaleAnswer(409, 'DOSSIER_VERSION_CONFLICT')).toBe(true);
    expect(isStaleAnswer(409, 'ACTION_NOT_AVAILABLE')).toBe(true);
  });
  it('should not hide a limit reached or a bad input', () => {
    expect(isStaleAnswer(409, 'ACTION_LIMIT_REACHED')).toBe(false);
    expect(isStaleAnswer(422, 'ACTION_INPUT_INVALID')).toBe(false);
  });
});

describe('bulk list', () => {
  it('should name each dossier with its applicant and current step names', () => {
    const d = dossier('HS-1', [], {
      applicant: { name: 'Nguyễn Văn An' },
      active: [{ step: 'sign', enteredAt: '', dueAt: null, unit: 'u', role: null, assignee: null, timeoutAt: null, name: { vi: 'Phê duyệt', en: 'Approve' }, kind: 'approval', holder: null },
        { step: 'raw', enteredAt: '', dueAt: null, unit: 'u', role: null, assignee: null, timeoutAt: null, name: null, kind: null, holder: null }],
    });
    expect(bulkRows([d], (n) => n.vi)).toEqual([{ id: 'HS-1', applicant: 'Nguyễn Văn An', steps: 'Phê duyệt, raw' }]);
  });
});

describe('signing formula', () => {
  const deputy = { prefix: 'KT.' as const, lines: ['KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'], signer: 'Trần B' };
  it('should show the deputy block on an approval step, without repeating the prefix', () => {
    expect(signingLines(action({ signing: deputy }))).toEqual(['KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH']);
  });
  it('should show a delegated block on any step, and nothing for plain work', () => {
    expect(signingLines(action({ stepKind: 'task', signing: deputy }))).toEqual(['KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH']);
    expect(signingLines(action({ stepKind: 'task', signing: { prefix: null, lines: ['Chuyên viên'], signer: 'C' } }))).toBeNull();
    expect(signingLines(action({}))).toBeNull();
  });
});

describe('conflict', () => {
  it('should read who changed the dossier from a 409 body', () => {
    const body = { error: { code: 'DOSSIER_VERSION_CONFLICT', lastChange: { actor: { id: 'u1', name: 'Trần Văn Tuấn' }, at: '2026-03-02T03:05:00.000Z', label: { vi: 'Phê duyệt, ký', en: 'Approve' } } } };
    expect(conflictChange(body)).toEqual({ name: 'Trần Văn Tuấn', at: '2026-03-02T03:05:00.000Z', label: { vi: 'Phê duyệt, ký', en: 'Approve' } });
    expect(conflictChange({ error: { lastChange: { actor: { name: 'A' }, at: 'x', label: null } } })?.label).toBeNull();
  });
  it('should name nobody when the server did not', () => {
    expect(conflictChange(null)).toBeNull();
    expect(conflictChange({ error: { code: 'DOSSIER_VERSION_CONFLICT', currentVersion: 4 } })).toBeNull();
    expect(conflictChange({ error: { lastChange: { actor: { name: null }, at: 'x' } } })).toBeNull();
  });
  it('should put a label inside a sentence', () => {
    expect(inSentence('Phê duyệt, ký')).toBe('phê duyệt, ký');
    expect(inSentence('')).toBe('');
  });
});

describe('holding and the next dossier', () => {
  const step = (holder: string | null, role: string | null = 'specialist') => ({
    step: 's', name: null, unit: 'u', role, dueAt: null, holder: holder ? { id: holder, name: holder, at: 'x', by: null } : null,
  });
  it('should name the people holding the steps, else the roles', () => {
    expect(handlersOf({ steps: [step('Lê Văn Hùng'), step(null)] }, (r) => r ?? '')).toBe('Lê Văn Hùng');
    expect(handlersOf({ steps: [step(null), step(null, 'leader')] }, (r) => `role:${r}`)).toBe('role:specialist, role:leader');
  });
  it('should give the dossier after the current one in the list it was opened from', () => {
    expect(nextInList(['A', 'B', 'C'], 'A')).toBe('B');
    expect(nextInList(['A', 'B', 'C'], 'C')).toBeNull();
    expect(nextInList(['B', 'C'], 'A')).toBe('B');
  });
});

describe('routing a dossier another kind of unit decides', () => {
  const units = [
    { code: 'xa-ap', name: 'Ủy ban nhân dân xã An Phú', kind: 'commune' },
    { code: 'xa-tl', name: 'Ủy ban nhân dân xã Tân Lập', kind: 'commune' },
    { code: 'ca-tinh', name: 'Công an tỉnh Demo', kind: 'police' },
    { code: 'ca-bm', name: 'Công an phường Bình Minh', kind: 'police' },
    { code: 'ca-ap', name: 'Công an xã An Phú', kind: 'police' },
  ];
  it('should offer the units of the kinds the procedure names, else of the receiving unit\'s kind', () => {
    expect(competentChoices(units, 'commune', ['police']).map((u) => u.code)).toEqual(['ca-tinh', 'ca-bm', 'ca-ap']);
    expect(competentChoices(units, 'commune', undefined).map((u) => u.code)).toEqual(['xa-ap', 'xa-tl']);
  });
  it('should put forward the police of the same commune, by the place name both units carry', () => {
    const police = competentChoices(units, 'commune', ['police']);
    expect(likelyCompetent('Ủy ban nhân dân xã An Phú', police)?.code).toBe('ca-ap');
    // no unit of that place: the first, never a unit sharing a single word by chance
    expect(likelyCompetent('Ủy ban nhân dân xã Hoà Phú', police)?.code).toBe('ca-tinh');
    expect(likelyCompetent('X', [])).toBeUndefined();
  });
});

describe('the receiving unit chosen before the procedure', () => {
  const units = ['000.01.31.H99', '000.02.31.H99'];
  const routing = { channel: 'direct' as const, receivingUnit: units[0]!, competentUnit: units[0]!, returnVia: 'desk' as const };

  it('should move the receiving unit, and the competent unit with it, to the unit chosen', () => {
    expect(withReceivingUnit(routing, units, units[1]!)).toEqual({ ...routing, receivingUnit: units[1], competentUnit: units[1] });
  });

  it('should keep a competent unit chosen apart, and ignore a unit that is not one of the desk\'s', () => {
    const forOther = { ...routing, competentUnit: '000.09.31.H99' };
    expect(withReceivingUnit(forOther, units, units[1]!)).toEqual({ ...forOther, receivingUnit: units[1] });
    expect(withReceivingUnit(routing, units, '999.99.99.H99')).toBe(routing);
  });
});
