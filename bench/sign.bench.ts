/**
 * Electronic results: signatures per second. Each operation renders a result from the template
 * (pdfkit) and signs it twice in PAdES (the leader, then the unit's seal as an incremental
 * update), as an approval does; the baseline in the same run renders the same result unsigned,
 * so the figure tells what signing adds. Keys are local RSA-2048 (esign/pki.ts), rounds interleaved.
 */
import { webcrypto } from 'node:crypto';
import { createCa, importPrivateKey, issueCertificate } from '../server/src/esign/pki';
import { signPdf } from '../server/src/esign/pades';
import { renderResult, type ResultData } from '../server/src/esign/result';
import type { SigningKey } from '../server/src/esign/cades';
import { machine } from './lib/machine';
import type { Bench } from './lib/types';

const ROUNDS = 5;
const PER_ROUND = 10;
const BAR = { minSignedResultsPerSecond: 1 };

const data = (n: number): ResultData => ({
  unit: { name: 'UBND xã An Phú', parentName: 'UBND tỉnh Demo' }, number: `${n}/2026/KQ`, issuedAt: '2026-03-02T03:00:00.000Z',
  title: 'Bản sao trích lục hộ tịch', procedure: { code: '2.000635', name: 'Cấp bản sao trích lục hộ tịch' }, dossierCode: `000.01.31.H99-260302-${String(n).padStart(4, '0')}`,
  applicant: 'Kiều Thị Mỹ', facts: [{ label: 'Loại sự kiện', value: 'Khai sinh' }, { label: 'Họ tên', value: 'Kiều Thị Mỹ' }],
  signing: { lines: ['TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'], signer: 'Phạm Minh Tuấn' }, verifyUrl: 'http://localhost:3000/xac-thuc/abc',
});

async function key(ca: { cert: Awaited<ReturnType<typeof createCa>>['cert']; key: CryptoKey }, cn: string): Promise<SigningKey> {
  const t0 = new Date('2026-01-01T00:00:00Z');
  const t1 = new Date('2028-01-01T00:00:00Z');
  const issued = await issueCertificate(ca, { commonName: cn, unitCode: '000.01.31.H99', unitName: 'UBND xã An Phú' }, t0, t1, 'http://localhost/crl');
  const k = await importPrivateKey(issued.pkcs8);
  return { chain: [Buffer.from(issued.cert.rawData), Buffer.from(ca.cert.rawData)], sign: async (d) => new Uint8Array(await webcrypto.subtle.sign('RSASSA-PKCS1-v1_5', k, d)) };
}

const bench: Bench = {
  title: 'esign: signed results per second (render + leader signature + seal) vs plain render',
  async run(log) {
    const caIssued = await createCa('bench CA', new Date('2026-01-01T00:00:00Z'), new Date('2030-01-01T00:00:00Z'));
    const ca = { cert: caIssued.cert, key: await importPrivateKey(caIssued.pkcs8) };
    const leader = await key(ca, 'Phạm Minh Tuấn');
    const seal = await key(ca, 'UBND xã An Phú');
    const at = new Date('2026-03-02T03:00:00.000Z');
    const plain = async (n: number) => (await renderResult(data(n))).pdf;
    const signed = async (n: number) => {
      const r = await renderResult(data(n));
      const once = await signPdf(r.pdf, { field: 'leader', name: 'Phạm Minh Tuấn', reason: 'Ký kết quả', location: 'An Phú', at, rect: r.signatureRect }, leader);
      return signPdf(once, { field: 'seal', name: 'UBND xã An Phú', reason: 'Đóng dấu', location: 'An Phú', at }, seal);
    };
    const timed = async (f: (n: number) => Promise<Buffer>): Promise<number> => {
      const t = performance.now();
      for (let i = 0; i < PER_ROUND; i++) await f(i);
      return PER_ROUND / ((performance.now() - t) / 1000);
    };
    await timed(plain);
    await timed(signed);
    const plainRates: number[] = [];
    const signedRates: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      plainRates.push(await timed(plain));
      signedRates.push(await timed(signed));
      log(`  round ${r + 1}: plain ${plainRates.at(-1)!.toFixed(1)}/s, signed ${signedRates.at(-1)!.toFixed(1)}/s`);
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const size = (await signed(1)).length;
    const result = {
      machine: machine(), rounds: ROUNDS, perRound: PER_ROUND,
      plainRenderPerSecond: median(plainRates), signedResultsPerSecond: median(signedRates),
      signaturesPerSecond: median(signedRates) * 2, signedBytes: size, bar: BAR,
    };
    const pass = result.signedResultsPerSecond >= BAR.minSignedResultsPerSecond;
    return {
      result, pass,
      summary: [
        `  plain render (baseline)          ${result.plainRenderPerSecond.toFixed(1)} results/s`,
        `  render + 2 PAdES signatures      ${result.signedResultsPerSecond.toFixed(1)} results/s (${result.signaturesPerSecond.toFixed(1)} signatures/s), ${size} bytes`,
        `  bar: ≥ ${BAR.minSignedResultsPerSecond} signed results/s: ${pass ? 'met' : 'NOT met'}`,
      ],
    };
  },
};

export default bench;
