/**
 * What the officers of the peak hour do: the shipped scenarios of `procedures/` replayed
 * over HTTP at the bench's communes — the happy path (intake → accept → handle → approve →
 * return) and the supplement pause (the clock stops while the citizen completes the
 * dossier, the leader hands it back to the specialist once). Steps a scenario expects to
 * fail, and scenarios needing units other than the commune, are left out.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from '../../engine/src/index';
import { demoUnits, PROCEDURES_DIR } from '../../server/src/demo/people';

export type Role = 'desk' | 'specialist' | 'leader';

export interface Flow {
  procedureId: string;
  scenario: string;
  start: { channel: string; applicant: { id?: string; name: string }; data: { [k: string]: unknown } };
  steps: { role: Role; step: string; action: string; inputs?: { [k: string]: unknown } }[];
}

/** The citizen's own steps (handing in a supplement) are recorded by the desk, as at a counter. */
const ROLE_OF: { [actor: string]: Role | undefined } = { desk: 'desk', specialist: 'specialist', leader: 'leader', citizen: 'desk' };
const KINDS = ['happy-path', 'supplement-pause'];

/** Units where the bench's officers sit: the communes and wards of the demo province. */
const atCommune = (code: string | undefined): boolean =>
  demoUnits().some((u) => u.code === code && (u.kind === 'commune' || u.kind === 'ward'));

export function loadFlows(): Flow[] {
  const flows: Flow[] = [];
  for (const slug of readdirSync(PROCEDURES_DIR).sort()) {
    const dir = join(PROCEDURES_DIR, slug, 'scenarios');
    if (!existsSync(dir)) continue;
    const def = JSON.parse(readFileSync(join(PROCEDURES_DIR, slug, 'procedure.json'), 'utf8')) as { id: string };
    for (const kind of KINDS) {
      const file = join(dir, `${kind}.json`);
      if (!existsSync(file)) continue;
      const s = JSON.parse(readFileSync(file, 'utf8')) as Scenario & { start: { actor: string; channel: string; receivingUnit?: string; applicant: Flow['start']['applicant']; data?: Flow['start']['data'] } };
      if (ROLE_OF[s.start.actor] !== 'desk') continue;
      // Received at the police or the social insurance office: not a commune's desk (the intake would be refused).
      if (!atCommune(s.start.receivingUnit)) continue;
      const steps: Flow['steps'] = [];
      let playable = true;
      for (const st of s.steps as (Scenario['steps'][number] & { expect?: { error?: string } })[]) {
        if (st.expect?.error) continue;
        const role = ROLE_OF[st.actor];
        if (!role) { playable = false; break; }
        steps.push({ role, step: st.step, action: st.action, ...(st.inputs ? { inputs: st.inputs as { [k: string]: unknown } } : {}) });
      }
      if (playable && steps.length > 0) {
        flows.push({ procedureId: def.id, scenario: kind, start: { channel: s.start.channel, applicant: s.start.applicant, data: s.start.data ?? {} }, steps });
      }
    }
  }
  return flows;
}
