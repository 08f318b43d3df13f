import Type from 'typebox';
import type { Api } from '../http/api';
import type { Deps } from '../deps';
import { createUnit, deleteUnit, getUnit, listUnits, updateUnit } from './units';
import { createUser, getUser, listUsers, resetPassword, unitOfficers, updateUser } from './users';
import { createDelegation, getDelegation, listDelegations, previewDelegation, revokeDelegation } from './delegations';
import { AuditQuery, AuditSchema, listAudit } from './audit';
import { deleteCalendar, effectiveCalendar, listCalendars, putCalendar, putYear, yearDays } from './calendars';
import {
  AdminUserSchema, CalendarBody, CalendarOut, DaysOut, DelegationCreateBody, DelegationIdParams, DelegationPreviewBody,
  DelegationQuery, DelegationSchema, ListOf, OfficerSchema, OfficersQuery, PasswordBody, ScopeParams, SigningSchema,
  UnitCodeParams, UnitCreateBody, UnitQuery, UnitSchema, UnitUpdateBody, UserCreateBody, UserIdParams, UserQuery,
  UserUpdateBody, YearBody, YearParams,
} from './schemas';

const ADMIN = ['admin'];

/** Administration: units, users and their roles, delegations, working calendars — each within the administrator's subtree. */
export function adminRoutes(api: Api, deps: Deps): void {
  // ---- units ----
  api.add({
    method: 'get', path: '/api/units', summary: 'Units you administer, parents before children', tags: ['admin'], access: ADMIN,
    query: UnitQuery, response: ListOf(UnitSchema),
  }, async ({ user, query }) => ({ items: await listUnits(deps, user!, query) }));

  api.add({
    method: 'get', path: '/api/units/:code', summary: 'A unit you administer', tags: ['admin'], access: ADMIN,
    params: UnitCodeParams, response: UnitSchema, errors: { 403: 'Outside your units', 404: 'No such unit' },
  }, async ({ user, params }) => getUnit(deps, user!, params.code));

  api.add({
    method: 'post', path: '/api/units', summary: 'Create a unit below one you administer', tags: ['admin'], access: ADMIN,
    body: UnitCreateBody, response: UnitSchema, status: 201, errors: { 403: 'Parent outside your units', 409: 'Code taken' },
  }, async ({ user, body }) => createUnit(deps, user!, body));

  api.add({
    method: 'patch', path: '/api/units/:code', summary: 'Rename a unit, set its collective name, head title and one-stop body (which issues slips 01–03), move it, or name the province that holds it (vertical agencies)', tags: ['admin'],
    access: ADMIN, params: UnitCodeParams, body: UnitUpdateBody, response: UnitSchema,
    errors: { 403: 'Outside your units, or the kind of a unit you administer only at that unit', 404: 'No such unit', 422: 'Unknown parent or a cycle' },
  }, async ({ user, params, body }) => updateUnit(deps, user!, params.code, body));

  api.add({
    method: 'delete', path: '/api/units/:code', summary: 'Delete a unit without units below, users or dossiers', tags: ['admin'],
    access: ADMIN, params: UnitCodeParams, errors: { 403: 'Outside your units', 404: 'No such unit', 409: 'The unit is in use' },
  }, async ({ user, params }) => deleteUnit(deps, user!, params.code));

  api.add({
    method: 'get', path: '/api/units/:code/officers', summary: 'Active officers of a unit, for pickers (its officers, those above it, administrators)',
    tags: ['admin'], access: 'user', params: UnitCodeParams, query: OfficersQuery, response: ListOf(OfficerSchema),
    errors: { 403: 'Not your unit', 404: 'No such unit' },
  }, async ({ user, params, query }) => unitOfficers(deps, user!, params.code, query.role));

  // ---- users ----
  api.add({
    method: 'get', path: '/api/users', summary: 'Users holding a role at the units you administer', tags: ['admin'], access: ADMIN,
    query: UserQuery,
    response: Type.Object({ items: Type.Array(AdminUserSchema), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() }),
  }, async ({ user, query }) => listUsers(deps, user!, query));

  api.add({
    method: 'get', path: '/api/users/:id', summary: 'A user with their roles', tags: ['admin'], access: ADMIN,
    params: UserIdParams, response: AdminUserSchema, errors: { 403: 'Not at your units', 404: 'No such user' },
  }, async ({ user, params }) => getUser(deps, user!, params.id));

  api.add({
    method: 'post', path: '/api/users', summary: 'Create a user with roles at units you administer', tags: ['admin'], access: ADMIN,
    body: UserCreateBody, response: AdminUserSchema, status: 201,
    errors: { 403: 'A unit outside yours', 409: 'Username taken', 422: 'Invalid or weak password, unknown unit' },
  }, async ({ user, body }) => createUser(deps, user!, body));

  api.add({
    method: 'patch', path: '/api/users/:id', summary: 'Rename, lock or unlock a user, or replace their roles at your units', tags: ['admin'],
    access: ADMIN, params: UserIdParams, body: UserUpdateBody, response: AdminUserSchema,
    errors: { 403: 'Not at your units', 404: 'No such user', 422: 'Invalid roles, or locking yourself out' },
  }, async ({ user, params, body }) => updateUser(deps, user!, params.id, body));

  api.add({
    method: 'post', path: '/api/users/:id/password', summary: 'Set a new password for a user', tags: ['admin'], access: ADMIN,
    params: UserIdParams, body: PasswordBody, errors: { 403: 'Not at your units', 404: 'No such user', 422: 'Weak password' },
  }, async ({ user, params, body }) => resetPassword(deps, user!, params.id, body.password));

  // ---- delegations ----
  api.add({
    method: 'get', path: '/api/delegations', summary: 'Delegations you made, received, or administer', tags: ['delegations'], access: 'user',
    query: DelegationQuery, response: ListOf(DelegationSchema),
  }, async ({ user, query }) => listDelegations(deps, user!, query));

  api.add({
    method: 'post', path: '/api/delegations/preview', summary: 'The signature block a draft delegation gives (TUQ., KT., TL., Q.)', tags: ['delegations'],
    access: 'user', body: DelegationPreviewBody,
    response: Type.Intersect([SigningSchema, Type.Object({ issues: Type.Array(Type.Unknown()) })]),
    errors: { 403: 'Neither the delegator nor their administrator' },
  }, async ({ user, body }) => previewDelegation(deps, user!, body));

  api.add({
    method: 'post', path: '/api/delegations', summary: 'Record a delegation (by an administrator of its units, or the delegator)', tags: ['delegations'],
    access: 'user', body: DelegationCreateBody, response: DelegationSchema, status: 201,
    errors: { 403: 'Neither the delegator nor their administrator', 422: 'Checked by the engine: period, scope, re-delegation…' },
  }, async ({ user, body }) => createDelegation(deps, user!, body));

  api.add({
    method: 'get', path: '/api/delegations/:id', summary: 'A delegation with its signature block', tags: ['delegations'], access: 'user',
    params: DelegationIdParams, response: DelegationSchema, errors: { 403: 'Not yours', 404: 'No such delegation' },
  }, async ({ user, params }) => getDelegation(deps, user!, params.id));

  api.add({
    method: 'post', path: '/api/delegations/:id/revoke', summary: 'Revoke a delegation from now on', tags: ['delegations'], access: 'user',
    params: DelegationIdParams, response: DelegationSchema,
    errors: { 403: 'Neither the delegator nor their administrator', 404: 'No such delegation', 409: 'Already revoked' },
  }, async ({ user, params }) => revokeDelegation(deps, user!, params.id));

  // ---- audit ----
  api.add({
    method: 'get', path: '/api/audit', summary: 'Audit log of delegations, roles and the catalog at your units, newest first (append-only)',
    tags: ['admin'], access: ADMIN, query: AuditQuery, response: ListOf(AuditSchema),
  }, async ({ user, query }) => listAudit(deps, user!, query));

  // ---- calendars ----
  api.add({
    method: 'get', path: '/api/calendars', summary: 'Scopes with their own working calendar', tags: ['calendars'], access: ADMIN,
    response: ListOf(Type.Object({ scope: Type.String(), updatedAt: Type.Union([Type.String(), Type.Null()]) })),
  }, async ({ user }) => listCalendars(deps, user!));

  api.add({
    method: 'get', path: '/api/calendars/:scope', summary: "The calendar that applies to '*' or a unit (own, inherited or the built-in default)",
    tags: ['calendars'], access: ADMIN, params: ScopeParams, response: CalendarOut, errors: { 403: 'Outside your units', 404: 'No such unit' },
  }, async ({ user, params }) => effectiveCalendar(deps, user!, params.scope));

  api.add({
    method: 'put', path: '/api/calendars/:scope', summary: 'Replace the calendar configuration of a scope', tags: ['calendars'], access: ADMIN,
    params: ScopeParams, body: CalendarBody, response: CalendarOut,
    errors: { 403: "Outside your units ('*': province administrators)", 404: 'No such unit', 422: 'Invalid configuration' },
  }, async ({ user, params, body }) => putCalendar(deps, user!, params.scope, body));

  api.add({
    method: 'delete', path: '/api/calendars/:scope', summary: 'Drop the own calendar of a scope (it inherits again)', tags: ['calendars'],
    access: ADMIN, params: ScopeParams, errors: { 403: 'Outside your units', 404: 'No own calendar' },
  }, async ({ user, params }) => deleteCalendar(deps, user!, params.scope));

  api.add({
    method: 'put', path: '/api/calendars/:scope/years/:year', summary: "Replace one year's holidays, swapped working days and days off",
    tags: ['calendars'], access: ADMIN, params: YearParams, body: YearBody, response: CalendarOut,
    errors: { 403: 'Outside your units', 404: 'No such unit', 422: 'Invalid dates' },
  }, async ({ user, params, body }) => putYear(deps, user!, params.scope, params.year, body));

  api.add({
    method: 'get', path: '/api/calendars/:scope/years/:year/days', summary: 'Every non-working day of a year with its reason', tags: ['calendars'],
    access: ADMIN, params: YearParams, response: DaysOut, errors: { 403: 'Outside your units', 404: 'No such unit' },
  }, async ({ user, params }) => yearDays(deps, user!, params.scope, params.year));
}
