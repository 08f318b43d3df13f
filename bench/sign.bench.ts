/**
 * Electronic results: signatures per second. Each operation renders a result from the template
 * (pdfkit) and signs it twice in PAdES (the leader, then the unit's seal as an incremental
 * update), as an approval does; the baseline in the same run renders the same result unsigned,
 * so the figure tells what signing adds. Keys are local RSA-2048 (esign/pki.ts), rounds interleaved.
 * Beside them, slip 01 (the receipt rendered inside every intake, two copies with a QR code):
 * what a slip costs the action that issues it. Each figure also as process CPU per operation
 * (main thread, collector and crypto threads), steadier than rates on a shared machine.
 */
import { webcrypto } from 'node:crypto';
import { createCa, importPrivateKey, issueCertificate } from '../server/src/esign/pki';
import { signPdf } from '../server/src/esign/pades';
import { renderResult, type ResultData } from '../server/src/esign/result';
import { renderSlip, type SlipData } from '../server/src/slips/index';
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

/** Slip 01 of a dossier received at the desk, as intake issues it. */
const receipt = (n: number): SlipData => ({
  dossierCode: `000.01.31.H99-260302-${String(n).padStart(4, '0')}`,
  procedure: { code: '1.001193', name: 'Đăng ký khai sinh', legalDeadline: '3 ngày làm việc' },
  unit: { name: 'UBND xã An Phú', parentName: 'UBND tỉnh Demo' },
  applicant: { name: 'Nguyễn Thị Hường', address: 'Số 12 đường Lữ Gia, khu phố Đồng Tiến, xã An Phú, tỉnh Demo', phone: '0912 345 678' },
  receivedAt: '2026-03-02T01:20:00Z', dueAt: '2026-03-05T09:00:00Z',
  documents: [
    { name: 'Tờ khai đăng ký khai sinh theo mẫu', form: 'Bản chính', count: 1 },
    { name: 'Giấy chứng sinh do Bệnh viện Đa khoa tỉnh cấp', form: 'Bản chính', count: 1 },
  ],
  returnAt: 'Bộ phận Một cửa UBND xã An Phú', trackingUrl: `http://localhost:3000/tra-cuu?ma=${n}`,
  officer: { name: 'Trần Văn Đức', title: 'Công chức Tư pháp - Hộ tịch' }, issuedAt: '2026-03-02T01:25:00Z', place: 'An Phú',
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
    const slip = (n: number) => renderSlip('receipt', receipt(n));
    const cpu: { [op: string]: number[] } = { plain: [], signed: [], slip: [] };
    const timed = async (op: string, f: (n: number) => Promise<Buffer>): Promise<number> => {
      const t = performance.now();
      const c = process.cpuUsage();
      for (let i = 0; i < PER_ROUND; i++) await f(i);
      const used = process.cpuUsage(c);
      cpu[op]!.push((used.user + used.system) / 1000 / PER_ROUND);
      return PER_ROUND / ((performance.now() - t) / 1000);
    };
    await timed('plain', plain);
    await timed('signed', signed);
    await timed('slip', slip);
    for (const k of Object.keys(cpu)) cpu[k] = [];
    const plainRates: number[] = [];
    const signedRates: number[] = [];
    const slipRates: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      plainRates.push(await timed('plain', plain));
      signedRates.push(await timed('signed', signed));
      slipRates.push(await timed('slip', slip));
      log(`  round ${r + 1}: plain ${plainRates.at(-1)!.toFixed(1)}/s, signed ${signedRates.at(-1)!.toFixed(1)}/s, slip 01 ${slipRates.at(-1)!.toFixed(1)}/s`);
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const cpuMs = { plainRender: median(cpu['plain']!), signedResult: median(cpu['signed']!), slip01: median(cpu['slip']!) };
    const size = (await signed(1)).length;
    const result = {
      machine: machine(), rounds: ROUNDS, perRound: PER_ROUND,
      plainRenderPerSecond: median(plainRates), signedResultsPerSecond: median(signedRates),
      signaturesPerSecond: median(signedRates) * 2, signedBytes: size, slip01PerSecond: median(slipRates),
      cpuMsPerOperation: cpuMs, bar: BAR,
    };
    const pass = result.signedResultsPerSecond >= BAR.minSignedResultsPerSecond;
    return {
      result, pass,
      summary: [
        `  plain render (baseline)          ${result.plainRenderPerSecond.toFixed(1)} results/s, ${cpuMs.plainRender.toFixed(1)} ms CPU each`,
        `  render + 2 PAdES signatures      ${result.signedResultsPerSecond.toFixed(1)} results/s (${result.signaturesPerSecond.toFixed(1)} signatures/s), ${size} bytes, ${cpuMs.signedResult.toFixed(1)} ms CPU each`,
        `  slip 01 (receipt, 2 copies)      ${result.slip01PerSecond.toFixed(1)} slips/s, ${cpuMs.slip01.toFixed(1)} ms CPU each`,
        `  bar: ≥ ${BAR.minSignedResultsPerSecond} signed results/s: ${pass ? 'met' : 'NOT met'}`,
      ],
    };
  },
};

export default bench;
