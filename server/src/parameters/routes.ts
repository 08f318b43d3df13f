import Type from 'typebox';
import type { Api } from '../http/api';
import type { Deps } from '../deps';
import { inForce, listValues, setValue } from './service';
import { instant } from '../admin/service';
import { HttpError } from '../http/errors';

const Key = Type.String({ minLength: 1, maxLength: 100, pattern: '^[a-z][a-z0-9]*([.-][a-z0-9]+)*$', description: 'Parameter key, e.g. "fee.khai-sinh-qua-han"' });

export const ParameterSchema = Type.Object({
  id: Type.String(),
  key: Type.String(),
  scope: Type.String({ description: '"*" for the whole province, or a unit code' }),
  value: Type.Number(),
  effectiveFrom: Type.String({ format: 'date-time' }),
  note: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});

export const ParameterBody = Type.Object({
  key: Key,
  scope: Type.String({ minLength: 1, maxLength: 50, description: '"*" for the whole province, or a unit code' }),
  value: Type.Number({ minimum: 0, description: 'The value, e.g. a fee in VND' }),
  effectiveFrom: Type.Optional(Type.String({ format: 'date-time', description: 'From when it applies (default now; never in the past)' })),
  note: Type.Optional(Type.String({ maxLength: 500, description: 'The decision that sets it, e.g. "Nghị quyết 12/2026/NQ-HĐND"' })),
}, { additionalProperties: false });

const ListQuery = Type.Object({ key: Type.Optional(Key) });
const InForceQuery = Type.Object({
  unit: Type.String({ minLength: 1, maxLength: 50 }),
  keys: Type.String({ minLength: 1, maxLength: 2000, description: 'Comma-separated keys' }),
  at: Type.Optional(Type.String({ format: 'date-time', description: 'Default now' })),
});

/** Provincial parameters (docs/parameters.md): values a province sets, per scope, from a date. */
export function parameterRoutes(api: Api, deps: Deps): void {
  api.add({
    method: 'get', path: '/api/parameters', summary: 'Every value of the provincial parameters (or of one key), oldest first', tags: ['parameters'],
    access: ['admin'], query: ListQuery, response: Type.Object({ items: Type.Array(ParameterSchema) }),
  }, async ({ query }) => ({ items: await listValues(deps, query.key) }));

  api.add({
    method: 'post', path: '/api/parameters', summary: 'Set a parameter for a scope from a date (a new value; earlier dossiers keep theirs)', tags: ['parameters'],
    access: ['admin'], body: ParameterBody, response: ParameterSchema, status: 201,
    errors: { 403: 'Outside your units', 404: 'No such unit', 409: 'A value from that instant exists', 422: 'Backdated or invalid value' },
  }, async ({ user, body }) => setValue(deps, user!, body));

  api.add({
    method: 'get', path: '/api/parameters/in-force', summary: 'The values in force for a unit at an instant (its own, an ancestor\'s or the province\'s)', tags: ['parameters'],
    access: 'user', query: InForceQuery, response: Type.Object({ values: Type.Record(Type.String(), Type.Number()) }), errors: { 400: 'Not an instant of 1970–9999', 404: 'No such unit' },
  }, async ({ query }) => {
    // The format admits year 0000, which PostgreSQL refuses (a 500): instants from 1970 to 9999 only.
    const at = query.at === undefined ? deps.clock.now() : instant(query.at);
    if (!at) {
      const message = { vi: `"${query.at}" không phải một thời điểm hợp lệ (ISO 8601, năm 1970–9999)`, en: `"${query.at}" is not a valid instant (ISO 8601, years 1970–9999)` };
      throw new HttpError(400, 'VALIDATION_FAILED', message, [{ path: '/at', message }]);
    }
    return { values: await inForce(deps, query.unit, query.keys.split(',').map((k) => k.trim()).filter((k) => k), at) };
  });
}
