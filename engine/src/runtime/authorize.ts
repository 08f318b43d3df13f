import { resolveAuthority } from '../delegation/authority';
import type { SigningFormula } from '../delegation/types';
import type { ActionInfo, CompiledProcedure } from '../compile/compile';
import { fail } from './errors';
import { resolveUnit } from './scope';
import type { ActionCapacity, DossierSnapshot, EngineContext, EngineError } from './types';

export interface Authority {
  onBehalfOf?: { id: string; name: string; title?: string };
  delegationId?: string;
  signing?: SigningFormula;
  /** Recorded on the event (see `ActionCapacity`); replay passes the recorded one. */
  capacity?: ActionCapacity;
}

function withCapacity(signing: SigningFormula): { capacity?: ActionCapacity } {
  const capacity = capacityOf(signing);
  return capacity ? { capacity } : {};
}

/** The capacity of a signing formula, or undefined when the officer acts in their own name without a formula. */
export function capacityOf(signing: SigningFormula): ActionCapacity | undefined {
  if (signing.prefix === null) return undefined;
  return { prefix: signing.prefix, lines: [...signing.lines] };
}

/**
 * Decides whether the context's actor may take an action on this dossier: the system
 * takes `system` actions only; the applicant (or an officer holding the intake step's role
 * at the receiving or return desk, recording what the applicant hands in) takes
 * `applicant` actions; officers need
 * the role at the step's unit, their own or delegated.
 */
export function authorize(
  info: ActionInfo,
  snapshot: DossierSnapshot,
  ctx: EngineContext,
  proc: CompiledProcedure,
): { ok: true; value: Authority } | { ok: false; error: EngineError } {
  const { actor } = ctx;
  const role = info.role;
  const unit = resolveUnit(info.unit, snapshot.routing);
  if (role === 'system') {
    return actor.kind === 'system'
      ? { ok: true, value: {} }
      : fail('ACTION_FORBIDDEN_ROLE', {
          vi: `Thao tác "${info.def.id}" do hệ thống tự thực hiện, cán bộ không thực hiện được`,
          en: `Action "${info.def.id}" is taken by the system only`,
        });
  }
  if (actor.kind === 'system') {
    return fail('ACTION_FORBIDDEN_ROLE', {
      vi: `Hệ thống không được thực hiện thao tác "${info.def.id}" của vai trò "${role ?? ''}"`,
      en: `The system may not take action "${info.def.id}" of role "${role ?? ''}"`,
    });
  }
  if (role === 'applicant') {
    const isApplicant = actor.kind === 'applicant' && (snapshot.applicant.id === undefined || snapshot.applicant.id === actor.id);
    const desks = [snapshot.routing.receiving, snapshot.routing.returnUnit];
    const isDesk = actor.kind === 'officer' && actor.grants.some((g) => desks.includes(g.unit) && (proc.deskRole === null || g.role === proc.deskRole));
    if (isApplicant || isDesk) return { ok: true, value: {} };
    return fail('ACTION_FORBIDDEN_ROLE', {
      vi: `Chỉ người nộp hồ sơ (hoặc Bộ phận Một cửa thay mặt họ) được thực hiện "${info.def.id}"`,
      en: `Only the applicant (or the one-stop desk on their behalf) may take "${info.def.id}"`,
    });
  }
  if (role === null || actor.kind !== 'officer') {
    return fail('ACTION_FORBIDDEN_ROLE', {
      vi: `Người dùng không có vai trò để thực hiện "${info.def.id}"`,
      en: `The user has no role allowing "${info.def.id}"`,
    });
  }
  const decision = resolveAuthority({
    actor,
    role,
    unit,
    procedure: proc.definition.id,
    now: ctx.now,
    ...(ctx.delegations ? { delegations: ctx.delegations } : {}),
    ...(ctx.units ? { units: ctx.units } : {}),
  });
  if (decision.ok) {
    return {
      ok: true,
      value: {
        ...(decision.onBehalfOf ? { onBehalfOf: decision.onBehalfOf } : {}),
        ...(decision.delegationId ? { delegationId: decision.delegationId } : {}),
        signing: decision.signing,
        ...withCapacity(decision.signing),
      },
    };
  }
  const hasRoleElsewhere = actor.grants.some((g) => g.role === role);
  if (hasRoleElsewhere && decision.code === 'NO_AUTHORITY') {
    return fail('ACTION_FORBIDDEN_UNIT', {
      vi: `Vai trò "${role}" của người dùng không thuộc đơn vị ${unit} đang xử lý bước này`,
      en: `The user's role "${role}" is not held at unit ${unit}, which handles this step`,
    });
  }
  return fail('ACTION_FORBIDDEN_ROLE', {
    vi: `Cần vai trò "${role}" tại đơn vị ${unit}. ${decision.message.vi}`,
    en: `Role "${role}" at unit ${unit} is required. ${decision.message.en}`,
  });
}
