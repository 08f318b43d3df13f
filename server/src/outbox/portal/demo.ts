/**
 * The demo's national portal: with PORTAL_SIMULATOR=1 the server starts the portal simulator
 * (./simulator.ts) on PORTAL_SIMULATOR_PORT (default 3600; 0 picks a free port), allows
 * 127.0.0.1 as a target, and connects the province to it once — so the sync log, the
 * dashboard's sync card, reconciliation and pulled online dossiers can be shown without the
 * real portal.
 */
import type { Deps } from '../../deps';
import { allConnections } from './repo';
import { createConnection } from './service';
import { PortalSimulator } from './simulator';

export async function startPortalDemo(deps: Deps, env: NodeJS.ProcessEnv): Promise<PortalSimulator | null> {
  if (env['PORTAL_SIMULATOR'] !== '1') return null;
  const sim = new PortalSimulator();
  await sim.start(Number(env['PORTAL_SIMULATOR_PORT'] ?? 3600));
  if (!deps.config.webhookAllowHosts.includes('127.0.0.1')) deps.config.webhookAllowHosts = [...deps.config.webhookAllowHosts, '127.0.0.1'];
  const province = (await deps.directory.allUnits()).find((u) => u.kind === 'province' && !u.parent);
  if ((await allConnections(deps.db)).length === 0 && province) {
    const c = await createConnection(deps, {
      province: province.code, username: sim.username, password: sim.password, agencyCode: province.code, ...sim.endpoints(),
    });
    deps.logger.info({ connection: c.id, simulator: sim.url, inboundToken: c.inboundToken }, 'demo: connected to the portal simulator');
  } else {
    deps.logger.warn({ simulator: sim.url }, 'demo: portal simulator started; an existing connection keeps its own endpoints');
  }
  return sim;
}
