/**
 * A simulator of the shared national databases' lookup services: the national population
 * database (POST /dan-cu/v1/cong-dan/tra-cuu) and the civil-status database
 * (POST /ho-tich/v1/tra-cuu), speaking the contract of ../citizen-data/http.ts over real
 * HTTP. It checks what it receives (the bearer token, a 12-digit personal ID, the purpose,
 * the asking unit and officer, and the citizen's consent — refused without it), answers from
 * its demo persons, and can be told to fail, be slow or answer garbage. Started by the tests
 * on port 0 and by the demo. Never used in production: it holds invented people only.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A demo person as both databases hold them (Vietnamese field names of the contract). */
export interface SimPerson {
  soDinhDanh: string;
  hoVaTen: string;
  ngaySinh: string;
  gioiTinh: 'nam' | 'nu';
  quocTich: string;
  danToc?: string;
  queQuan?: string;
  noiThuongTru?: string;
  noiOHienTai?: string;
  /** Civil status; absent: the civil-status database knows nothing of the person. */
  hoTich?: {
    khaiSinh: { so: string; ngayDangKy: string; noiDangKy: string } | null;
    tinhTrangHonNhan: 'chua-ket-hon' | 'dang-co-vo-chong' | 'ly-hon' | 'goa';
    ketHon: { so: string; ngayDangKy: string; noiDangKy: string; hoTenVoChong: string; soDinhDanhVoChong?: string; ngayChamDut?: string }[];
  };
}

/** Invented people for the tests and the demo (IDs not issued to anyone: province code 099). */
export const DEMO_PERSONS: SimPerson[] = [
  {
    soDinhDanh: '099196004040', hoVaTen: 'Kiều Thị Mỹ', ngaySinh: '1996-04-18', gioiTinh: 'nu', quocTich: 'Việt Nam', danToc: 'Kinh',
    queQuan: 'Xã An Phú, tỉnh Demo', noiThuongTru: 'Ấp 3, xã An Phú, tỉnh Demo', noiOHienTai: 'Ấp 3, xã An Phú, tỉnh Demo',
    hoTich: {
      khaiSinh: { so: '112/1996', ngayDangKy: '1996-05-02', noiDangKy: 'UBND xã An Phú' },
      tinhTrangHonNhan: 'ly-hon',
      ketHon: [{ so: '45/2018', ngayDangKy: '2018-09-10', noiDangKy: 'UBND xã An Phú', hoTenVoChong: 'Trần Văn Bảo', soDinhDanhVoChong: '099093001122', ngayChamDut: '2023-03-15' }],
    },
  },
  {
    soDinhDanh: '099090001234', hoVaTen: 'Nguyễn Văn An', ngaySinh: '1990-01-15', gioiTinh: 'nam', quocTich: 'Việt Nam', danToc: 'Kinh',
    queQuan: 'Phường Bình Minh, tỉnh Demo', noiThuongTru: '12 Lê Lợi, phường Bình Minh, tỉnh Demo', noiOHienTai: '12 Lê Lợi, phường Bình Minh, tỉnh Demo',
    hoTich: { khaiSinh: { so: '08/1990', ngayDangKy: '1990-02-01', noiDangKy: 'UBND phường Bình Minh' }, tinhTrangHonNhan: 'chua-ket-hon', ketHon: [] },
  },
  {
    soDinhDanh: '099198005678', hoVaTen: 'Lê Thị Hoa', ngaySinh: '1998-11-30', gioiTinh: 'nu', quocTich: 'Việt Nam', danToc: 'Kinh',
    noiThuongTru: 'Ấp 1, xã An Phú, tỉnh Demo',
  },
];

/** How the simulator answers: normally, with errors, slowly, or with bodies outside the contract. */
export type SimMode = 'normal' | 'fail' | 'slow' | 'garbage' | 'wrong-person';

export interface SimRequest { path: string; body: unknown; status: number }

export interface PopulationSimulator {
  url: string;
  token: string;
  /** Every request received, with the status answered. */
  requests: SimRequest[];
  mode: SimMode;
  /** Delay of the `slow` mode, in ms. */
  delayMs: number;
  close(): Promise<void>;
}

const ID = /^\d{12}$/;
const CONSENT_WAYS = new Set(['van-ban', 'vneid', 'tai-quay']);

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json; charset=utf-8' });
  res.end(text);
}

/** The request's problem, or null: the checks a real sharing service makes before it reads a record. */
function problem(body: unknown): { status: number; code: string; field?: string } | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { status: 400, code: 'YEU_CAU_KHONG_HOP_LE' };
  const b = body as { [k: string]: unknown };
  if (typeof b['soDinhDanh'] !== 'string' || !ID.test(b['soDinhDanh'])) return { status: 400, code: 'YEU_CAU_KHONG_HOP_LE', field: 'soDinhDanh' };
  if (typeof b['lyDo'] !== 'string' || b['lyDo'].trim() === '') return { status: 400, code: 'YEU_CAU_KHONG_HOP_LE', field: 'lyDo' };
  if (typeof b['maDonVi'] !== 'string' || b['maDonVi'].trim() === '') return { status: 400, code: 'YEU_CAU_KHONG_HOP_LE', field: 'maDonVi' };
  const officer = b['canBo'] as { [k: string]: unknown } | undefined;
  if (typeof officer !== 'object' || officer === null || typeof officer['ma'] !== 'string' || typeof officer['hoTen'] !== 'string') {
    return { status: 400, code: 'YEU_CAU_KHONG_HOP_LE', field: 'canBo' };
  }
  const consent = b['dongY'] as { [k: string]: unknown } | undefined;
  if (typeof consent !== 'object' || consent === null || !CONSENT_WAYS.has(String(consent['hinhThuc']))
    || typeof consent['thoiDiem'] !== 'string' || Number.isNaN(Date.parse(consent['thoiDiem']))) {
    return { status: 403, code: 'CHUA_CO_SU_DONG_Y', field: 'dongY' };
  }
  return null;
}

/** Starts the simulator on `port` (0: any free port) on the loopback interface. */
export async function startPopulationSimulator(options: { port?: number; token?: string; persons?: SimPerson[] } = {}): Promise<PopulationSimulator> {
  const persons = new Map((options.persons ?? DEMO_PERSONS).map((p) => [p.soDinhDanh, p]));
  const token = options.token ?? randomUUID();
  const sim = { url: '', token, requests: [] as SimRequest[], mode: 'normal' as SimMode, delayMs: 3000, close: async () => {} };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > 64 * 1024) return send(res, 413, { maLoi: 'QUA_LON' });
      chunks.push(c as Buffer);
    }
    let body: unknown = null;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      body = null;
    }
    const answer = (status: number, out: unknown): void => {
      sim.requests.push({ path, body, status });
      send(res, status, out);
    };
    const isPopulation = path === '/dan-cu/v1/cong-dan/tra-cuu';
    if (req.method !== 'POST' || (!isPopulation && path !== '/ho-tich/v1/tra-cuu')) return answer(404, { maLoi: 'KHONG_CO_DICH_VU' });
    if (req.headers['authorization'] !== `Bearer ${token}`) return answer(401, { maLoi: 'CHUA_XAC_THUC' });
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return answer(400, { maLoi: 'YEU_CAU_KHONG_HOP_LE', truong: 'content-type' });
    if (sim.mode === 'slow') await new Promise((r) => setTimeout(r, sim.delayMs));
    if (sim.mode === 'fail') return answer(503, { maLoi: 'TAM_NGUNG' });
    const wrong = problem(body);
    if (wrong) return answer(wrong.status, { maLoi: wrong.code, ...(wrong.field ? { truong: wrong.field } : {}) });
    const id = (body as { soDinhDanh: string }).soDinhDanh;
    if (sim.mode === 'garbage') return answer(200, isPopulation ? { congDan: { soDinhDanh: id, hoVaTen: 42, ngaySinh: 'hôm qua' } } : '<html>Bảo trì</html>');
    const p = persons.get(id);
    if (!p || (!isPopulation && !p.hoTich)) return answer(404, { maLoi: 'KHONG_TIM_THAY' });
    const shown = sim.mode === 'wrong-person' ? { ...p, soDinhDanh: '099000000000' } : p;
    if (isPopulation) {
      const { hoTich: _h, ...congDan } = shown;
      return answer(200, { maTraCuu: randomUUID(), congDan });
    }
    return answer(200, { maTraCuu: randomUUID(), hoTich: { soDinhDanh: shown.soDinhDanh, hoVaTen: shown.hoVaTen, ...shown.hoTich } });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => { if (!res.headersSent) send(res, 500, { maLoi: 'LOI' }); });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  sim.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sim.close = () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  return sim;
}
