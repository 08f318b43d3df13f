/**
 * JSON Schemas of what goes to and comes from the national portal: the sync record, the
 * progress entry and the inbound online dossier. Compiled once (ajv) at first use; every
 * record is validated before it leaves (./adapter.ts) and the simulator validates what it
 * receives with the very same schemas (./simulator.ts).
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

/** yyyyMMddHHmmss, or empty when the date does not apply yet (reconciliation reads dates by this pattern). */
export const PORTAL_DATE_PATTERN = '^(|\\d{4}(0[1-9]|1[0-2])(0[1-9]|[12]\\d|3[01])([01]\\d|2[0-3])[0-5]\\d[0-5]\\d)$';
const PortalDate = { type: 'string', pattern: PORTAL_DATE_PATTERN } as const;
const RequiredDate = { ...PortalDate, minLength: 14 } as const;
const Text = (max: number, min = 0) => ({ type: 'string', minLength: min, maxLength: max }) as const;
const Code = { type: 'integer', minimum: 1, maximum: 10 } as const;
/** 0 or 1 (the newer record's yes/no fields). */
const Flag = { type: 'integer', enum: [0, 1] } as const;

const strictObject = (properties: Record<string, object>, required: string[] = Object.keys(properties)) =>
  ({ type: 'object', additionalProperties: false, required, properties }) as const;

export const SYNC_RECORD_SCHEMA = strictObject({
  MaHoSo: Text(60, 1),
  MaHoSoQG: { type: 'string', maxLength: 100, pattern: '^[A-Za-z0-9._-]*$' },
  MaTTHC: { type: 'string', pattern: '^[0-9]\\.[0-9]{6}(\\.[0-9A-Za-z]+)*$|^[A-Za-z0-9._-]{1,60}$' },
  TenTTHC: Text(1000, 1),
  // As long as a name: a definition without its field code sends the field's name here.
  MaLinhVuc: Text(200, 1),
  TenLinhVuc: Text(500, 1),
  KenhThucHien: { type: 'integer', enum: [1, 2, 3] },
  ChuHoSo: Text(300, 1),
  LoaiDoiTuong: { type: 'integer', enum: [1, 2] },
  MaDoiTuong: { type: 'string', pattern: '^(|[0-9]{9}|[0-9]{12}|[0-9]{10}(-[0-9]{3})?|[A-Za-z0-9-]{1,30})$' },
  DiaChi: Text(500),
  SoDienThoai: { type: 'string', pattern: '^(|\\+?[0-9 .-]{6,20})$' },
  Email: { type: 'string', maxLength: 200, pattern: '^(|[^@\\s]+@[^@\\s]+\\.[^@\\s]+)$' },
  TrichYeuHoSo: Text(2000, 1),
  NgayTiepNhan: PortalDate,
  NgayHenTra: PortalDate,
  NgayKetThucXuLy: PortalDate,
  NgayTra: PortalDate,
  TrangThaiHoSo: Code,
  HinhThuc: { type: 'integer', enum: [0, 1] },
  MaDonViTiepNhan: Text(60, 1),
  DonViTiepNhan: Text(300, 1),
  MaDonViXuLy: Text(60, 1),
  DonViXuLy: Text(300, 1),
  TaiLieuNop: { type: 'array', maxItems: 500, items: strictObject({
    TepDinhKemId: Text(100, 1), TenTepDinhKem: Text(500, 1), MaThanhPhanHoSo: Text(100), DuongDanTaiTepTin: Text(2000),
    MaBam: { type: 'string', pattern: '^(|[0-9a-f]{64})$' },
    DuocSoHoa: Flag, DuocTaiSuDung: Flag,
  }) },
  DanhSachLePhi: { type: 'array', maxItems: 100, items: strictObject({
    MaPhiLePhi: Text(100, 1), TenPhiLePhi: Text(500, 1), Gia: { type: 'number', minimum: 0 }, DaThanhToan: { type: 'boolean' },
  }) },
  DanhSachHoSoBoSung: { type: 'array', maxItems: 100, items: strictObject({
    HoSoBoSungId: Text(100, 1), NguoiYeuCauBoSung: Text(300), NoiDungBoSung: Text(2000), NgayBoSung: RequiredDate,
    NguoiTiepNhanBoSung: Text(300), NgayTiepNhanBoSung: PortalDate, TrangThaiBoSung: { type: 'integer', enum: [0, 1] },
    NgayHenTraTruoc: PortalDate, NgayHenTraMoi: PortalDate,
  }) },
  DanhSachGiaHan: { type: 'array', maxItems: 100, items: strictObject({
    Loai: { type: 'integer', enum: [1, 2] }, NgayGiaHan: RequiredDate, LyDo: Text(2000), NgayHenTraTruoc: PortalDate, NgayHenTraMoi: PortalDate,
  }) },
  DanhSachGiayToKetQua: { type: 'array', maxItems: 100, items: strictObject({
    GiayToId: Text(100, 1), TenGiayTo: Text(1000, 1), DuongDanTepTinKetQua: Text(2000),
  }) },
  NgayNopHoSo: PortalDate,
  HoSoCoThanhPhanSoHoa: Flag,
  TaiKhoanDuocXacThucVoiVNeID: Flag,
  DuocThanhToanTrucTuyen: Flag,
  DSKetNoiCSDL: { type: 'array', maxItems: 20, items: strictObject({ MaCSDL: Text(60, 1) }) },
  MaSuKien: Text(200, 1),
  ThoiDiemSuKien: RequiredDate,
});

export const PROGRESS_SCHEMA = strictObject({
  MaHoSo: Text(60, 1),
  NguoiXuLy: Text(300, 1),
  ChucDanh: Text(300),
  ThoiDiemXuLy: RequiredDate,
  MaPhongBanXuLy: Text(60, 1),
  PhongBanXuLy: Text(300, 1),
  ThaoTac: Text(300, 1),
  NoiDungXuLy: Text(4000, 1),
  TrangThai: Code,
  NgayBatDau: PortalDate,
  NgayKetThucTheoQuyDinh: PortalDate,
  MaSuKien: Text(200, 1),
});

/** An online dossier the portal pushes (or the pull finds): see docs/portal.md, "Inbound". */
export const INBOUND_SCHEMA = strictObject({
  MaHoSoQG: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._-]+$' },
  MaTTHC: Text(60, 1),
  MaDonVi: Text(60, 1),
  ChuHoSo: Text(300, 1),
  MaDoiTuong: { type: 'string', pattern: '^([0-9]{9}|[0-9]{12}|[0-9]{10}(-[0-9]{3})?)$' },
  DiaChi: Text(500),
  SoDienThoai: { type: 'string', pattern: '^(|\\+?[0-9 .-]{6,20})$' },
  Email: { type: 'string', maxLength: 200, pattern: '^(|[^@\\s]+@[^@\\s]+\\.[^@\\s]+)$' },
  TrichYeuHoSo: Text(2000),
  NgayNopHoSo: RequiredDate,
  DuLieu: { type: 'object', maxProperties: 200 },
  ThanhPhanHoSo: { type: 'array', maxItems: 100, items: Text(100, 1) },
}, ['MaHoSoQG', 'MaTTHC', 'MaDonVi', 'ChuHoSo', 'NgayNopHoSo']);

export interface InboundDossier {
  MaHoSoQG: string;
  MaTTHC: string;
  MaDonVi: string;
  ChuHoSo: string;
  MaDoiTuong?: string;
  DiaChi?: string;
  SoDienThoai?: string;
  Email?: string;
  TrichYeuHoSo?: string;
  NgayNopHoSo: string;
  DuLieu?: { [k: string]: unknown };
  ThanhPhanHoSo?: string[];
}

let compiled: { sync: ValidateFunction; progress: ValidateFunction; inbound: ValidateFunction } | null = null;

/** The three validators, compiled on first use and kept. */
export function validators() {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: true });
    compiled = { sync: ajv.compile(SYNC_RECORD_SCHEMA), progress: ajv.compile(PROGRESS_SCHEMA), inbound: ajv.compile(INBOUND_SCHEMA) };
  }
  return compiled;
}

/** ajv's errors as JSON pointers with a message ("/NgayHenTra must match pattern …"). */
export function describeErrors(errors: ErrorObject[] | null | undefined): { path: string; message: string }[] {
  return (errors ?? []).map((e) => ({
    path: e.instancePath || (e.params && 'missingProperty' in e.params ? `/${String(e.params['missingProperty'])}` : ''),
    message: e.message ?? 'invalid',
  }));
}
