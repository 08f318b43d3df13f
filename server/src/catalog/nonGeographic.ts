/**
 * Which procedures are received regardless of the applicant's address (phi địa giới hành
 * chính) is decided by each province, which publishes its own list (one province lists 2,010,
 * another 425 at commune level: docs/domain.md, "Non-geographic intake"). The list is a
 * catalog setting (`catalog.nonGeographic`: national codes); while a province has not set it,
 * each definition's `catalog.nonGeographic` flag stands.
 */
import Type, { type Static } from 'typebox';
import type { AuthUser } from '../auth/service';
import type { Deps } from '../deps';
import { putSetting, settingValue } from './repo';
import { audit } from '../db/auditLog';
import { catalogOwner, requireCatalogWriter } from './owner';

export const NON_GEOGRAPHIC_KEY = 'catalog.nonGeographic';

export const NonGeographicSchema = Type.Object({
  codes: Type.Union([Type.Array(Type.String()), Type.Null()], {
    description: 'National codes of the procedures on the province\'s non-geographic list; null: each definition\'s flag stands',
  }),
  decision: Type.Union([Type.String(), Type.Null()], { description: 'The province\'s decision publishing the list' }),
});

export const NonGeographicBody = Type.Object({
  codes: Type.Union([Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 10_000, uniqueItems: true }), Type.Null()]),
  decision: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'e.g. "Quyết định 1234/QĐ-UBND ngày 01/07/2025"' })),
}, { additionalProperties: false });

type List = Static<typeof NonGeographicSchema>;

/** The province's list now (cached a few seconds: every catalog read needs it). */
export async function nonGeographicList(deps: Deps): Promise<List> {
  return deps.directory.cached(`setting:${NON_GEOGRAPHIC_KEY}`, 5_000, async () => {
    const value = await settingValue(deps, NON_GEOGRAPHIC_KEY) as { codes?: unknown; decision?: unknown } | undefined;
    const codes = Array.isArray(value?.codes) ? value.codes.filter((c): c is string => typeof c === 'string') : null;
    return { codes, decision: typeof value?.decision === 'string' ? value.decision : null };
  });
}

/** Whether a procedure is non-geographic: on the province's list when there is one, else by its definition. */
export function isNonGeographic(list: List, code: string, definitionFlag: boolean): boolean {
  return list.codes === null ? definitionFlag : list.codes.includes(code);
}

/** Sets the province's list (catalog writers only); audited. */
export async function setNonGeographicList(deps: Deps, user: AuthUser, body: Static<typeof NonGeographicBody>): Promise<List> {
  await requireCatalogWriter(deps, user);
  const value = { codes: body.codes, decision: body.decision ?? null };
  const at = deps.clock.now();
  const owner = await catalogOwner(deps);
  await deps.db.transaction(async (tx) => {
    await putSetting(tx, NON_GEOGRAPHIC_KEY, value, at, user.id);
    await audit(tx, at, {
      actor: user, action: 'settings.changed', subject: NON_GEOGRAPHIC_KEY, units: owner.unit ? [owner.unit] : [],
      details: { count: body.codes?.length ?? null, decision: value.decision },
    });
  });
  deps.directory.forget('setting:');
  return nonGeographicList(deps);
}
