/**
 * The national portal's names — of its services and of every field of the sync record and the
 * progress entry — in ONE table. The mapper (./record.ts), the schemas (./schema.ts) and
 * reconciliation work in motcua's keys (the left column); the wire carries the portal's names
 * (the right column): the adapter renames what it sends and what it reads back
 * (./adapter.ts), and the simulator reads and answers through the same table
 * (./simulator.ts). Today each name is the one the cited public clients use (./README.md,
 * "Sources"); when a province's integration test finds the portal names a field otherwise,
 * the correction is one edit of the right column here.
 */
import type { ProgressEntry, SyncRecord } from './record';
import type { InboundDossier } from './schema';

type Item<K extends keyof SyncRecord> = SyncRecord[K] extends readonly (infer T)[] ? keyof T : never;

/** Every key the mapper produces — checked by the compiler: a key without a portal name does not build. */
type MapperKey = keyof SyncRecord | keyof ProgressEntry
  | Item<'TaiLieuNop'> | Item<'DanhSachLePhi'> | Item<'DanhSachHoSoBoSung'> | Item<'DanhSachGiaHan'> | Item<'DanhSachGiayToKetQua'> | Item<'DSKetNoiCSDL'>;

/** motcua's key → the portal's field name. */
export const FIELD_NAMES: { readonly [K in MapperKey | 'QuaTrinhXuLy']: string } = {
  // the sync record ("DongBoHoSoMC")
  MaHoSo: 'MaHoSo', MaHoSoQG: 'MaHoSoQG', MaTTHC: 'MaTTHC', TenTTHC: 'TenTTHC', MaLinhVuc: 'MaLinhVuc', TenLinhVuc: 'TenLinhVuc',
  KenhThucHien: 'KenhThucHien', ChuHoSo: 'ChuHoSo', LoaiDoiTuong: 'LoaiDoiTuong', MaDoiTuong: 'MaDoiTuong', DiaChi: 'DiaChi',
  SoDienThoai: 'SoDienThoai', Email: 'Email', TrichYeuHoSo: 'TrichYeuHoSo', NgayTiepNhan: 'NgayTiepNhan', NgayHenTra: 'NgayHenTra',
  NgayKetThucXuLy: 'NgayKetThucXuLy', NgayTra: 'NgayTra', TrangThaiHoSo: 'TrangThaiHoSo', HinhThuc: 'HinhThuc',
  MaDonViTiepNhan: 'MaDonViTiepNhan', DonViTiepNhan: 'DonViTiepNhan', MaDonViXuLy: 'MaDonViXuLy', DonViXuLy: 'DonViXuLy',
  TaiLieuNop: 'TaiLieuNop', DanhSachLePhi: 'DanhSachLePhi', DanhSachHoSoBoSung: 'DanhSachHoSoBoSung', DanhSachGiaHan: 'DanhSachGiaHan',
  DanhSachGiayToKetQua: 'DanhSachGiayToKetQua', MaSuKien: 'MaSuKien', ThoiDiemSuKien: 'ThoiDiemSuKien',
  // the newer record's fields (Decision 766 indicators)
  NgayNopHoSo: 'NgayNopHoSo', HoSoCoThanhPhanSoHoa: 'HoSoCoThanhPhanSoHoa', TaiKhoanDuocXacThucVoiVNeID: 'TaiKhoanDuocXacThucVoiVNeID',
  DuocThanhToanTrucTuyen: 'DuocThanhToanTrucTuyen', DSKetNoiCSDL: 'DSKetNoiCSDL',
  // a shared database looked up
  MaCSDL: 'MaCSDL',
  // a paper handed in
  TepDinhKemId: 'TepDinhKemId', TenTepDinhKem: 'TenTepDinhKem', MaThanhPhanHoSo: 'MaThanhPhanHoSo', DuongDanTaiTepTin: 'DuongDanTaiTepTin', MaBam: 'MaBam',
  DuocSoHoa: 'DuocSoHoa', DuocTaiSuDung: 'DuocTaiSuDung',
  // a fee
  MaPhiLePhi: 'MaPhiLePhi', TenPhiLePhi: 'TenPhiLePhi', Gia: 'Gia', DaThanhToan: 'DaThanhToan',
  // a supplement round
  HoSoBoSungId: 'HoSoBoSungId', NguoiYeuCauBoSung: 'NguoiYeuCauBoSung', NoiDungBoSung: 'NoiDungBoSung', NgayBoSung: 'NgayBoSung',
  NguoiTiepNhanBoSung: 'NguoiTiepNhanBoSung', NgayTiepNhanBoSung: 'NgayTiepNhanBoSung', TrangThaiBoSung: 'TrangThaiBoSung',
  NgayHenTraTruoc: 'NgayHenTraTruoc', NgayHenTraMoi: 'NgayHenTraMoi',
  // an extension or apology
  Loai: 'Loai', NgayGiaHan: 'NgayGiaHan', LyDo: 'LyDo',
  // a result paper
  GiayToId: 'GiayToId', TenGiayTo: 'TenGiayTo', DuongDanTepTinKetQua: 'DuongDanTepTinKetQua',
  // the progress entry ("CapNhatTienDoHoSoMC")
  NguoiXuLy: 'NguoiXuLy', ChucDanh: 'ChucDanh', ThoiDiemXuLy: 'ThoiDiemXuLy', MaPhongBanXuLy: 'MaPhongBanXuLy', PhongBanXuLy: 'PhongBanXuLy',
  ThaoTac: 'ThaoTac', NoiDungXuLy: 'NoiDungXuLy', TrangThai: 'TrangThai', NgayBatDau: 'NgayBatDau', NgayKetThucTheoQuyDinh: 'NgayKetThucTheoQuyDinh',
  // the progress entries the query service lists with a record
  QuaTrinhXuLy: 'QuaTrinhXuLy',
};

/** The portal's services, and the request fields that are not a record's. */
export const SERVICE_NAMES = {
  sync: 'DongBoHoSoMC', progress: 'CapNhatTienDoHoSoMC', query: 'TraCuuHoSo', online: 'LayHoSoTrucTuyen',
  /** The query's list of dossier codes. */
  codes: 'mahoso',
} as const;

type Table = { readonly [k: string]: string };

function renamer(table: Table) {
  const identity = Object.entries(table).every(([k, v]) => k === v);
  const rename = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(rename);
    if (!v || typeof v !== 'object') return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [table[k] ?? k, rename(x)]));
  };
  // The table as it stands names every field as motcua does: nothing to rename (no cost per record).
  return identity ? <T>(v: T): T => v : <T>(v: T): T => rename(v) as T;
}

const inverse = (table: Table): Table => Object.fromEntries(Object.entries(table).map(([k, v]) => [v, k]));

/** Renamers for a table (the module's own below; tests pass another). */
export function portalNames(table: Table = FIELD_NAMES) {
  return { toPortal: renamer(table), fromPortal: renamer(inverse(table)), name: (k: string): string => table[k] ?? k };
}

/** motcua's record or entry with the portal's field names, and back. */
export const { toPortal, fromPortal, name: portalName } = portalNames();

/** How a connection sends values: as motcua's schemas type them, or every scalar as a string. */
export type ValueFormat = 'typed' | 'strings';

/**
 * Every scalar of a record as a string, the way the public clients send it ("2", "3000", "0"):
 * numbers in their JSON spelling, booleans "1"/"0" (as reconciliation reads them back, ./reconcile.ts
 * `canonicalAs`), strings as they are; null stays null.
 */
export function asStrings(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(asStrings);
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asStrings(x)]));
  return v;
}

/** A record or entry as it goes on the wire for a connection: its values formatted, then the portal's names. */
export const onWire = (format: ValueFormat) => (format === 'strings' ? (v: object): unknown => toPortal(asStrings(v)) : (v: object): unknown => toPortal(v));

/**
 * The fields of an online dossier the portal pushes or the pull finds (./inbound.ts): motcua's
 * key → the portal's name. Our own names so far (./README.md, "Still our own"): a province's
 * integration test corrects them here. Only the top level is renamed: `DuLieu` is the
 * dossier's own data, passed on as it is.
 */
export const INBOUND_NAMES: { readonly [K in keyof InboundDossier]-?: string } = {
  MaHoSoQG: 'MaHoSoQG', MaTTHC: 'MaTTHC', MaDonVi: 'MaDonVi', ChuHoSo: 'ChuHoSo', MaDoiTuong: 'MaDoiTuong', DiaChi: 'DiaChi',
  SoDienThoai: 'SoDienThoai', Email: 'Email', TrichYeuHoSo: 'TrichYeuHoSo', NgayNopHoSo: 'NgayNopHoSo', DuLieu: 'DuLieu', ThanhPhanHoSo: 'ThanhPhanHoSo',
};

function shallow(table: Table) {
  const identity = Object.entries(table).every(([k, v]) => k === v);
  return (v: unknown): unknown => (identity || !v || typeof v !== 'object' || Array.isArray(v) ? v
    : Object.fromEntries(Object.entries(v).map(([k, x]) => [table[k] ?? k, x])));
}

/** An inbound dossier in motcua's keys (from the portal's), and back (the simulator's queue). */
export const inboundFromPortal = shallow(inverse(INBOUND_NAMES));
export const inboundToPortal = shallow(INBOUND_NAMES);
/** A JSON pointer into an inbound dossier, its first segment in the portal's name ("/MaDonVi", "/DuLieu/x"). */
export const inboundPointer = (path: string): string => path.replace(/^\/([^/]+)/, (_, k: string) => `/${(INBOUND_NAMES as Table)[k] ?? k}`);
