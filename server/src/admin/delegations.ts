/**
 * Delegations (ủy quyền, ký thay, thừa lệnh, quyền): recorded by an administrator of the
 * delegator's units or by the delegator, checked by the engine, revoked by setting `revokedAt`.
 */
import { randomUUID } from 'node:crypto';
import type { Static } from 'typebox';
import {
  previewSigning, validateDelegation,
  type Delegation, type DelegationKind, type ProcedureDefinition, type DelegationScope, type Grant, type SigningFormula, type ValidationIssue,
} from '@motcua/engine';
import type { AuthUser } from '../auth/service';
import { accessChanged } from '../auth/service';
import type { Deps } from '../deps';
import {
  delegationRow, delegationRowsTo, delegationRowsById, insertDelegationRow, listDelegationRows, openTwinRows, peopleRows,
  revokeDelegationRow, sourceRows, upstreamRows, type DelegationRow,
} from './repo';
import { HttpError, forbidden, notFound } from '../http/errors';
import { iso } from '../db/time';
import { adminScope, conflict, grantOf, instant, invalid, invalidField } from './common';
import { audit } from './audit';
import { versionInForce } from '../catalog/service';
import { kindMessage, mayDecide } from '../catalog/service';
import type { DelegationCreateBody, DelegationPreviewBody, DelegationQuery } from './schemas';

type Row = DelegationRow;
type Person = { id: string; name: string; active: boolean; grants: Grant[] };
export type DelegationStatus = 'active' | 'pending' | 'expired' | 'revoked';

/** Stored open-ended delegations (not authorisations) end here for the engine, which wants an instant. */
const OPEN_END = '9999-12-31T23:59:59.999Z';
const MAX_CHAIN = 5;
const DELEGATION = { vi: 'bản giao quyền', en: 'delegation' };

async function people(deps: Deps, ids: string[]): Promise<Map<string, Person>> {
  const unique = [...new Set(ids)];
  const out = new Map<string, Person>();
  if (unique.length === 0) return out;
  const found = await peopleRows(deps, unique);
  for (const u of found.users) out.set(u.id, { ...u, grants: [] });
  for (const g of found.grants) out.get(g.userId)?.grants.push(grantOf(g));
  return out;
}

function toEngine(row: Row, from: Person | undefined): Delegation {
  return {
    id: row.id, kind: row.kind as DelegationKind, to: row.toUser, scope: row.scope as DelegationScope,
    from: { id: row.fromUser, name: from?.name ?? row.fromUser, grants: from?.grants ?? [] },
    validFrom: iso(row.validFrom), validTo: iso(row.validTo) ?? OPEN_END,
    ...(row.revokedAt ? { revokedAt: iso(row.revokedAt) } : {}),
    ...(row.decision ? { decision: row.decision } : {}),
    ...(row.derivedFrom ? { derivedFrom: row.derivedFrom } : {}),
  };
}

/**
 * Delegations to a user in force at `at`, as the engine's `resolveAuthority` wants them (each
 * delegator with their grants), followed by the delegations their delegators' authority rests on
 * (named in `derivedFrom`, or in force to the delegator), so chains such as TL. then KT. resolve.
 */
export async function activeDelegationsFor(deps: Deps, userId: string, at: Date): Promise<Delegation[]> {
  const when = at.toISOString();
  const rows = new Map<string, Row>();
  const visited = new Set<string>();
  let frontier = [userId];
  for (let depth = 0; depth < MAX_CHAIN && frontier.length > 0; depth++) {
    frontier.forEach((u) => visited.add(u));
    const found = await delegationRowsTo(deps, frontier, when);
    const fresh = found.filter((r) => !rows.has(r.id));
    fresh.forEach((r) => rows.set(r.id, r));
    const parents = [...new Set(fresh.map((r) => r.derivedFrom).filter((p): p is string => !!p && !rows.has(p)))];
    if (parents.length > 0) for (const r of await delegationRowsById(deps, parents)) rows.set(r.id, r);
    frontier = [...new Set([...rows.values()].map((r) => r.fromUser))].filter((u) => !visited.has(u));
  }
  const list = [...rows.values()];
  const who = await people(deps, list.map((r) => r.fromUser));
  // The user's own delegations first, then the ones they rest on.
  return list.sort((a, b) => Number(b.toUser === userId) - Number(a.toUser === userId)).map((r) => toEngine(r, who.get(r.fromUser)));
}

export function statusOf(row: Row, now: Date): DelegationStatus {
  const t = now.getTime();
  if (row.revokedAt && new Date(row.revokedAt).getTime() <= t) return 'revoked';
  if (new Date(row.validFrom).getTime() > t) return 'pending';
  if (row.validTo && new Date(row.validTo).getTime() <= t) return 'expired';
  return 'active';
}

/** Units a delegation covers: its scope's units, else the units where the delegator holds a role in scope. */
function coveredUnits(scope: DelegationScope, from: Person | undefined): string[] {
  if (scope.units && scope.units.length > 0) return scope.units;
  return [...new Set((from?.grants ?? []).filter((g) => !scope.roles || scope.roles.includes(g.role)).map((g) => g.unit))];
}

/**
 * Units a draft covers, counting what its delegator holds only by delegation: a delegate who
 * passes on a role handed to them (KT. resting on a KT. or TL.) hands on that role at the
 * unit of whoever gave it, a unit their own grants may not name. Without this, a specialist
 * made deputy in the leader role could hand it to another unit's officer on their own, the
 * units checked being only their own (none, for the leader role).
 */
function draftUnits(scope: DelegationScope, from: Person, upstream: readonly Delegation[], derivedFrom: string | undefined): string[] {
  if (scope.units && scope.units.length > 0) return scope.units;
  const within = (role: string) => !scope.roles || scope.roles.includes(role);
  const handedOn = upstream
    .filter((d) => (derivedFrom ? d.id === derivedFrom : d.to === from.id))
    .flatMap((d) => d.from.grants
      .filter((g) => within(g.role) && (!d.scope.roles || d.scope.roles.includes(g.role)) && (!d.scope.units || d.scope.units.includes(g.unit)))
      .map((g) => g.unit));
  return [...new Set([...coveredUnits(scope, from), ...handedOn])];
}

/**
 * Units each recorded delegation covers (`draftUnits`, with the delegations its delegator may
 * rest on, whatever their state now): who may see and revoke it follows who could record it.
 */
async function unitsOfRows(deps: Deps, rows: readonly Row[], who: Map<string, Person>): Promise<Map<string, string[]>> {
  // Only a delegation naming no unit may reach beyond its delegator's own grants.
  const open = rows.filter((r) => !((r.scope as DelegationScope).units?.length));
  const sources = await sourceRows(deps, [...new Set(open.map((r) => r.fromUser))], [...new Set(open.flatMap((r) => (r.derivedFrom ? [r.derivedFrom] : [])))]);
  const givers = await people(deps, sources.map((r) => r.fromUser));
  const upstream = sources.map((r) => toEngine(r, givers.get(r.fromUser)));
  return new Map(rows.map((r) => {
    const from = who.get(r.fromUser) ?? { id: r.fromUser, name: r.fromUser, active: false, grants: [] };
    return [r.id, draftUnits(r.scope as DelegationScope, from, upstream.filter((u) => u.id !== r.id), r.derivedFrom ?? undefined)];
  }));
}

/** Whether the user is the head (leader, position head) of a unit: the one who answers for it. */
const isHead = (user: AuthUser, unit: string): boolean =>
  user.grants.some((g) => g.role === 'leader' && g.position === 'head' && g.unit === unit);

/** The delegator may manage their own delegations; so may the head of each unit it covers, or an administrator of them all. */
async function mayManage(deps: Deps, user: AuthUser, fromId: string, covered: string[]): Promise<boolean> {
  if (user.id === fromId) return true;
  if (covered.length === 0) return false;
  const scope = await adminScope(deps, user);
  return covered.every((u) => scope.has(u) || isHead(user, u));
}

/**
 * Who may record a delegation (docs/delegation.md). Within a unit (the delegate holds a role at
 * every unit it covers): the delegator, the unit's head or an administrator of the unit. To a
 * delegate outside a covered unit: only that unit's head, or an administrator of a unit above
 * both it and one of the delegate's units — never the delegator on their own.
 */
async function mayRecord(deps: Deps, user: AuthUser, from: Person, to: Person, covered: string[]): Promise<void> {
  if (covered.length === 0) {
    if (user.id === from.id) return;
    throw refuse();
  }
  const scope = await adminScope(deps, user);
  for (const u of covered) {
    const inside = to.grants.some((g) => g.unit === u);
    const ok = inside
      ? user.id === from.id || isHead(user, u) || scope.has(u)
      : isHead(user, u) || (scope.has(u) && to.grants.some((g) => scope.has(g.unit)));
    if (ok) continue;
    if (inside) throw refuse();
    throw forbidden({
      vi: `Người được giao không thuộc đơn vị ${u}: chỉ người đứng đầu đơn vị ${u} hoặc quản trị viên của đơn vị cấp trên của cả hai bên mới được giao quyền`,
      en: `The delegate is not at unit ${u}: only the head of ${u}, or an administrator of a unit above both sides, may record this delegation`,
    });
  }
}

/** The delegator and the delegate see a delegation; so do the head and the administrators of one of its units. */
function mayView(user: AuthUser, scope: Set<string>, row: Row, covered: readonly string[]): boolean {
  if (user.id === row.fromUser || user.id === row.toUser) return true;
  return covered.some((u) => scope.has(u) || isHead(user, u));
}

const refuse = () => forbidden({
  vi: 'Chỉ người giao quyền hoặc quản trị viên của các đơn vị trong phạm vi giao mới được làm việc này',
  en: 'Only the delegator, or an administrator of every unit in its scope, may do this',
});

function view(row: Row, who: Map<string, Person>, now: Date) {
  return {
    id: row.id, kind: row.kind,
    from: { id: row.fromUser, name: who.get(row.fromUser)?.name ?? row.fromUser },
    to: { id: row.toUser, name: who.get(row.toUser)?.name ?? row.toUser },
    scope: row.scope as DelegationScope,
    validFrom: iso(row.validFrom), validTo: iso(row.validTo), revokedAt: iso(row.revokedAt),
    decision: row.decision ?? null, derivedFrom: row.derivedFrom ?? null,
    status: statusOf(row, now), createdBy: row.createdBy, createdAt: iso(row.createdAt),
  };
}

type Draft = Static<typeof DelegationPreviewBody>;

/**
 * A delegation limited to procedures only makes sense at units competent for them: each named
 * procedure's `competentUnitKinds` must include the kind of every unit the delegation covers.
 */
async function unitKindIssues(deps: Deps, scope: DelegationScope, covered: string[]): Promise<ValidationIssue[]> {
  const out: ValidationIssue[] = [];
  const now = deps.clock.now();
  for (const [i, id] of (scope.procedures ?? []).entries()) {
    const row = await versionInForce(deps, id, now);
    if (!row) continue;
    const def = row.definition as ProcedureDefinition;
    for (const code of covered) {
      const unit = await deps.directory.unit(code);
      if (!unit || mayDecide(def, unit)) continue;
      out.push({ code: 'DELEGATION_UNIT_KIND', path: `/scope/procedures/${i}`, message: kindMessage(def, unit) });
    }
  }
  return out;
}

/** Builds the engine's view of a draft and checks it against the delegations it may rest on. */
async function draft(deps: Deps, user: AuthUser, body: Draft, id: string) {
  const who = await people(deps, [body.from, body.to]);
  const from = who.get(body.from);
  const to = who.get(body.to);
  if (!from || !from.active) throw invalidField('USER_UNKNOWN', '/from', `Không có người dùng đang hoạt động "${body.from}"`, `No active user "${body.from}"`);
  if (!to || !to.active) throw invalidField('USER_UNKNOWN', '/to', `Không có người dùng đang hoạt động "${body.to}"`, `No active user "${body.to}"`);
  const upstream = await upstreamRows(deps, body.from, body.derivedFrom);
  const uppers = await people(deps, upstream.map((r) => r.fromUser));
  const existing = upstream.map((r) => toEngine(r, uppers.get(r.fromUser)));
  const covered = draftUnits(body.scope, from, existing, body.derivedFrom);
  // Who may record it first: a refused caller learns nothing of other delegations' ids.
  await mayRecord(deps, user, from, to, covered);
  if (body.derivedFrom && !upstream.some((r) => r.id === body.derivedFrom)) {
    throw invalidField('DELEGATION_PARENT_UNKNOWN', '/derivedFrom', `Không có bản giao quyền "${body.derivedFrom}"`, `No delegation "${body.derivedFrom}"`);
  }
  const delegation = {
    id, kind: body.kind, to: body.to, scope: body.scope,
    from: { id: from.id, name: from.name, grants: from.grants },
    validFrom: body.validFrom ?? deps.clock.now().toISOString(),
    validTo: body.validTo ?? undefined,
    ...(body.decision ? { decision: body.decision } : {}),
    ...(body.derivedFrom ? { derivedFrom: body.derivedFrom } : {}),
  } as Delegation;
  // The API names the delegator by id: issues about its name or grants point at `/from`.
  const issues = validateDelegation(delegation, existing).issues
    .map((i): ValidationIssue => (i.path.startsWith('/from/') ? { ...i, path: '/from' } : i));
  issues.push(...await unitKindIssues(deps, body.scope, covered));
  return { delegation, existing, from, to, issues, covered };
}

/** A canonical form of a scope, so that two scopes listing the same codes in another order compare equal. */
function scopeKey(scope: DelegationScope): string {
  const sorted = (v: string[] | undefined) => (v === undefined ? null : [...new Set(v)].sort());
  return JSON.stringify([sorted(scope.roles), sorted(scope.units), sorted(scope.procedures)]);
}

/** 409 when the same delegation (same people, kind and scope) is already recorded for an overlapping period. */
async function refuseDuplicate(deps: Deps, body: Static<typeof DelegationCreateBody>, from: Date, to: Date | null): Promise<void> {
  const rows = await openTwinRows(deps, body.from, body.to, body.kind);
  const key = scopeKey(body.scope);
  const twin = rows.find((r) => scopeKey(r.scope as DelegationScope) === key
    && (r.validTo === null || new Date(r.validTo).getTime() > from.getTime())
    && (to === null || new Date(r.validFrom).getTime() < to.getTime()));
  if (twin) {
    throw conflict('DELEGATION_DUPLICATE', `Đã có bản giao quyền giống hệt cho cùng thời gian: "${twin.id}"`,
      `The same delegation is already recorded for an overlapping period: "${twin.id}"`, { id: twin.id });
  }
}

/** Tells the delegator and the delegate (their `user:` rooms) that a delegation of theirs changed. */
function announce(deps: Deps, row: Row, change: 'created' | 'revoked', by: AuthUser): void {
  deps.bus.publish({ type: 'delegation.changed', delegationId: row.id, change, from: row.fromUser, to: row.toUser, by: { id: by.id, name: by.name } });
}

export async function createDelegation(deps: Deps, user: AuthUser, body: Static<typeof DelegationCreateBody>) {
  deps.directory.forget('delegations:');
  const id = `dlg-${randomUUID()}`;
  const { delegation, from, to, issues, covered } = await draft(deps, user, body, id);
  const errors = issues.filter((i) => i.severity !== 'warning');
  const period = { validFrom: instant(delegation.validFrom), validTo: body.validTo ? instant(body.validTo) : null };
  if (errors.length === 0 && !period.validFrom) errors.push({ code: 'DELEGATION_DATE_INVALID', path: '/validFrom', message: { vi: 'Ngày bắt đầu ngoài khoảng cho phép', en: 'The start is out of range' } });
  if (errors.length === 0 && body.validTo && !period.validTo) errors.push({ code: 'DELEGATION_DATE_INVALID', path: '/validTo', message: { vi: 'Ngày hết hiệu lực ngoài khoảng cho phép', en: 'The end is out of range' } });
  if (errors.length > 0) {
    throw invalid('DELEGATION_INVALID', { vi: 'Bản giao quyền không hợp lệ', en: 'The delegation is not valid' }, errors);
  }
  await refuseDuplicate(deps, body, period.validFrom!, period.validTo);
  const now = deps.clock.now();
  const row = await deps.db.transaction(async (tx) => {
    const inserted = await insertDelegationRow(tx, {
      id, kind: body.kind, fromUser: body.from, toUser: body.to, scope: body.scope,
      validFrom: period.validFrom!.toISOString(), validTo: period.validTo?.toISOString() ?? null,
      decision: body.decision ?? null, derivedFrom: body.derivedFrom ?? null, createdBy: user.id,
    });
    await audit(tx, now, {
      actor: user, action: 'delegation.created', subject: id, units: [...covered, ...to.grants.map((g) => g.unit)],
      details: { kind: body.kind, from: body.from, to: body.to, scope: body.scope, validFrom: inserted!.validFrom, validTo: inserted!.validTo, decision: body.decision ?? null },
    });
    return inserted!;
  });
  announce(deps, row, 'created', user);
  const who = new Map([[from.id, from], [to.id, to]]);
  // The delegate's open sockets rejoin, now with the delegator's rooms.
  accessChanged(deps, body.to);
  return { ...view(row, who, now), warnings: issues.filter((i) => i.severity === 'warning') };
}

export async function listDelegations(deps: Deps, user: AuthUser, query: Static<typeof DelegationQuery>) {
  const now = deps.clock.now().toISOString();
  const rows = await listDelegationRows(deps, { to: query.to, from: query.from, active: query.active, at: now });
  const who = await people(deps, rows.flatMap((r) => [r.fromUser, r.toUser]));
  const scope = await adminScope(deps, user);
  const units = await unitsOfRows(deps, rows, who);
  const visible = rows.filter((r) => mayView(user, scope, r, units.get(r.id) ?? [])).slice(0, query.limit ?? 200);
  return { items: visible.map((r) => view(r, who, deps.clock.now())) };
}

async function visibleRow(deps: Deps, user: AuthUser, id: string) {
  const row = await delegationRow(deps, id);
  if (!row) throw notFound(DELEGATION, id);
  const who = await people(deps, [row.fromUser, row.toUser]);
  const covered = (await unitsOfRows(deps, [row], who)).get(row.id) ?? [];
  if (!mayView(user, await adminScope(deps, user), row, covered)) {
    throw forbidden({ vi: `Bạn không được xem bản giao quyền "${id}"`, en: `You may not see delegation "${id}"` });
  }
  return { row, who, covered };
}

/** A delegation with the signature block its delegate prints. */
export async function getDelegation(deps: Deps, user: AuthUser, id: string) {
  const { row, who } = await visibleRow(deps, user, id);
  const chain = await activeDelegationsFor(deps, row.fromUser, deps.clock.now());
  const signing = previewSigning({
    delegation: toEngine(row, who.get(row.fromUser)),
    delegate: { name: who.get(row.toUser)?.name ?? row.toUser, grants: who.get(row.toUser)?.grants ?? [] },
    units: await deps.directory.unitInfos(), delegations: chain,
  });
  return { ...view(row, who, deps.clock.now()), signing };
}

export async function revokeDelegation(deps: Deps, user: AuthUser, id: string) {
  deps.directory.forget('delegations:');
  const { row, who, covered } = await visibleRow(deps, user, id);
  if (!(await mayManage(deps, user, row.fromUser, covered))) throw refuse();
  const now = deps.clock.now();
  if (row.revokedAt) {
    throw conflict('DELEGATION_ALREADY_REVOKED', `Bản giao quyền đã bị thu hồi lúc ${iso(row.revokedAt)}`, `The delegation was already revoked at ${iso(row.revokedAt)}`);
  }
  const updated = await deps.db.transaction(async (tx) => {
    const changed = await revokeDelegationRow(tx, id, now.toISOString());
    if (!changed) throw conflict('DELEGATION_ALREADY_REVOKED', 'Bản giao quyền vừa bị thu hồi', 'The delegation was just revoked');
    await audit(tx, now, {
      actor: user, action: 'delegation.revoked', subject: id,
      units: [...covered, ...(who.get(row.toUser)?.grants ?? []).map((g) => g.unit)],
      details: { from: row.fromUser, to: row.toUser },
    });
    return changed;
  });
  announce(deps, updated, 'revoked', user);
  // The delegate's open sockets leave the rooms the delegation let them into.
  accessChanged(deps, updated.toUser);
  return view(updated, who, now);
}

/** The signature block a draft delegation would give its delegate, with the issues that would stop it being saved. */
export async function previewDelegation(deps: Deps, user: AuthUser, body: Draft): Promise<SigningFormula & { issues: ValidationIssue[] }> {
  const { delegation, existing, to, issues } = await draft(deps, user, body, 'preview');
  if (body.unit !== undefined && !(await deps.directory.unit(body.unit))) {
    throw new HttpError(422, 'UNIT_UNKNOWN', { vi: `Không có đơn vị "${body.unit}"`, en: `No unit "${body.unit}"` },
      [{ path: '/unit', message: { vi: `Không có đơn vị "${body.unit}"`, en: `No unit "${body.unit}"` } }]);
  }
  const formula = previewSigning({
    delegation, delegate: { name: to.name, grants: to.grants }, units: await deps.directory.unitInfos(), delegations: existing,
    ...(body.role !== undefined ? { role: body.role } : {}), ...(body.unit !== undefined ? { unit: body.unit } : {}),
  });
  return { ...formula, issues };
}
