/**
 * The load of the peak hour: officer sessions in a closed loop, each receiving a new
 * dossier and moving it through its procedure to the end, and around every action the
 * reads an office makes (its inbox, the dossier, colleagues' boxes, other dossiers of the
 * unit) plus citizens looking dossiers up: ten reads per action.
 */
import type { Client } from './http';
import type { Flow, Role } from './playbook';

export interface Officers { unit: string; tokens: { [role in Role]: string } }

export interface Tally {
  actions: number[];
  reads: number[];
  /** Non-2xx answers by method, path shape and status. */
  errors: Map<string, number>;
  flowsDone: number;
}

const BOXES = ['unit', 'due-soon', 'waiting', 'overdue'] as const;

/**
 * A citizen's lookup by dossier code. The public lookup may soon ask for a second factor
 * only the applicant holds (issue 8); it would be one more argument here.
 */
export function citizenLookup(http: Client, code: string, citizen: number): ReturnType<Client['call']> {
  // Citizens reach the server through the reverse proxy (the server trusts one on loopback),
  // each from their own address: the per-address lookup limit applies to each, not to the bench.
  const address = `10.${(citizen >> 16) & 255}.${(citizen >> 8) & 255}.${citizen & 255}`;
  return http.call('GET', `/api/public/dossiers/${encodeURIComponent(code)}`, null, undefined, { 'x-forwarded-for': address });
}

export interface Session {
  http: Client;
  officers: Officers;
  flows: Flow[];
  /** Dossier codes of the session's unit seen lately, shared by its sessions: what colleagues and citizens look at. */
  recent: string[];
  until: number;
  /** Measure only requests started after this (warm-up before). */
  from: number;
  tally: Tally;
  seed: number;
}

function note(s: Session, kind: 'action' | 'read', what: string, started: number, a: { status: number; ms: number }): boolean {
  const ok = a.status >= 200 && a.status < 300;
  if (started >= s.from) {
    if (ok) (kind === 'action' ? s.tally.actions : s.tally.reads).push(a.ms);
    else s.tally.errors.set(`${what} ${a.status}`, (s.tally.errors.get(`${what} ${a.status}`) ?? 0) + 1);
  }
  return ok;
}

/** Ten reads around one action: inbox, the dossier, two other boxes, three other dossiers, two citizen lookups, the inbox again. */
async function reads(s: Session, token: string, id: string, n: number): Promise<void> {
  const pick = (k: number): string => s.recent[(n * 7 + k * 13) % Math.max(1, s.recent.length)] ?? id;
  const run = async (what: string, f: () => ReturnType<Client['call']>): Promise<void> => {
    const t = performance.now();
    note(s, 'read', what, t, await f());
  };
  await run('GET inbox', () => s.http.call('GET', '/api/dossiers?box=mine&pageSize=20', token));
  await run('GET dossier', () => s.http.call('GET', `/api/dossiers/${encodeURIComponent(id)}`, token));
  for (const k of [0, 1]) await run('GET inbox', () => s.http.call('GET', `/api/dossiers?box=${BOXES[(n + k) % BOXES.length]}&pageSize=20`, token));
  for (const k of [1, 2, 3]) await run('GET dossier', () => s.http.call('GET', `/api/dossiers/${encodeURIComponent(pick(k))}`, token));
  for (const k of [4, 5]) await run('GET public', () => citizenLookup(s.http, pick(k), s.seed * 100_000 + n * 2 + k));
  await run('GET inbox', () => s.http.call('GET', '/api/dossiers?box=mine&pageSize=20', token));
}

/** One officer session: flows one after the other until `until`. */
export async function session(s: Session): Promise<void> {
  let n = s.seed;
  while (performance.now() < s.until) {
    const flow = s.flows[n % s.flows.length] as Flow;
    n += 1;
    const desk = s.officers.tokens.desk;
    const t0 = performance.now();
    const created = await s.http.call<{ id: string; version: number }>('POST', '/api/dossiers', desk, {
      procedureId: flow.procedureId, channel: flow.start.channel === 'online' ? 'direct' : flow.start.channel,
      receivingUnit: s.officers.unit, applicant: flow.start.applicant, data: flow.start.data,
    });
    if (!note(s, 'action', `POST intake ${flow.procedureId}`, t0, created)) continue;
    const id = created.body.id;
    s.recent.push(id);
    if (s.recent.length > 500) s.recent.splice(0, 250);
    let ok = true;
    for (const step of flow.steps) {
      if (performance.now() >= s.until) { ok = false; break; }
      const token = s.officers.tokens[step.role];
      await reads(s, token, id, n++);
      const t = performance.now();
      const done = await s.http.call<{ version?: number }>('POST', `/api/dossiers/${encodeURIComponent(id)}/actions`, token, {
        step: step.step, action: step.action, ...(step.inputs ? { inputs: step.inputs } : {}),
      });
      if (!note(s, 'action', `POST ${flow.procedureId} ${step.step}.${step.action}`, t, done)) { ok = false; break; }
    }
    if (ok) s.tally.flowsDone += 1;
  }
}
