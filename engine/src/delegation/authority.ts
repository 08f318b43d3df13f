/**
 * Deciding authority: may an officer act with a role at a unit now, on their own grants or
 * through delegations made to them (ủy quyền, thừa lệnh, ký thay, quyền), checked for scope,
 * period, revocation and re-delegation; and how they sign. Validating a delegation before it
 * is recorded is ./validate.ts.
 */
import type { LocalizedText } from '../definition/types';
import { cap, isKind, isRecord, KINDS, needsDecision, nonEmpty, parseInstant, unitLabel, type Units } from './common';
import { delegationSigning, delegatorTitle, findGrant, grantsOf, ownSigning, show, signatoryLine } from './signing';
import type { Signatory } from './signing';
import type {
  AuthorityDecision,
  AuthorityRefusalCode,
  AuthorityRequest,
  Delegation,
  SigningFormula,
} from './types';

function describe(d: Delegation): LocalizedText {
  const kind = KINDS[d.kind];
  return { vi: `${kind.vi} "${d.id}" của ${d.from.name}`, en: `${kind.en} "${d.id}" from ${d.from.name}` };
}

function list(values: readonly string[]): string {
  return values.map((v) => `"${v}"`).join(', ');
}

interface Query {
  role: string;
  unit: string;
  procedure?: string;
  now: number;
  delegations: Delegation[];
  units: Units;
}

/** A refusal with how much it says about the request: 2 in scope, 1 unreadable, 0 out of scope. */
interface Refusal {
  ok: false;
  code: AuthorityRefusalCode;
  message: LocalizedText;
  relevance: 0 | 1 | 2;
  delegationId: string;
}

type Check = { ok: true; formula: SigningFormula } | Refusal;

function refuse(d: Delegation, code: AuthorityRefusalCode, relevance: Refusal['relevance'], vi: string, en: string): Refusal {
  const what = describe(d);
  return { ok: false, code, relevance, delegationId: show(d.id), message: { vi: `${cap(what.vi)}: ${vi}`, en: `${cap(what.en)}: ${en}` } };
}

function shapeProblem(d: unknown): string | undefined {
  if (!isRecord(d)) return 'not an object';
  if (!nonEmpty(d.id)) return 'id';
  if (!isKind(d.kind)) return 'kind';
  if (!isRecord(d.from) || !nonEmpty(d.from.id) || typeof d.from.name !== 'string') return 'from';
  if (!isRecord(d.scope)) return 'scope';
  for (const key of ['roles', 'units', 'procedures']) {
    const v = d.scope[key];
    if (v !== undefined && !(Array.isArray(v) && v.every((x) => typeof x === 'string'))) return `scope.${key}`;
  }
  return undefined;
}

function scopeRefusal(d: Delegation, q: Query): Refusal | undefined {
  const { roles, units, procedures } = d.scope;
  if (roles !== undefined && !roles.includes(q.role)) {
    return refuse(d, 'DELEGATION_OUT_OF_SCOPE', 0,
      `chỉ giao các vai trò ${list(roles)}, không gồm vai trò "${q.role}"`,
      `covers roles ${list(roles)} only, not role "${q.role}"`);
  }
  if (units !== undefined && !units.includes(q.unit)) {
    return refuse(d, 'DELEGATION_OUT_OF_SCOPE', 0,
      `chỉ áp dụng tại ${units.map((u) => unitLabel(q.units, u)).join(', ')}, không gồm ${unitLabel(q.units, q.unit)}`,
      `applies at ${units.map((u) => unitLabel(q.units, u)).join(', ')} only, not at ${unitLabel(q.units, q.unit)}`);
  }
  if (procedures !== undefined && (q.procedure === undefined || !procedures.includes(q.procedure))) {
    return q.procedure === undefined
      ? refuse(d, 'DELEGATION_OUT_OF_SCOPE', 0,
        `chỉ áp dụng cho thủ tục ${list(procedures)}, yêu cầu không nêu thủ tục nào`,
        `applies to procedures ${list(procedures)} only, and the request names no procedure`)
      : refuse(d, 'DELEGATION_OUT_OF_SCOPE', 0,
        `chỉ áp dụng cho thủ tục ${list(procedures)}, không gồm thủ tục "${q.procedure}"`,
        `applies to procedures ${list(procedures)} only, not to procedure "${q.procedure}"`);
  }
  return undefined;
}

const REDELEGATION_VI = 'quyền của người giao do được giao lại từ ủy quyền hoặc ủy quyền được lập từ quyền được giao; ủy quyền không được ủy quyền lại';
const REDELEGATION_EN = "the delegator's authority was itself delegated and an authorisation is involved; an authorisation may not be passed on again";

/** Where the delegator's authority comes from: their own grant, or a parent delegation to them. */
type Source = { parent?: Delegation; refusal?: Refusal };

// Real chains are one or two links (TL. then KT.); the cap keeps a tangle of delegations from exploding.
const MAX_CHAIN = 4;

function sourceOf(d: Delegation, q: Query, seen: ReadonlySet<string>): Source {
  const own = findGrant(d.from.grants, q.role, q.unit);
  const noGrant = (): Refusal => refuse(d, 'DELEGATION_OUT_OF_SCOPE', 0,
    `${d.from.name} không có vai trò "${q.role}" tại ${unitLabel(q.units, q.unit)} để giao`,
    `${d.from.name} holds no role "${q.role}" at ${unitLabel(q.units, q.unit)} to delegate`);
  const redelegation = (): Refusal => refuse(d, 'REDELEGATION_FORBIDDEN', 2, REDELEGATION_VI, REDELEGATION_EN);
  if (nonEmpty(d.derivedFrom)) {
    if (d.kind === 'authorisation') return { refusal: redelegation() };
    const parent = q.delegations.find((p) => p.id === d.derivedFrom);
    if (parent?.kind === 'authorisation') return { refusal: redelegation() };
    if (parent !== undefined) return { parent };
    // The parent is not at hand: trust the grants recorded on the delegation.
    return own === undefined ? { refusal: noGrant() } : {};
  }
  if (own !== undefined) return {};
  // No recorded grant: the delegator may hold the role only through a delegation to them.
  // Only one unrecorded link is inferred (longer chains name their links in `derivedFrom`),
  // so the search stays linear however the delegations are tangled.
  const delegator: Signatory = { name: d.from.name, grants: grantsOf(d.from.grants) };
  const candidates = q.delegations
    .filter((p) => seen.size < MAX_CHAIN && p.id !== d.id && p.to === d.from.id && !seen.has(p.id))
    .filter((p) => isRecord(p.from) && (nonEmpty(p.derivedFrom) || findGrant(p.from.grants, q.role, q.unit) !== undefined))
    .map((p) => ({ p, result: check(p, delegator, q, new Set([...seen, d.id])) }))
    .filter(({ result }) => result.ok || result.relevance === 2);
  if (candidates.length === 0) return { refusal: noGrant() };
  if (d.kind === 'authorisation') return { refusal: redelegation() };
  const usable = candidates.find(({ p, result }) => result.ok && p.kind !== 'authorisation');
  if (usable !== undefined) return { parent: usable.p };
  if (candidates.some(({ p }) => p.kind === 'authorisation')) return { refusal: redelegation() };
  return { parent: candidates[0]?.p };
}

function periodRefusal(d: Delegation, q: Query): Refusal | undefined {
  const from = parseInstant(d.validFrom);
  const openEnded = d.validTo === undefined || d.validTo === null || d.validTo === '';
  const to = openEnded ? Infinity : parseInstant(d.validTo);
  const revoked = d.revokedAt === undefined || d.revokedAt === null ? undefined : parseInstant(d.revokedAt);
  if (from === undefined) {
    return refuse(d, 'NO_AUTHORITY', 2, `ngày bắt đầu hiệu lực "${show(d.validFrom)}" không hợp lệ (cần thời điểm ISO 8601 có múi giờ)`,
      `start date "${show(d.validFrom)}" is not valid (an ISO 8601 instant with an offset is required)`);
  }
  if (openEnded && needsDecision(d.kind)) {
    return refuse(d, 'NO_AUTHORITY', 2, `${KINDS[d.kind].vi} phải có thời hạn nhưng không có ngày hết hiệu lực`,
      `an ${KINDS[d.kind].en} must be time-limited but has no end date`);
  }
  if (to === undefined) {
    return refuse(d, 'NO_AUTHORITY', 2, `ngày hết hiệu lực "${show(d.validTo)}" không hợp lệ (cần thời điểm ISO 8601 có múi giờ)`,
      `end date "${show(d.validTo)}" is not valid (an ISO 8601 instant with an offset is required)`);
  }
  if (revoked === undefined && d.revokedAt !== undefined && d.revokedAt !== null) {
    return refuse(d, 'NO_AUTHORITY', 2, `ngày thu hồi "${show(d.revokedAt)}" không hợp lệ`,
      `revocation date "${show(d.revokedAt)}" is not valid`);
  }
  if (to <= from) {
    return refuse(d, 'NO_AUTHORITY', 2, `thời hạn rỗng: hết hiệu lực (${d.validTo}) không sau ngày bắt đầu (${d.validFrom})`,
      `empty period: the end (${d.validTo}) is not after the start (${d.validFrom})`);
  }
  if (revoked !== undefined && revoked <= q.now) {
    return refuse(d, 'DELEGATION_REVOKED', 2, `đã bị thu hồi từ ${d.revokedAt}`, `was revoked at ${d.revokedAt}`);
  }
  if (q.now < from) {
    return refuse(d, 'DELEGATION_NOT_YET_VALID', 2, `chỉ có hiệu lực từ ${d.validFrom}`, `is valid only from ${d.validFrom}`);
  }
  if (q.now >= to) {
    return refuse(d, 'DELEGATION_EXPIRED', 2, `đã hết hiệu lực từ ${d.validTo}`, `expired at ${d.validTo}`);
  }
  return undefined;
}

/** Checks one delegation for a request, following the delegator's own authority when it was delegated. */
function check(d: Delegation, delegate: Signatory, q: Query, seen: ReadonlySet<string>): Check {
  const problem = shapeProblem(d);
  if (problem !== undefined) {
    const id = isRecord(d) ? show(d.id) : '?';
    return { ok: false, code: 'NO_AUTHORITY', relevance: 1, delegationId: id,
      message: { vi: `Bản giao quyền "${id}" không đúng cấu trúc (${problem})`, en: `Delegation "${id}" is malformed (${problem})` } };
  }
  if (d.from.id === d.to) {
    return refuse(d, 'NO_AUTHORITY', 1, 'người giao và người nhận là một', 'the delegator and the delegate are the same person');
  }
  const outOfScope = scopeRefusal(d, q);
  if (outOfScope !== undefined) return outOfScope;
  const source = sourceOf(d, q, seen);
  if (source.refusal !== undefined) return source.refusal;
  const period = periodRefusal(d, q);
  if (period !== undefined) return period;
  const { parent } = source;
  let parentFormula: SigningFormula | undefined;
  if (parent !== undefined) {
    if (seen.has(parent.id) || parent.id === d.id || seen.size >= MAX_CHAIN) {
      return refuse(d, 'NO_AUTHORITY', 2, `chuỗi giao quyền lặp vòng hoặc quá dài tại "${parent.id}"`, `the chain of delegations loops or is too long at "${parent.id}"`);
    }
    if (parent.to !== d.from.id) {
      return refuse(d, 'NO_AUTHORITY', 2, `dẫn xuất từ "${parent.id}", vốn không giao cho ${d.from.name}`,
        `derives from "${parent.id}", which was not made to ${d.from.name}`);
    }
    const delegator: Signatory = { name: d.from.name, grants: grantsOf(d.from.grants) };
    const upstream = check(parent, delegator, q, new Set([...seen, d.id]));
    if (!upstream.ok) {
      return { ...upstream, relevance: 2, delegationId: d.id, message: {
        vi: `${cap(describe(d).vi)} dựa trên quyền được giao: ${upstream.message.vi}`,
        en: `${cap(describe(d).en)} rests on delegated authority: ${upstream.message.en}`,
      } };
    }
    parentFormula = upstream.formula;
  }
  return {
    ok: true,
    formula: delegationSigning({
      kind: d.kind,
      unit: q.units[q.unit],
      delegatorTitle: delegatorTitle(d, q.role, q.unit),
      delegateLine: signatoryLine(delegate, q.role, q.unit),
      signer: show(delegate.name),
      parent: parent === undefined || parentFormula === undefined ? undefined : { kind: parent.kind, formula: parentFormula },
    }),
  };
}

function byId(a: Delegation, b: Delegation): number {
  const x = show(a.id);
  const y = show(b.id);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Decides whether an actor may act with a role at a unit now, and how they sign; pure, never throws. */
export function resolveAuthority(req: AuthorityRequest): AuthorityDecision {
  const r: { [key: string]: unknown } = isRecord(req) ? req : {};
  const actor: { [key: string]: unknown } = isRecord(r.actor) ? r.actor : {};
  const name = show(actor.name ?? actor.id ?? '?');
  const role = show(r.role ?? '');
  const unit = show(r.unit ?? '');
  const units: Units = isRecord(r.units) ? (r.units as Units) : {};
  const own = findGrant(actor.grants, role, unit);
  if (own !== undefined) return { ok: true, signing: ownSigning(own, units[unit], name) };

  const none: LocalizedText = {
    vi: `${name} không có vai trò "${role}" tại ${unitLabel(units, unit)}`,
    en: `${name} holds no role "${role}" at ${unitLabel(units, unit)}`,
  };
  const all = (Array.isArray(r.delegations) ? (r.delegations as unknown[]) : [])
    .filter((d): d is Delegation => isRecord(d))
    .sort(byId);
  const mine = all.filter((d) => actor.id !== undefined && d.to === actor.id);
  if (mine.length === 0) {
    return { ok: false, code: 'NO_AUTHORITY', message: {
      vi: `${none.vi} và không được giao hay ủy quyền vai trò này`,
      en: `${none.en} and no delegation grants it`,
    } };
  }
  const now = parseInstant(r.now);
  if (now === undefined) {
    return { ok: false, code: 'NO_AUTHORITY', message: {
      vi: `${none.vi}; không xét được việc giao quyền vì thời điểm "${show(r.now)}" không hợp lệ`,
      en: `${none.en}; delegations cannot be checked because the time "${show(r.now)}" is not valid`,
    } };
  }
  const procedure = typeof r.procedure === 'string' ? r.procedure : undefined;
  const q: Query = { role, unit, procedure, now, delegations: all, units };
  const delegate: Signatory = { name, grants: grantsOf(actor.grants) };
  let best: Refusal | undefined;
  for (const d of mine) {
    const result = check(d, delegate, q, new Set());
    if (result.ok) {
      const title = delegatorTitle(d, role, unit);
      return {
        ok: true,
        onBehalfOf: { id: d.from.id, name: d.from.name, ...(title === undefined ? {} : { title }) },
        delegationId: d.id,
        signing: result.formula,
      };
    }
    if (best === undefined || result.relevance > best.relevance) best = result;
  }
  if (best === undefined) return { ok: false, code: 'NO_AUTHORITY', message: none };
  return {
    ok: false,
    code: best.code,
    delegationId: best.delegationId,
    message: { vi: `${none.vi}; ${best.message.vi}`, en: `${none.en}; ${best.message.en}` },
  };
}

/** Where a delegation lets its delegate act now: a role at a unit, for some procedures or all (`null`). */
export interface DelegatedReach {
  delegationId: string;
  role: string;
  unit: string;
  procedures: string[] | null;
}

/**
 * Every role and unit where delegations let an actor act now, with the procedures they cover:
 * exactly what `resolveAuthority` would allow (same scope, period, revocation and
 * re-delegation checks), so that what a delegate may see follows what they may do. Roles the
 * actor holds themselves are left out. Pure, never throws.
 */
export function delegatedReach(req: Omit<AuthorityRequest, 'role' | 'unit' | 'procedure'>): DelegatedReach[] {
  const r: { [key: string]: unknown } = isRecord(req) ? req : {};
  const actor: { [key: string]: unknown } = isRecord(r.actor) ? r.actor : {};
  const now = parseInstant(r.now);
  if (now === undefined || actor.id === undefined) return [];
  const units: Units = isRecord(r.units) ? (r.units as Units) : {};
  const all = (Array.isArray(r.delegations) ? (r.delegations as unknown[]) : [])
    .filter((d): d is Delegation => isRecord(d))
    .sort(byId);
  const mine = all.filter((d) => d.to === actor.id);
  if (mine.length === 0) return [];
  // A delegation can only hand on what some delegator holds: their grants are the candidates.
  const pairs = new Map<string, { role: string; unit: string }>();
  for (const d of all) {
    if (!isRecord(d.from)) continue;
    for (const g of grantsOf(d.from.grants)) pairs.set(`${g.role}\u0000${g.unit}`, { role: g.role, unit: g.unit });
  }
  // Procedures named in any scope; any other procedure is allowed exactly when "no procedure" is.
  const named = [...new Set(all.flatMap((d) => (isRecord(d.scope) && Array.isArray(d.scope.procedures) ? d.scope.procedures : [])))]
    .filter((p): p is string => typeof p === 'string').sort();
  const delegate: Signatory = { name: show(actor.name ?? actor.id), grants: grantsOf(actor.grants) };
  const out: DelegatedReach[] = [];
  for (const d of mine) {
    for (const { role, unit } of pairs.values()) {
      if (findGrant(actor.grants, role, unit) !== undefined) continue;
      const q: Query = { role, unit, now, delegations: all, units };
      if (check(d, delegate, q, new Set()).ok) {
        out.push({ delegationId: show(d.id), role, unit, procedures: null });
        continue;
      }
      const procedures = named.filter((p) => check(d, delegate, { ...q, procedure: p }, new Set()).ok);
      if (procedures.length > 0) out.push({ delegationId: show(d.id), role, unit, procedures });
    }
  }
  return out;
}

