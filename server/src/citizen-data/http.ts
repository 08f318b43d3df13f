/**
 * The HTTP adapter of the citizen-data interface: the shared databases' lookup services as
 * exposed on the data-sharing platform (a JSON POST per lookup, bearer token of the
 * connecting system, the consent and purpose carried in the request). Every answer is
 * checked against the contract before it is used: a database answering garbage is a
 * `bad-answer`, never a half-read person. The contract: docs/papers.md, "Shared data".
 */
import {
  CitizenDataError, type CitizenData, type CivilStatusRecord, type Found, type LookupRequest, type MaritalStatus, type PersonRecord,
  type SharedDataSource,
} from './types';

const PATHS: { [s in SharedDataSource]: string } = { population: '/dan-cu/v1/cong-dan/tra-cuu', 'civil-status': '/ho-tich/v1/tra-cuu' };
const CONSENT: { [m in LookupRequest['consent']['method']]: string } = { written: 'van-ban', vneid: 'vneid', 'at-desk': 'tai-quay' };
const SEX: { [k: string]: PersonRecord['sex'] } = { nam: 'male', nu: 'female' };
const MARITAL: { [k: string]: MaritalStatus } = { 'chua-ket-hon': 'single', 'dang-co-vo-chong': 'married', 'ly-hon': 'divorced', goa: 'widowed' };

type Json = { [k: string]: unknown };
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A reader that throws `bad-answer` at the first field not in the contract. */
function reader(source: SharedDataSource) {
  const bad = (what: string): never => { throw new CitizenDataError('bad-answer', source, what); };
  const str = (o: Json, k: string, max = 500): string => {
    const v = o[k];
    return typeof v === 'string' && v.trim() !== '' && v.length <= max ? v : bad(`field "${k}" is not a text`);
  };
  const optStr = (o: Json, k: string): string | null => (o[k] === undefined || o[k] === null ? null : str(o, k));
  const date = (o: Json, k: string): string => {
    const v = str(o, k, 10);
    return DATE.test(v) && !Number.isNaN(Date.parse(v)) ? v : bad(`field "${k}" is not a date`);
  };
  const obj = (o: Json, k: string): Json => (isObject(o[k]) ? o[k] : bad(`field "${k}" is not an object`));
  return { bad, str, optStr, date, obj };
}

/** The person of a population answer body, checked. */
export function readPerson(body: unknown, personalId: string): Found<PersonRecord> {
  const r = reader('population');
  if (!isObject(body)) return r.bad('the answer is not a JSON object');
  const p = r.obj(body, 'congDan');
  const id = r.str(p, 'soDinhDanh', 12);
  if (id !== personalId) r.bad('the answer is about another person');
  const sex = SEX[r.str(p, 'gioiTinh', 10)] ?? r.bad('field "gioiTinh" is not nam or nu');
  return {
    sourceRef: r.str(body, 'maTraCuu', 100),
    record: {
      personalId: id, fullName: r.str(p, 'hoVaTen', 200), dateOfBirth: r.date(p, 'ngaySinh'), sex,
      nationality: r.str(p, 'quocTich', 100), ethnicity: r.optStr(p, 'danToc'), hometown: r.optStr(p, 'queQuan'),
      permanentAddress: r.optStr(p, 'noiThuongTru'), currentAddress: r.optStr(p, 'noiOHienTai'),
    },
  };
}

/** The civil-status records of an answer body, checked. */
export function readCivilStatus(body: unknown, personalId: string): Found<CivilStatusRecord> {
  const r = reader('civil-status');
  if (!isObject(body)) return r.bad('the answer is not a JSON object');
  const h = r.obj(body, 'hoTich');
  const id = r.str(h, 'soDinhDanh', 12);
  if (id !== personalId) r.bad('the answer is about another person');
  const ks = h['khaiSinh'];
  const birth = ks === null || ks === undefined ? null
    : isObject(ks) ? { number: r.str(ks, 'so', 50), registeredOn: r.date(ks, 'ngayDangKy'), registeredAt: r.str(ks, 'noiDangKy') }
      : r.bad('field "khaiSinh" is not an object');
  const list = h['ketHon'] ?? [];
  if (!Array.isArray(list) || list.length > 20) r.bad('field "ketHon" is not a list');
  const marriages = (list as unknown[]).map((m) => {
    if (!isObject(m)) return r.bad('an entry of "ketHon" is not an object');
    return {
      number: r.str(m, 'so', 50), registeredOn: r.date(m, 'ngayDangKy'), registeredAt: r.str(m, 'noiDangKy'),
      spouseName: r.str(m, 'hoTenVoChong', 200), spouseId: r.optStr(m, 'soDinhDanhVoChong'),
      ended: m['ngayChamDut'] === undefined || m['ngayChamDut'] === null ? null : r.date(m, 'ngayChamDut'),
    };
  });
  const maritalStatus = MARITAL[r.str(h, 'tinhTrangHonNhan', 30)] ?? r.bad('field "tinhTrangHonNhan" is not a known status');
  return { sourceRef: r.str(body, 'maTraCuu', 100), record: { personalId: id, fullName: r.str(h, 'hoVaTen', 200), birth, maritalStatus, marriages } };
}

/** The request body both services take. */
export function requestBody(req: LookupRequest): Json {
  return {
    soDinhDanh: req.personalId, lyDo: req.purpose, maDonVi: req.unit,
    canBo: { ma: req.officer.id, hoTen: req.officer.name },
    dongY: { hinhThuc: CONSENT[req.consent.method], thoiDiem: req.consent.at },
  };
}

/** The citizen-data interface over HTTP (base URL and token of the connecting system; 5 s per request). */
export class HttpCitizenData implements CitizenData {
  constructor(private readonly baseUrl: string, private readonly token: string, private readonly timeoutMs = 5000) {}

  async person(req: LookupRequest): Promise<Found<PersonRecord> | null> {
    const body = await this.post('population', req);
    return body === null ? null : readPerson(body, req.personalId);
  }

  async civilStatus(req: LookupRequest): Promise<Found<CivilStatusRecord> | null> {
    const body = await this.post('civil-status', req);
    return body === null ? null : readCivilStatus(body, req.personalId);
  }

  /** POSTs a lookup; the JSON answer, null for "not found"; CitizenDataError for the rest. */
  private async post(source: SharedDataSource, req: LookupRequest): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(new URL(PATHS[source], this.baseUrl), {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}`, accept: 'application/json' },
        body: JSON.stringify(requestBody(req)), signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      throw new CitizenDataError('unavailable', source, (e as Error).message);
    }
    const text = await res.text().catch(() => '');
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (res.status === 404 && isObject(json) && json['maLoi'] === 'KHONG_TIM_THAY') return null;
    if (res.status === 200) {
      if (json === undefined) throw new CitizenDataError('bad-answer', source, 'the answer is not JSON');
      return json;
    }
    if (res.status === 400 || res.status === 403) {
      throw new CitizenDataError('refused', source, `${res.status} ${isObject(json) ? String(json['maLoi']) : text.slice(0, 200)}`);
    }
    if (res.status === 401 || res.status >= 500) throw new CitizenDataError('unavailable', source, `HTTP ${res.status}`);
    throw new CitizenDataError('bad-answer', source, `HTTP ${res.status}`);
  }
}
