/**
 * The portal simulator of the portal benchmark (../portal.bench.ts) in a process of its own,
 * so its HTTP work and validation neither share an event loop with the server nor count in
 * the server's CPU. Answers over IPC what it counted and when each event was acknowledged.
 */
import { PortalSimulator } from '../../server/src/outbox/portal/simulator';

export type ToSimulator = { type: 'figures' } | { type: 'stop' };

export type FromSimulator =
  | { type: 'ready'; username: string; password: string; endpoints: ReturnType<PortalSimulator['endpoints']> }
  | {
    type: 'figures'; counted: number; duplicates: number; outOfOrder: number; invalid: number; calls: Record<string, number>;
    /** Event id → when its progress entry was acknowledged (wall-clock ms, comparable across processes). */
    acked: [string, number][];
    userUs: number; systemUs: number;
  };

const sim = new PortalSimulator();
await sim.start(Number(process.env['PORTAL_SIM_PORT'] ?? 0));
process.send?.({ type: 'ready', username: sim.username, password: sim.password, endpoints: sim.endpoints() } satisfies FromSimulator);

process.on('message', (m: ToSimulator) => {
  if (m.type === 'figures') {
    const u = process.cpuUsage();
    const reply: FromSimulator = {
      type: 'figures', counted: sim.counted.size, duplicates: sim.duplicates, outOfOrder: sim.outOfOrder.length, invalid: sim.invalid.length,
      calls: Object.fromEntries(sim.calls), acked: [...sim.ackedAt].map(([k, t]) => [k, performance.timeOrigin + t]), userUs: u.user, systemUs: u.system,
    };
    process.send?.(reply);
  } else if (m.type === 'stop') {
    void sim.stop().then(() => process.exit(0));
  }
});
