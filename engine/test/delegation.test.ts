import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { delegatedReach, previewSigning, resolveAuthority, validateDelegation } from '../src/delegation/index';
import type { Actor, AuthorityRequest, Delegation, UnitInfo } from '../src/delegation/index';
import { show } from '../src/delegation/signing';

const units: { [code: string]: UnitInfo } = {
  'ubnd-xa': { code: 'ubnd-xa', name: 'UBND xã Tân Lập', collectiveName: 'ỦY BAN NHÂN DÂN', headTitle: 'CHỦ TỊCH' },
  'so-tp': { code: 'so-tp', name: 'Sở Tư pháp', headTitle: 'GIÁM ĐỐC' },
};

function officer(id: string, name: string, grants: Actor['grants']): Actor {
  return { id, name, kind: 'officer', grants };
}

const chairman = officer('u-ct', 'Nguyễn Văn An', [{ role: 'approver', unit: 'ubnd-xa', position: 'head', title: 'CHỦ TỊCH' }]);
const viceChair = officer('u-pct', 'Trần Thị Bình', [{ role: 'approver', unit: 'ubnd-xa', position: 'deputy', title: 'PHÓ CHỦ TỊCH' }]);
const director = officer('u-gd', 'Lê Văn Cường', [{ role: 'signer', unit: 'so-tp', position: 'head', title: 'GIÁM ĐỐC' }]);
const officeChief = officer('u-cvp', 'Phạm Thị Dung', [{ role: 'clerk', unit: 'so-tp', position: 'internal-head', title: 'CHÁNH VĂN PHÒNG' }]);
const officeDeputy = officer('u-pcvp', 'Hoàng Văn Em', [{ role: 'clerk', unit: 'so-tp', position: 'member', title: 'PHÓ CHÁNH VĂN PHÒNG' }]);
const clerk = officer('u-cv', 'Đỗ Thị Gấm', [{ role: 'clerk', unit: 'ubnd-xa', position: 'member', title: 'CÔNG CHỨC TƯ PHÁP - HỘ TỊCH' }]);

const NOW = '2025-03-10T09:00:00+07:00';

/** A TUQ from the chairman to the commune's justice clerk for one procedure, valid through March. */
function tuq(overrides: Partial<Delegation> = {}): Delegation {
  return {
    id: 'uq-01',
    kind: 'authorisation',
    from: { id: chairman.id, name: chairman.name, title: 'CHỦ TỊCH', grants: chairman.grants },
    to: clerk.id,
    scope: { roles: ['approver'], units: ['ubnd-xa'], procedures: ['chung-thuc-ban-sao'] },
    validFrom: '2025-03-01T00:00:00+07:00',
    validTo: '2025-04-01T00:00:00+07:00',
    decision: '15/QĐ-UBND',
    ...overrides,
  };
}

function ask(overrides: Partial<AuthorityRequest> = {}): AuthorityRequest {
  return { actor: clerk, role: 'approver', unit: 'ubnd-xa', procedure: 'chung-thuc-ban-sao', now: NOW, units, ...overrides };
}

describe('resolveAuthority: own grants', () => {
  it('should let an officer act on their own grant, in their own name', () => {
    // given an officer of the Department of Justice with the signer role there
    // when they sign for that unit
    const decision = resolveAuthority({ actor: director, role: 'signer', unit: 'so-tp', now: NOW, units });
    // then they act in their own name and sign with their title alone
    expect(decision).toEqual({ ok: true, signing: { prefix: null, lines: ['GIÁM ĐỐC'], signer: 'Lê Văn Cường' } });
  });

  it('should have the head of a people\'s committee sign TM. the committee', () => {
    // given the chairman of a commune people's committee (a collective body)
    // when he approves at the committee
    const decision = resolveAuthority(ask({ actor: chairman }));
    // then the block reads "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH"
    expect(decision.ok && decision.signing).toEqual({ prefix: 'TM.', lines: ['TM. ỦY BAN NHÂN DÂN', 'CHỦ TỊCH'], signer: 'Nguyễn Văn An' });
  });

  it('should have a vice-chair sign "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"', () => {
    // given a vice-chair holding the approver role as deputy
    // when she approves at the committee
    const decision = resolveAuthority(ask({ actor: viceChair }));
    // then she signs for the chairman on behalf of the committee
    expect(decision.ok && decision.signing).toEqual({
      prefix: 'KT.', lines: ['TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'], signer: 'Trần Thị Bình',
    });
  });

  it('should have a deputy director sign "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"', () => {
    // given a deputy director of a department, which is no collective body
    const deputy = officer('u-pgd', 'Vũ Văn Hải', [{ role: 'signer', unit: 'so-tp', position: 'deputy', title: 'PHÓ GIÁM ĐỐC' }]);
    // when he signs for the department
    const decision = resolveAuthority({ actor: deputy, role: 'signer', unit: 'so-tp', now: NOW, units });
    // then no TM. line is printed
    expect(decision.ok && decision.signing.lines).toEqual(['KT. GIÁM ĐỐC', 'PHÓ GIÁM ĐỐC']);
  });

  it('should have the head of an internal unit sign TL. and an acting head Q.', () => {
    // given the chief of office (internal-head) and an acting director
    const acting = officer('u-qgd', 'Ngô Thị Kim', [{ role: 'signer', unit: 'so-tp', position: 'acting-head', title: 'PHÓ GIÁM ĐỐC' }]);
    // when each signs for the department
    const byOrder = resolveAuthority({ actor: officeChief, role: 'clerk', unit: 'so-tp', now: NOW, units });
    const byActing = resolveAuthority({ actor: acting, role: 'signer', unit: 'so-tp', now: NOW, units });
    // then the chief signs by order of the director and the acting director as acting head
    expect(byOrder.ok && byOrder.signing).toEqual({ prefix: 'TL.', lines: ['TL. GIÁM ĐỐC', 'CHÁNH VĂN PHÒNG'], signer: 'Phạm Thị Dung' });
    expect(byActing.ok && byActing.signing).toEqual({ prefix: 'Q.', lines: ['Q. GIÁM ĐỐC'], signer: 'Ngô Thị Kim' });
  });

  it('should print a member\'s title, or their name when they have none', () => {
    // given a clerk with a title and another without
    const untitled = officer('u-x', 'Lý Văn Long', [{ role: 'clerk', unit: 'ubnd-xa' }]);
    // when each acts on their own grant
    const titled = resolveAuthority({ actor: clerk, role: 'clerk', unit: 'ubnd-xa', now: NOW, units });
    const named = resolveAuthority({ actor: untitled, role: 'clerk', unit: 'ubnd-xa', now: NOW, units });
    // then the block is their title, else their name, with no prefix
    expect(titled.ok && titled.signing).toEqual({ prefix: null, lines: ['CÔNG CHỨC TƯ PHÁP - HỘ TỊCH'], signer: 'Đỗ Thị Gấm' });
    expect(named.ok && named.signing.lines).toEqual(['Lý Văn Long']);
  });

  it('should refuse an officer with no grant and no delegation, naming the role and unit', () => {
    // given a clerk who is not an approver and holds no delegation
    // when she tries to approve
    const decision = resolveAuthority(ask());
    // then she is refused with NO_AUTHORITY saying what is missing
    expect(decision.ok).toBe(false);
    if (decision.ok) return;
    expect(decision.code).toBe('NO_AUTHORITY');
    expect(decision.message.vi).toContain('"approver"');
    expect(decision.message.en).toContain('UBND xã Tân Lập (ubnd-xa)');
  });
});

describe('resolveAuthority: delegations', () => {
  it('should let a delegate sign TUQ. within the scope and period of an authorisation', () => {
    // given the chairman authorised the clerk for one procedure in March
    // when the clerk approves that procedure in March
    const decision = resolveAuthority(ask({ delegations: [tuq()] }));
    // then she acts on behalf of the chairman and signs "TUQ. CHỦ TỊCH / <her title>"
    expect(decision).toEqual({
      ok: true,
      onBehalfOf: { id: 'u-ct', name: 'Nguyễn Văn An', title: 'CHỦ TỊCH' },
      delegationId: 'uq-01',
      signing: { prefix: 'TUQ.', lines: ['TUQ. CHỦ TỊCH', 'CÔNG CHỨC TƯ PHÁP - HỘ TỊCH'], signer: 'Đỗ Thị Gấm' },
    });
  });

  it('should print the delegate\'s name when they hold no title at the unit', () => {
    // given the authorisation goes to an officer of another unit
    const outsider = officer('u-y', 'Mai Văn Nam', [{ role: 'clerk', unit: 'so-tp', title: 'CHUYÊN VIÊN' }]);
    // when he approves at the committee
    const decision = resolveAuthority(ask({ actor: outsider, delegations: [tuq({ to: outsider.id })] }));
    // then his name stands under the TUQ. line
    expect(decision.ok && decision.signing.lines).toEqual(['TUQ. CHỦ TỊCH', 'Mai Văn Nam']);
  });

  it('should refuse an expired authorisation with its end date', () => {
    // given an authorisation that ended on 1 March
    const expired = tuq({ validFrom: '2025-02-01T00:00:00+07:00', validTo: '2025-03-01T00:00:00+07:00' });
    // when the clerk acts on 10 March
    const decision = resolveAuthority(ask({ delegations: [expired] }));
    // then she is refused with DELEGATION_EXPIRED and told when it ended
    expect(decision).toMatchObject({ ok: false, code: 'DELEGATION_EXPIRED', delegationId: 'uq-01' });
    expect(!decision.ok && decision.message.en).toContain('expired at 2025-03-01T00:00:00+07:00');
  });

  it('should treat validTo as exclusive and validFrom as inclusive', () => {
    // given the March authorisation
    // when the clerk acts exactly at its start and exactly at its end
    const atStart = resolveAuthority(ask({ delegations: [tuq()], now: '2025-03-01T00:00:00+07:00' }));
    const atEnd = resolveAuthority(ask({ delegations: [tuq()], now: '2025-03-31T17:00:00Z' }));
    // then the start is within the period and the end is not
    expect(atStart.ok).toBe(true);
    expect(atEnd).toMatchObject({ ok: false, code: 'DELEGATION_EXPIRED' });
  });

  it('should refuse an authorisation that is not yet valid', () => {
    // given an authorisation starting in April
    const later = tuq({ validFrom: '2025-04-01T00:00:00+07:00', validTo: '2025-05-01T00:00:00+07:00' });
    // when the clerk acts in March
    const decision = resolveAuthority(ask({ delegations: [later] }));
    // then she is told from when it applies
    expect(decision).toMatchObject({ ok: false, code: 'DELEGATION_NOT_YET_VALID' });
    expect(!decision.ok && decision.message.vi).toContain('2025-04-01T00:00:00+07:00');
  });

  it('should refuse a revoked authorisation, but not one revoked only later', () => {
    // given the authorisation revoked on 5 March, and the same one to be revoked on 20 March
    const revoked = tuq({ revokedAt: '2025-03-05T08:00:00+07:00' });
    const revokedLater = tuq({ revokedAt: '2025-03-20T08:00:00+07:00' });
    // when the clerk acts on 10 March
    const refused = resolveAuthority(ask({ delegations: [revoked] }));
    const allowed = resolveAuthority(ask({ delegations: [revokedLater] }));
    // then only the past revocation counts
    expect(refused).toMatchObject({ ok: false, code: 'DELEGATION_REVOKED' });
    expect(allowed.ok).toBe(true);
  });

  it('should refuse an authorisation for another procedure or another unit', () => {
    // given the authorisation for "chung-thuc-ban-sao" at the commune
    // when the clerk uses it for another procedure, and at another unit
    const otherProcedure = resolveAuthority(ask({ delegations: [tuq()], procedure: 'dang-ky-khai-sinh' }));
    const otherUnit = resolveAuthority(ask({ delegations: [tuq()], unit: 'so-tp' }));
    const noProcedure = resolveAuthority(ask({ delegations: [tuq()], procedure: undefined }));
    // then each is out of scope, and the message names what is not covered
    expect(otherProcedure).toMatchObject({ ok: false, code: 'DELEGATION_OUT_OF_SCOPE' });
    expect(!otherProcedure.ok && otherProcedure.message.en).toContain('not to procedure "dang-ky-khai-sinh"');
    expect(otherUnit).toMatchObject({ ok: false, code: 'DELEGATION_OUT_OF_SCOPE' });
    expect(!otherUnit.ok && otherUnit.message.vi).toContain('Sở Tư pháp (so-tp)');
    expect(noProcedure).toMatchObject({ ok: false, code: 'DELEGATION_OUT_OF_SCOPE' });
  });

  it('should refuse a delegation whose delegator does not hold the role at the unit', () => {
    // given an authorisation with no scope limits from someone who is not an approver
    const hollow = tuq({ scope: {}, from: { id: director.id, name: director.name, grants: director.grants } });
    // when the clerk approves at the commune
    const decision = resolveAuthority(ask({ delegations: [hollow] }));
    // then it is out of scope: the delegator had nothing to give
    expect(decision).toMatchObject({ ok: false, code: 'DELEGATION_OUT_OF_SCOPE' });
    expect(!decision.ok && decision.message.en).toContain('Lê Văn Cường holds no role "approver"');
  });

  it('should refuse an authorisation passed on again (recorded through derivedFrom)', () => {
    // given the clerk, herself authorised by the chairman, authorises a colleague
    const colleague = officer('u-z', 'Cao Thị Oanh', [{ role: 'clerk', unit: 'ubnd-xa', title: 'CÔNG CHỨC' }]);
    const again = tuq({ id: 'uq-02', from: { id: clerk.id, name: clerk.name, grants: [{ role: 'approver', unit: 'ubnd-xa' }] }, to: colleague.id, derivedFrom: 'uq-01' });
    // when the colleague approves
    const decision = resolveAuthority(ask({ actor: colleague, delegations: [tuq(), again] }));
    // then the re-delegation is refused
    expect(decision).toMatchObject({ ok: false, code: 'REDELEGATION_FORBIDDEN', delegationId: 'uq-02' });
  });

  it('should refuse an authorisation passed on again (inferred from the delegations)', () => {
    // given the clerk, who holds no approver grant, hands on what she was authorised
    const colleague = officer('u-z', 'Cao Thị Oanh', []);
    const again = tuq({ id: 'uq-02', kind: 'deputy', from: { id: clerk.id, name: clerk.name, grants: clerk.grants }, to: colleague.id });
    // when the colleague approves
    const decision = resolveAuthority(ask({ actor: colleague, delegations: [tuq(), again] }));
    // then it is refused: what came by authorisation may not be passed on
    expect(decision).toMatchObject({ ok: false, code: 'REDELEGATION_FORBIDDEN' });
  });

  it('should let a deputy of an internal head sign "TL. GIÁM ĐỐC / KT. CHÁNH VĂN PHÒNG / PHÓ CHÁNH VĂN PHÒNG"', () => {
    // given the director orders the chief of office to sign (TL.), and she hands it to her deputy (KT.)
    const order: Delegation = {
      id: 'tl-01', kind: 'order', to: officeChief.id, scope: { roles: ['signer'] },
      from: { id: director.id, name: director.name, title: 'GIÁM ĐỐC', grants: director.grants },
      validFrom: '2025-01-01T00:00:00+07:00', validTo: '2026-01-01T00:00:00+07:00',
    };
    const handOn: Delegation = {
      id: 'kt-01', kind: 'deputy', to: officeDeputy.id, scope: { roles: ['signer'] }, derivedFrom: 'tl-01',
      from: { id: officeChief.id, name: officeChief.name, grants: [{ role: 'signer', unit: 'so-tp', title: 'CHÁNH VĂN PHÒNG' }] },
      validFrom: '2025-03-01T00:00:00+07:00', validTo: '2025-03-15T00:00:00+07:00',
    };
    // when the deputy signs, and when she signs after the order has lapsed
    const req = { actor: officeDeputy, role: 'signer', unit: 'so-tp', now: NOW, units };
    const signed = resolveAuthority({ ...req, delegations: [order, handOn] });
    const lapsed = resolveAuthority({ ...req, delegations: [{ ...order, validTo: '2025-03-05T00:00:00+07:00' }, handOn] });
    // then the chain is printed top to bottom, and it breaks when the order does
    expect(signed).toMatchObject({ ok: true, delegationId: 'kt-01', onBehalfOf: { id: 'u-cvp' } });
    expect(signed.ok && signed.signing).toEqual({
      prefix: 'KT.', lines: ['TL. GIÁM ĐỐC', 'KT. CHÁNH VĂN PHÒNG', 'PHÓ CHÁNH VĂN PHÒNG'], signer: 'Hoàng Văn Em',
    });
    expect(lapsed).toMatchObject({ ok: false, code: 'DELEGATION_EXPIRED', delegationId: 'kt-01' });
  });

  it('should sign TL., KT. (with TM. for a collective body) and Q. by the kind of delegation', () => {
    // given one delegation of each kind from the chairman to the vice-chair's colleague
    const delegate = officer('u-d', 'Trịnh Văn Phúc', [{ role: 'clerk', unit: 'ubnd-xa', title: 'PHÓ CHỦ TỊCH' }]);
    const of = (kind: Delegation['kind']): Delegation => tuq({ id: kind, kind, to: delegate.id });
    const signing = (kind: Delegation['kind']): unknown => {
      const decision = resolveAuthority(ask({ actor: delegate, delegations: [of(kind)] }));
      return decision.ok ? [decision.signing.prefix, ...decision.signing.lines] : decision;
    };
    // when the delegate approves under each
    // then the formula follows the kind
    expect(signing('order')).toEqual(['TL.', 'TL. CHỦ TỊCH', 'PHÓ CHỦ TỊCH']);
    expect(signing('deputy')).toEqual(['KT.', 'TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH']);
    expect(signing('acting')).toEqual(['Q.', 'TM. ỦY BAN NHÂN DÂN', 'Q. CHỦ TỊCH']);
  });

  it('should fall back to the delegator\'s title when the unit records no head title', () => {
    // given an authorisation at a unit the request knows nothing about
    const bare = tuq({ scope: {}, from: { id: 'u-tp', name: 'Đinh Văn Quý', title: 'TRƯỞNG PHÒNG', grants: [{ role: 'approver', unit: 'phong-x' }] } });
    // when the clerk approves there
    const decision = resolveAuthority(ask({ unit: 'phong-x', delegations: [bare] }));
    // then the TUQ. line names the delegator's title and the clerk's name stands below
    expect(decision.ok && decision.signing.lines).toEqual(['TUQ. TRƯỞNG PHÒNG', 'Đỗ Thị Gấm']);
  });

  it('should choose the same delegation whatever the order they come in', () => {
    // given two valid delegations for the same request
    const b = tuq({ id: 'uq-b' });
    const a = tuq({ id: 'uq-a', kind: 'order' });
    // when resolved with either order
    const one = resolveAuthority(ask({ delegations: [b, a] }));
    const other = resolveAuthority(ask({ delegations: [a, b] }));
    // then the one with the smaller id wins both times
    expect(one).toEqual(other);
    expect(one).toMatchObject({ ok: true, delegationId: 'uq-a', signing: { prefix: 'TL.' } });
  });

  it('should report the refusal that says most about the request', () => {
    // given an out-of-scope delegation sorted first and an expired one in scope
    const elsewhere = tuq({ id: 'a-elsewhere', scope: { units: ['so-tp'] } });
    const expired = tuq({ id: 'b-expired', validTo: '2025-03-02T00:00:00+07:00' });
    // when the clerk approves
    const decision = resolveAuthority(ask({ delegations: [elsewhere, expired] }));
    // then she learns the in-scope one has expired
    expect(decision).toMatchObject({ ok: false, code: 'DELEGATION_EXPIRED', delegationId: 'b-expired' });
  });
});

describe('resolveAuthority: malformed input', () => {
  it('should refuse, not throw, when dates cannot be read', () => {
    // given delegations with an unreadable end, an impossible day, an instant without offset, and a bad `now`
    const cases: AuthorityRequest[] = [
      ask({ delegations: [tuq({ validTo: 'hết tháng 3' })] }),
      ask({ delegations: [tuq({ validTo: '2025-02-30T00:00:00+07:00' })] }),
      ask({ delegations: [tuq({ validFrom: '2025-03-01T00:00:00' })] }),
      ask({ delegations: [tuq()], now: 'yesterday' }),
    ];
    // when each is resolved
    const decisions = cases.map((c) => resolveAuthority(c));
    // then each is a NO_AUTHORITY refusal quoting the culprit
    expect(decisions.map((d) => !d.ok && d.code)).toEqual(['NO_AUTHORITY', 'NO_AUTHORITY', 'NO_AUTHORITY', 'NO_AUTHORITY']);
    expect(!decisions[0]!.ok && decisions[0]!.message.vi).toContain('"hết tháng 3"');
    expect(!decisions[1]!.ok && decisions[1]!.message.en).toContain('"2025-02-30T00:00:00+07:00"');
    expect(!decisions[3]!.ok && decisions[3]!.message.en).toContain('"yesterday"');
  });

  it('should refuse an authorisation without an end date', () => {
    // given an open-ended TUQ
    // when the clerk acts under it
    const decision = resolveAuthority(ask({ delegations: [tuq({ validTo: '' })] }));
    // then it is refused as not time-limited
    expect(decision).toMatchObject({ ok: false, code: 'NO_AUTHORITY' });
    expect(!decision.ok && decision.message.en).toContain('time-limited');
  });

  it('should never throw, whatever it is given', () => {
    // given arbitrary values in place of the request's parts, null-prototype objects included
    const any = fc.anything({ withNullPrototype: true, withBoxedValues: true, withSparseArray: true });
    fc.assert(fc.property(any, any, any, (actor, delegations, now) => {
      // when resolved
      const decision = resolveAuthority({ ...ask(), actor, delegations, now } as unknown as AuthorityRequest);
      // then a decision comes back
      expect(typeof decision.ok).toBe('boolean');
    }));
    fc.assert(fc.property(fc.array(any), (delegations) => {
      const withMine = delegations.map((d) => (typeof d === 'object' && d !== null ? { ...d, to: clerk.id } : d));
      expect(typeof resolveAuthority(ask({ delegations: withMine as Delegation[] })).ok).toBe('boolean');
      expect(typeof validateDelegation(withMine[0] as Delegation, withMine as Delegation[]).ok).toBe('boolean');
    }));
    // and delegations that are well-formed but for the odd field
    const fields = fc.record({ id: any, kind: any, from: any, scope: any, validFrom: any, validTo: any, revokedAt: any, derivedFrom: any });
    fc.assert(fc.property(fields, (odd) => {
      const d = { ...tuq(), ...odd } as unknown as Delegation;
      expect(typeof resolveAuthority(ask({ delegations: [d, tuq({ id: 'z', derivedFrom: show(odd.id) })] })).ok).toBe('boolean');
      expect(typeof validateDelegation(d, [d]).ok).toBe('boolean');
      expect(Array.isArray(previewSigning({ delegation: d, delegate: clerk, delegations: [d] }).lines)).toBe(true);
    }));
  });
});

describe('validateDelegation', () => {
  it('should accept a well-formed, time-limited authorisation with a decision number', () => {
    // given the March TUQ
    // when validated
    const result = validateDelegation(tuq(), []);
    // then there is nothing to report
    expect(result).toEqual({ ok: true, issues: [] });
  });

  it('should point at the end date when the period is empty or missing', () => {
    // given a TUQ ending before it starts, and one with no end
    // when validated
    const backwards = validateDelegation(tuq({ validTo: '2025-02-01T00:00:00+07:00' }), []);
    const unlimited = validateDelegation(tuq({ validTo: '' }), []);
    // then the issues point at /validTo
    expect(backwards.issues.map((i) => [i.code, i.path])).toEqual([['DELEGATION_PERIOD_EMPTY', '/validTo']]);
    expect(unlimited.issues.map((i) => [i.code, i.path])).toEqual([['DELEGATION_UNLIMITED', '/validTo']]);
  });

  it('should require a decision number for an authorisation and an order only', () => {
    // given a TUQ, a TL. and a KT. without a decision number
    const { decision: _dropped, ...noDecision } = tuq();
    // when validated
    const authorisation = validateDelegation(noDecision, []);
    const order = validateDelegation({ ...noDecision, kind: 'order' }, []);
    const deputy = validateDelegation({ ...noDecision, kind: 'deputy' }, []);
    // then the TUQ and the TL. need one, the KT. does not
    expect(authorisation.issues.map((i) => i.path)).toEqual(['/decision']);
    expect(order.issues.map((i) => i.path)).toEqual(['/decision']);
    expect(deputy.ok).toBe(true);
  });

  it('should refuse self-delegation, re-delegation and unreadable dates', () => {
    // given three faulty delegations
    const self = tuq({ to: chairman.id });
    const again = tuq({ id: 'uq-02', from: { id: clerk.id, name: clerk.name, grants: clerk.grants }, to: 'u-z' });
    const unreadable = tuq({ validFrom: '01/03/2025' });
    // when validated against the recorded ones
    const codes = (d: Delegation): string[][] => validateDelegation(d, [tuq()]).issues.map((i) => [i.code, i.path]);
    // then each is reported at its field
    expect(codes(self)).toEqual([['DELEGATION_SELF', '/to']]);
    expect(codes(again)).toEqual([['DELEGATION_REDELEGATION', '/from']]);
    expect(codes({ ...again, derivedFrom: 'uq-01' })).toEqual([['DELEGATION_REDELEGATION', '/derivedFrom']]);
    expect(codes(unreadable)).toEqual([['DELEGATION_DATE_INVALID', '/validFrom']]);
  });

  it('should flag an empty scope list and a delegator with nothing to give', () => {
    // given a scope with no roles, and a delegator who holds nothing in scope
    const empty = tuq({ scope: { roles: [] } });
    const hollow = tuq({ from: { id: director.id, name: director.name, grants: director.grants } });
    // when validated
    // then both are errors
    expect(validateDelegation(empty, []).issues.map((i) => i.code)).toContain('DELEGATION_SCOPE_EMPTY');
    expect(validateDelegation(hollow, []).issues.map((i) => [i.code, i.path])).toEqual([['DELEGATION_NOTHING_TO_DELEGATE', '/from/grants']]);
  });

  it('should not throw on something that is not a delegation', () => {
    // given garbage
    // when validated
    const result = validateDelegation(null as unknown as Delegation, null as unknown as Delegation[]);
    // then one issue covers the whole document
    expect(result).toMatchObject({ ok: false, issues: [{ code: 'DELEGATION_MALFORMED', path: '' }] });
  });
});

describe('previewSigning', () => {
  it('should preview the same block resolveAuthority returns', () => {
    // given the March TUQ and the deputy kind of it
    for (const d of [tuq(), tuq({ kind: 'deputy' })]) {
      // when previewed for the clerk and resolved for her
      const preview = previewSigning({ delegation: d, delegate: clerk, units });
      const decision = resolveAuthority(ask({ delegations: [d] }));
      // then both agree
      expect(decision.ok && decision.signing).toEqual(preview);
    }
  });

  it('should follow derivedFrom to print a chain', () => {
    // given an order to the chief of office and her hand-on to her deputy
    const order: Delegation = {
      id: 'tl-01', kind: 'order', to: officeChief.id, scope: {},
      from: { id: director.id, name: director.name, grants: director.grants },
      validFrom: '2025-01-01T00:00:00+07:00', validTo: '2026-01-01T00:00:00+07:00',
    };
    const handOn: Delegation = {
      ...order, id: 'kt-01', kind: 'deputy', to: officeDeputy.id, derivedFrom: 'tl-01',
      from: { id: officeChief.id, name: officeChief.name, grants: [{ role: 'signer', unit: 'so-tp', title: 'CHÁNH VĂN PHÒNG' }] },
    };
    // when previewed with the recorded delegations
    const preview = previewSigning({ delegation: handOn, delegate: { name: 'Hoàng Văn Em' }, units, delegations: [order] });
    // then the order's line stays on top
    expect(preview.lines).toEqual(['TL. GIÁM ĐỐC', 'KT. CHÁNH VĂN PHÒNG', 'Hoàng Văn Em']);
  });
});

describe('delegatedReach', () => {
  const reach = (delegations: Delegation[], now = NOW) => delegatedReach({ actor: clerk, now, delegations, units });

  it('should reach only the role, unit and procedures of the scope, while the delegation is in force', () => {
    // given the March TUQ for one procedure
    // when the clerk's reach is asked in March, before March and in April
    // then it is the approver role at the commune for that procedure alone, and nothing outside the period
    expect(reach([tuq()])).toEqual([{ delegationId: 'uq-01', role: 'approver', unit: 'ubnd-xa', procedures: ['chung-thuc-ban-sao'] }]);
    expect(reach([tuq()], '2025-02-28T09:00:00+07:00')).toEqual([]);
    expect(reach([tuq()], '2025-04-01T09:00:00+07:00')).toEqual([]);
    expect(reach([tuq({ revokedAt: '2025-03-05T00:00:00+07:00' })])).toEqual([]);
  });

  it('should reach every procedure when the scope names none, and agree with resolveAuthority', () => {
    // given a TUQ without a procedure list
    const open = tuq({ scope: { roles: ['approver'] } });
    // when asked
    const [only] = reach([open]);
    // then every procedure is covered, as the engine allows any of them
    expect(only).toMatchObject({ role: 'approver', unit: 'ubnd-xa', procedures: null });
    expect(resolveAuthority(ask({ delegations: [open], procedure: 'any-other' })).ok).toBe(true);
  });

  it('should reach nothing through a re-delegated authorisation', () => {
    // given the clerk received from the vice-chair what the vice-chair had by authorisation
    const first = tuq({ id: 'uq-a', from: { id: chairman.id, name: chairman.name, grants: chairman.grants }, to: viceChair.id });
    const again = tuq({ id: 'uq-b', from: { id: viceChair.id, name: viceChair.name, grants: [] }, derivedFrom: 'uq-a' });
    // then the clerk reaches nothing
    expect(reach([first, again])).toEqual([]);
  });
});
