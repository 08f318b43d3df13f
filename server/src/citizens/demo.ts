import type { Deps } from '../deps';
import { userByUsername } from '../auth/service';
import { linkOfficer, officerOfPersonalId } from './repo';
import type { DemoCitizen } from './devProvider';

/** Links the demo officers who sign in through the demo provider (by their personal ID number), once. */
export async function linkDemoOfficers(deps: Deps, people: DemoCitizen[]): Promise<void> {
  for (const p of people) {
    if (!p.officer || (await officerOfPersonalId(deps, p.personalId))) continue;
    const user = await userByUsername(deps, p.officer);
    if (user) await linkOfficer(deps, user.id, p.personalId, 'demo');
  }
}
