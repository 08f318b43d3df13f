/**
 * Who writes the procedure catalog every desk of the province uses: the designers and
 * administrators of the unit that owns it (or of a unit above that one). The owner is the
 * province (the root unit of kind `province`) unless the province names another of its units
 * in the setting `catalog.owner` (e.g. its Department of Justice). A commune's designer or
 * administrator reads the catalog but never changes it. See the README's Security section.
 */
import Type, { type Static } from 'typebox';
import type { AuthUser } from '../auth/service';
import type { Deps } from '../deps';
import { forbidden, HttpError } from '../http/errors';
import { audit } from '../db/auditLog';
import { putSetting, settingValue } from './repo';

export const CATALOG_OWNER_KEY = 'catalog.owner';
/** Roles that write the catalog, at the owning unit or above it. */
export const CATALOG_WRITERS = ['designer', 'admin'];

export const CatalogOwnerSchema = Type.Object({
  unit: Type.Union([Type.String(), Type.Null()], { description: 'The owning unit; null when the province is not set up yet' }),
  name: Type.Union([Type.String(), Type.Null()]),
  source: Type.Union([Type.Literal('setting'), Type.Literal('province')], { description: 'Named in the setting, or the province by default' }),
});

export const CatalogOwnerBody = Type.Object({
  unit: Type.String({ minLength: 1, maxLength: 50, description: 'The province or one of its units' }),
}, { additionalProperties: false });

/** The province: the one root unit of kind `province` (null when there is none or more than one). */
async function province(deps: Deps): Promise<string | null> {
  const roots = (await deps.directory.allUnits()).filter((u) => !u.parent && u.kind === 'province');
  return roots.length === 1 ? roots[0]!.code : null;
}

/** The unit that owns the catalog now, and where that comes from. */
export async function catalogOwner(deps: Deps): Promise<Static<typeof CatalogOwnerSchema>> {
  const owner = await deps.directory.cached('setting:catalog.owner', 5_000, async () => {
    const named = ((await settingValue(deps, CATALOG_OWNER_KEY)) as { unit?: unknown } | undefined)?.unit;
    return typeof named === 'string' ? { unit: named, source: 'setting' as const } : { unit: await province(deps), source: 'province' as const };
  });
  const unit = owner.unit ? await deps.directory.unit(owner.unit) : null;
  return { unit: unit?.code ?? null, name: unit?.name ?? null, source: owner.source };
}

/** Whether the user holds one of `roles` at the unit or at a unit above it. */
async function holdsAtOrAbove(deps: Deps, user: AuthUser, roles: readonly string[], unit: string): Promise<boolean> {
  for (const g of user.grants) {
    if (roles.includes(g.role) && (await deps.directory.subtree(g.unit)).includes(unit)) return true;
  }
  return false;
}

/** Whether the user may write the catalog (designer or administrator at the owning unit or above). */
export async function mayWriteCatalog(deps: Deps, user: AuthUser): Promise<boolean> {
  const { unit } = await catalogOwner(deps);
  return unit !== null && holdsAtOrAbove(deps, user, CATALOG_WRITERS, unit);
}

/** Throws 403 unless the user may write the catalog. */
export async function requireCatalogWriter(deps: Deps, user: AuthUser): Promise<void> {
  if (await mayWriteCatalog(deps, user)) return;
  const { unit, name } = await catalogOwner(deps);
  throw forbidden({
    vi: unit
      ? `Danh mục thủ tục do ${name ?? unit} (${unit}) quản lý: chỉ người thiết kế quy trình hoặc quản trị viên của đơn vị này (hoặc cấp trên) được thay đổi`
      : 'Chưa xác định đơn vị quản lý danh mục thủ tục (cần đúng một đơn vị cấp tỉnh): không ai được thay đổi danh mục',
    en: unit
      ? `The procedure catalog belongs to ${name ?? unit} (${unit}): only its designers or administrators (or those of a unit above it) may change it`
      : 'No unit owns the procedure catalog (exactly one province unit is needed): nobody may change it',
  });
}

/** Names the owning unit: only an administrator of the province itself, and only the province or a unit within it. */
export async function setCatalogOwner(deps: Deps, user: AuthUser, body: Static<typeof CatalogOwnerBody>) {
  const root = await province(deps);
  if (!root || !user.grants.some((g) => g.role === 'admin' && g.unit === root)) {
    throw forbidden({
      vi: 'Chỉ quản trị viên của Ủy ban nhân dân tỉnh được chỉ định đơn vị quản lý danh mục thủ tục',
      en: 'Only an administrator of the province may name the unit that owns the procedure catalog',
    });
  }
  if (!(await deps.directory.subtree(root)).includes(body.unit)) {
    const message = { vi: `Đơn vị "${body.unit}" không thuộc tỉnh ${root}`, en: `Unit "${body.unit}" is not within the province ${root}` };
    throw new HttpError(422, 'UNIT_OUTSIDE_PROVINCE', message, [{ path: '/unit', message }]);
  }
  const before = await catalogOwner(deps);
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await putSetting(tx, CATALOG_OWNER_KEY, { unit: body.unit }, now, user.id);
    await audit(tx, now, {
      actor: user, action: 'settings.changed', subject: CATALOG_OWNER_KEY, units: [root, body.unit],
      details: { from: before.unit, to: body.unit },
    });
  });
  deps.directory.forget('setting:');
  return catalogOwner(deps);
}
