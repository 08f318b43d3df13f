/**
 * Signature blocks (thể thức ký, Decree 30/2020/NĐ-CP): the lines printed above a signature
 * for an officer signing in their own right or through a delegation.
 */
import type {
  Delegation,
  DelegationKind,
  Grant,
  Position,
  SigningFormula,
  SigningPreviewRequest,
  UnitInfo,
} from './types';

/** Printed when a unit records no head title: Decree 30's templates say "THỦ TRƯỞNG". */
const GENERIC_HEAD = 'THỦ TRƯỞNG';

// When an officer holds the same role at a unit twice, the strongest position signs.
const RANK: { [p in Position]: number } = { head: 0, 'acting-head': 1, deputy: 2, 'internal-head': 3, member: 4 };

/** Who signs, as the formula needs them: a name and the grants that may carry a title. */
export interface Signatory {
  name: string;
  grants?: Grant[];
}

function isRecord(x: unknown): x is { [key: string]: unknown } {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function text(x: unknown): string | undefined {
  return typeof x === 'string' && x.trim() !== '' ? x : undefined;
}

/** Renders an untrusted value for a message or a signature line; pure, never throws (even on null-prototype objects). */
export function show(x: unknown): string {
  if (typeof x === 'string') return x;
  if (typeof x === 'number' || typeof x === 'boolean' || typeof x === 'bigint') return String(x);
  if (x === null || x === undefined) return String(x);
  return Array.isArray(x) ? '[array]' : `[${typeof x}]`;
}

/** Keeps the well-formed grants of an untrusted list; pure. */
export function grantsOf(grants: unknown): Grant[] {
  if (!Array.isArray(grants)) return [];
  return grants.filter((g): g is Grant => isRecord(g) && typeof g.role === 'string' && typeof g.unit === 'string');
}

/** Finds the grant of a role at a unit, the strongest position first; pure. */
export function findGrant(grants: unknown, role: string, unit: string): Grant | undefined {
  const rank = (g: Grant): number => (g.position !== undefined && Object.prototype.hasOwnProperty.call(RANK, g.position) ? RANK[g.position] : 5);
  return grantsOf(grants)
    .filter((g) => g.role === role && g.unit === unit)
    .reduce<Grant | undefined>((best, g) => (best === undefined || rank(g) < rank(best) ? g : best), undefined);
}

/** The line a signatory prints under the prefix: their own title at the unit (same role first), else their name; pure. */
export function signatoryLine(who: Signatory, role: string, unit: string): string {
  const atUnit = grantsOf(who.grants).filter((g) => g.unit === unit && text(g.title) !== undefined);
  const title = atUnit.find((g) => g.role === role)?.title ?? atUnit[0]?.title;
  return title ?? show(who.name);
}

/** The title the delegator signs with for a role at a unit: their printed title, else their grant's; pure. */
export function delegatorTitle(d: Delegation, role: string, unit: string): string | undefined {
  const from: unknown = d.from;
  if (!isRecord(from)) return undefined;
  return text(from.title) ?? text(findGrant(from.grants, role, unit)?.title);
}

function collectiveLine(unit: UnitInfo | undefined): string[] {
  const name = text(unit?.collectiveName);
  return name === undefined ? [] : [`TM. ${name}`];
}

/** Signature block for an officer acting on their own grant; pure. */
export function ownSigning(grant: Grant, unit: UnitInfo | undefined, signer: string): SigningFormula {
  const title = text(grant.title);
  const head = text(unit?.headTitle) ?? (grant.position === 'head' ? title : undefined) ?? GENERIC_HEAD;
  const collective = collectiveLine(unit);
  switch (grant.position) {
    case 'head':
      return collective.length > 0
        ? { prefix: 'TM.', lines: [...collective, title ?? head], signer }
        : { prefix: null, lines: [title ?? head], signer };
    case 'deputy':
      return { prefix: 'KT.', lines: [...collective, `KT. ${head}`, title ?? signer], signer };
    case 'acting-head':
      // An acting head signs for the collective body just as the head would.
      return { prefix: 'Q.', lines: [...collective, `Q. ${head}`], signer };
    case 'internal-head':
      return { prefix: 'TL.', lines: [`TL. ${head}`, title ?? signer], signer };
    default:
      return { prefix: null, lines: [title ?? signer], signer };
  }
}

/** What a delegation's signature block depends on. */
export interface DelegationSigningInput {
  kind: DelegationKind;
  unit?: UnitInfo;
  /** The delegator's title, printed when the unit records no head title. */
  delegatorTitle?: string;
  /** The delegate's line under the prefix (see `signatoryLine`). */
  delegateLine: string;
  signer: string;
  /** The delegation the delegator's own authority came from, with the block it gives the delegator. */
  parent?: { kind: DelegationKind; formula: SigningFormula };
}

/** Signature block for an officer acting through a delegation; pure. */
export function delegationSigning(input: DelegationSigningInput): SigningFormula {
  const { kind, unit, delegateLine, signer, parent } = input;
  // Through a chain (TL. then KT.), the delegator's block stays on top and its last line,
  // the delegator's title, is what the delegate signs for: "TL. GIÁM ĐỐC / KT. TRƯỞNG PHÒNG / PHÓ TRƯỞNG PHÒNG".
  // An acting head is the head, so signing for them reads as signing for the head.
  const chained = parent !== undefined && parent.kind !== 'acting' && parent.formula.lines.length > 0;
  const base = chained ? parent.formula.lines.slice(0, -1) : [];
  const head = (chained ? parent.formula.lines.at(-1) : undefined)
    ?? text(unit?.headTitle) ?? text(input.delegatorTitle) ?? GENERIC_HEAD;
  const collective = chained ? [] : collectiveLine(unit);
  switch (kind) {
    case 'authorisation':
      return { prefix: 'TUQ.', lines: [...base, `TUQ. ${head}`, delegateLine], signer };
    case 'order':
      return { prefix: 'TL.', lines: [...base, `TL. ${head}`, delegateLine], signer };
    case 'deputy':
      return { prefix: 'KT.', lines: [...base, ...collective, `KT. ${head}`, delegateLine], signer };
    case 'acting':
      return { prefix: 'Q.', lines: [...base, ...collective, `Q. ${head}`], signer };
    default:
      return { prefix: null, lines: [delegateLine], signer };
  }
}

function firstString(x: unknown): string | undefined {
  return Array.isArray(x) ? x.find((v): v is string => typeof v === 'string') : undefined;
}

function previewFor(req: SigningPreviewRequest, seen: Set<string>): SigningFormula {
  const d = req.delegation;
  const from: unknown = isRecord(d) ? d.from : undefined;
  const fromGrants = isRecord(from) ? grantsOf(from.grants) : [];
  const scope: unknown = isRecord(d) ? d.scope : undefined;
  const role = req.role ?? firstString(isRecord(scope) ? scope.roles : undefined) ?? fromGrants[0]?.role ?? '';
  const unit = req.unit ?? firstString(isRecord(scope) ? scope.units : undefined) ?? fromGrants[0]?.unit ?? '';
  const signer = show(isRecord(req.delegate) ? req.delegate.name : '');
  const delegate: Signatory = { name: signer, grants: isRecord(req.delegate) ? grantsOf(req.delegate.grants) : [] };
  const parentDelegation = isRecord(d) && typeof d.derivedFrom === 'string' && !seen.has(d.derivedFrom)
    ? (Array.isArray(req.delegations) ? req.delegations : []).find((p) => isRecord(p) && p.id === d.derivedFrom)
    : undefined;
  const parent = parentDelegation === undefined || !isRecord(from)
    ? undefined
    : {
        kind: parentDelegation.kind,
        formula: previewFor(
          { ...req, delegation: parentDelegation, delegate: { name: show(from.name), grants: fromGrants }, role, unit },
          new Set([...seen, d.id]),
        ),
      };
  const units = isRecord(req.units) ? req.units : {};
  return delegationSigning({
    kind: isRecord(d) ? d.kind : 'authorisation',
    unit: isRecord(units[unit]) ? units[unit] : undefined,
    delegatorTitle: isRecord(d) ? delegatorTitle(d, role, unit) : undefined,
    delegateLine: signatoryLine(delegate, role, unit),
    signer,
    parent,
  });
}

/**
 * Previews the signature block a delegate will print under a delegation, as `resolveAuthority`
 * returns it when the delegation applies (chains followed through `derivedFrom`); pure, never throws.
 */
export function previewSigning(req: SigningPreviewRequest): SigningFormula {
  return previewFor(req, new Set());
}
