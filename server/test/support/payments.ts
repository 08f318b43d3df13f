/**
 * Test support for payments: the app listening on a real port (the simulator calls its IPN
 * over HTTP), the local VNPay simulator, and a citizen going through the simulator's page.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import type { ProcedureDefinition } from '@motcua/engine';
import { httpServer } from '../../src/app';
import { dossiers, procedures, procedureVersions } from '../../src/db/schema';
import { startVnpaySimulator, type VnpaySimulator } from '../../src/simulators/vnpay';
import type { Harness } from './harness';

export const TMN = 'TESTMC01';
export const SECRET = 'test-hash-secret-0123456789';

export interface Paying { server: Server; base: string; sim: VnpaySimulator; close(): Promise<void> }

/** Listens the harness's app on port 0, starts the simulator pointed at its IPN, configures the provider. */
export async function withPayments(h: Harness): Promise<Paying> {
  const server = httpServer(h.app.app);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sim = await startVnpaySimulator({ tmnCode: TMN, hashSecret: SECRET, ipnUrl: `${base}/api/payments/vnpay/ipn`, now: () => h.clock.now() });
  h.deps.config.payment = { provider: 'vnpay', payUrl: sim.payUrl, tmnCode: TMN, hashSecret: SECRET };
  return {
    server, base, sim,
    close: async () => {
      await sim.close();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

/** Opens the provider's page (as the citizen's browser) and presses pay or cancel; returns the return address. */
export async function payAt(sim: VnpaySimulator, payUrl: string, action: 'pay' | 'cancel' = 'pay'): Promise<URL> {
  const page = await fetch(payUrl);
  const html = await page.text();
  if (page.status !== 200) throw new Error(`simulator refused the payment URL: ${page.status} ${html}`);
  const token = /name="t" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no order token on the simulator page');
  const done = await fetch(new URL('/paymentv2/complete', sim.payUrl), { method: 'POST', body: new URLSearchParams({ t: token, action }), redirect: 'manual' });
  const location = done.headers.get('location');
  if (done.status !== 302 || !location) throw new Error(`simulator did not send the browser back: ${done.status}`);
  return new URL(location);
}

export async function lookupKey(h: Harness, id: string): Promise<string> {
  const [row] = await h.deps.db.select({ k: dossiers.lookupToken }).from(dossiers).where(eq(dossiers.id, id));
  return row!.k;
}

/**
 * The birth registration with an online payment step: accepted → "pay" (kind payment, the
 * system moves it on when paid) → register, where the specialist may also refuse (to test
 * the refund of a paid dossier that is refused).
 */
export async function publishPayStepVariant(h: Harness, base: ProcedureDefinition): Promise<string> {
  const def = structuredClone(base) as ProcedureDefinition & { steps: { id: string; actions?: { id: string; target?: string }[] }[] };
  def.id = 'khai-sinh-thanh-toan';
  def.catalog = { ...def.catalog, code: `${def.catalog.code}-TT` };
  const intake = def.steps.find((s) => s.id === 'intake')!;
  intake.actions!.find((a) => a.id === 'accept')!.target = 'pay';
  const register = def.steps.find((s) => s.id === 'register')! as { actions: unknown[] };
  register.actions.push({
    id: 'refuseLate', label: { vi: 'Từ chối (không đủ điều kiện tiếp nhận)', en: 'Refuse' }, intent: 'refuse', target: 'refused',
    inputs: { type: 'object', required: ['reason'], properties: { reason: { type: 'string', minLength: 1 } } },
  });
  (def.steps as unknown[]).splice(1, 0, {
    id: 'pay', kind: 'payment', name: { vi: 'Chờ nộp phí, lệ phí', en: 'Waiting for the fee' }, role: 'system', unit: 'receiving',
    actions: [{ id: 'paid', label: { vi: 'Đã nộp phí', en: 'Fee paid' }, intent: 'proceed', target: 'register' }],
  });
  await h.deps.db.insert(procedures).values({ id: def.id, code: def.catalog.code, name: def.catalog.name.vi, field: def.catalog.field }).onConflictDoNothing();
  await h.deps.db.insert(procedureVersions).values({
    procedureId: def.id, version: def.version, status: 'published', definition: def, effectiveFrom: '2026-01-01T00:00:00.000Z', publishedAt: '2026-01-01T00:00:00.000Z', publishedBy: 'fixture',
  });
  return def.id;
}
