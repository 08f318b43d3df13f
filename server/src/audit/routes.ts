import Type from 'typebox';
import type { Api } from '../http/api';
import type { Deps } from '../deps';
import { adminScope, requireInScope, UnitCodeParams } from '../admin/service';
import { keysOf, unitCheckpoints } from './checkpoints';
import { verifyUnitHistory } from './verify';

const CheckpointsQuery = Type.Object({
  after: Type.Optional(Type.Integer({ minimum: 0, maximum: 2_000_000_000, description: 'only checkpoints numbered above this' })),
});

/** History audit: verify a unit's histories, export its signed checkpoints (administrators of the unit or above). */
export function auditRoutes(api: Api, deps: Deps): void {
  api.add({
    method: 'get', path: '/api/units/:code/history/verify',
    summary: 'Verify every history the unit received: hash chains (every shown column), stored heads, signed checkpoints, and cut-off events against the last checkpoint',
    tags: ['admin'], access: ['admin'], params: UnitCodeParams, errors: { 403: 'Outside your units' },
  }, async ({ user, params }) => {
    requireInScope(await adminScope(deps, user!), [params.code]);
    return verifyUnitHistory(deps, params.code);
  });

  api.add({
    method: 'get', path: '/api/units/:code/history/checkpoints',
    summary: 'Export the unit\'s signed checkpoints (Ed25519 over the canonical JSON of unit, number, takenAt, heads, prevSignature) with the public keys to check them',
    tags: ['admin'], access: ['admin'], params: UnitCodeParams, query: CheckpointsQuery, errors: { 403: 'Outside your units' },
  }, async ({ user, params, query }) => {
    requireInScope(await adminScope(deps, user!), [params.code]);
    const keys = keysOf(deps);
    return {
      unit: params.code,
      algorithm: 'Ed25519',
      signed: 'RFC 8785 canonical JSON of { unit, number, takenAt, heads, prevSignature }; heads = [dossierId, seq, hash]',
      keys: [...keys.verifiers].map(([keyId, k]) => ({ keyId, publicKey: k.publicKey, current: keyId === keys.signer.keyId })),
      checkpoints: await unitCheckpoints(deps, params.code, query.after ?? 0),
    };
  });
}
