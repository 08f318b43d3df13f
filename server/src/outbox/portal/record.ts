/**
 * The portal's sync record (service "DongBoHoSoMC") and progress entry (service
 * "CapNhatTienDoHoSoMC") of one dossier event: its facts (./facts.ts), with the list changes
 * (supplement rounds, extensions, fees) of the dossier's earlier events folded in. The keys here are
 * motcua's; the names on the wire are those of ./names.ts (one table), which follow the public
 * clients cited in ./README.md; fields marked "(motcua)" are this project's additions.
 */
import { toLocalIso } from '@motcua/engine';
import type { Change, PortalFacts } from './facts';
import type { StatusTable } from './status';

/** `yyyyMMddHHmmss` in Vietnam's time. */
export function portalDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  return toLocalIso(t).replace(/[-:T]/g, '').slice(0, 14);
}

/** Channel codes: 1 in person, 2 online, 3 postal. */
export function channelCode(channel: string): number {
  return channel === 'online' ? 2 : channel === 'postal' ? 3 : 1;
}

export interface UnitNames { name(code: string): string }

/** A file stored with the dossier: `digitised` a paper digitised at intake (bản sao điện tử), `reused` taken from the citizen's store or a signed result. */
export interface StoredPaper { id: string; name: string; sha256: string; link: string; digitised: boolean; reused: boolean }

/**
 * What motcua records of a dossier outside its events, read at delivery (./repo.ts `extrasOf`):
 * the newer record's Decision 766 fields come from it.
 */
export interface DossierExtras {
  /** Submitted online by a citizen signed in through the identity provider (VNeID, OpenID Connect): verified claims. */
  verifiedAccount: boolean;
  /** A payment of its fees settled online (payment provider). */
  paidOnline: boolean;
  /** The shared databases looked up for it (population, civil-status), each once. */
  sharedData: string[];
}

export const NO_EXTRAS: DossierExtras = { verifiedAccount: false, paidOnline: false, sharedData: [] };

export interface SyncRecord {
  MaHoSo: string;
  /** (motcua) The portal's id of a dossier submitted on the portal; empty otherwise. */
  MaHoSoQG: string;
  MaTTHC: string;
  TenTTHC: string;
  /** The field's code in the national catalog (catalog.fieldCode); its name when the definition has no code. */
  MaLinhVuc: string;
  TenLinhVuc: string;
  KenhThucHien: number;
  ChuHoSo: string;
  LoaiDoiTuong: number;
  MaDoiTuong: string;
  DiaChi: string;
  SoDienThoai: string;
  Email: string;
  TrichYeuHoSo: string;
  NgayTiepNhan: string;
  NgayHenTra: string;
  NgayKetThucXuLy: string;
  NgayTra: string;
  TrangThaiHoSo: number;
  HinhThuc: number;
  MaDonViTiepNhan: string;
  DonViTiepNhan: string;
  MaDonViXuLy: string;
  DonViXuLy: string;
  TaiLieuNop: {
    TepDinhKemId: string; TenTepDinhKem: string; MaThanhPhanHoSo: string; DuongDanTaiTepTin: string; MaBam: string;
    /** 1 when the paper was digitised at intake (a "digitised" document). */
    DuocSoHoa: number;
    /** 1 when the paper was reused (from the citizen's store, or a signed result), not handed in again. */
    DuocTaiSuDung: number;
  }[];
  DanhSachLePhi: { MaPhiLePhi: string; TenPhiLePhi: string; Gia: number; DaThanhToan: boolean }[];
  DanhSachHoSoBoSung: {
    HoSoBoSungId: string; NguoiYeuCauBoSung: string; NoiDungBoSung: string; NgayBoSung: string; NguoiTiepNhanBoSung: string;
    NgayTiepNhanBoSung: string; TrangThaiBoSung: number; NgayHenTraTruoc: string; NgayHenTraMoi: string;
  }[];
  DanhSachGiaHan: { Loai: number; NgayGiaHan: string; LyDo: string; NgayHenTraTruoc: string; NgayHenTraMoi: string }[];
  DanhSachGiayToKetQua: { GiayToId: string; TenGiayTo: string; DuongDanTepTinKetQua: string }[];
  /** When the dossier was submitted. */
  NgayNopHoSo: string;
  /** 1 when at least one paper was digitised at intake. */
  HoSoCoThanhPhanSoHoa: number;
  /** 1 when submitted online by a citizen whose account the identity provider (VNeID) verified. */
  TaiKhoanDuocXacThucVoiVNeID: number;
  /** 1 when its fees were paid online. */
  DuocThanhToanTrucTuyen: number;
  /** The shared databases looked up for it (motcua's source names: population, civil-status). */
  DSKetNoiCSDL: { MaCSDL: string }[];
  /** (motcua) The event this record describes: the portal de-duplicates on it. */
  MaSuKien: string;
  /** (motcua) When the event happened. */
  ThoiDiemSuKien: string;
}

export interface ProgressEntry {
  MaHoSo: string;
  NguoiXuLy: string;
  ChucDanh: string;
  ThoiDiemXuLy: string;
  MaPhongBanXuLy: string;
  PhongBanXuLy: string;
  ThaoTac: string;
  NoiDungXuLy: string;
  TrangThai: number;
  NgayBatDau: string;
  NgayKetThucTheoQuyDinh: string;
  MaSuKien: string;
}

export interface BuildInput {
  eventId: string;
  /** This event's facts (its outbox row's `portal`). */
  facts: PortalFacts;
  /** The list changes of the dossier's earlier events, in order (all the record needs of its history). */
  earlier: readonly Change[];
  table: StatusTable;
  units: UnitNames;
  /** Files stored with the dossier (hash and link). */
  stored: readonly StoredPaper[];
  /** Where a citizen or the portal finds the dossier (public base URL). */
  publicUrl: string;
  /** What motcua records of the dossier besides its events (default: nothing). */
  extras?: DossierExtras;
}

/** The sync record and progress entry of one event (its facts, and the list changes before it). */
export function buildRecord(input: BuildInput): { sync: SyncRecord; progress: ProgressEntry } {
  const { facts: f, table, units } = input;
  const d = f.dossier;
  const status = table[f.state];
  const changes: readonly Change[] = input.earlier.length ? [...input.earlier, ...f.changes] : f.changes;
  const supplements: SyncRecord['DanhSachHoSoBoSung'] = [];
  const extensions: SyncRecord['DanhSachGiaHan'] = [];
  let paid = false;
  const requested = new Map<string, number>();
  for (const c of changes) {
    if (c.kind === 'supplement-requested') {
      supplements.push({
        HoSoBoSungId: `${d.code}-BS${supplements.length + 1}`, NguoiYeuCauBoSung: c.by, NoiDungBoSung: c.reason ?? '', NgayBoSung: portalDate(c.at),
        NguoiTiepNhanBoSung: '', NgayTiepNhanBoSung: '', TrangThaiBoSung: 0, NgayHenTraTruoc: portalDate(c.oldDueAt), NgayHenTraMoi: '',
      });
    } else if (c.kind === 'supplement-received') {
      const open = supplements.findLast((x) => x.TrangThaiBoSung === 0);
      if (open) Object.assign(open, { NguoiTiepNhanBoSung: c.by, NgayTiepNhanBoSung: portalDate(c.at), TrangThaiBoSung: 1, NgayHenTraMoi: portalDate(c.newDueAt) });
    } else if (c.kind === 'extension' || c.kind === 'apology') {
      extensions.push({ Loai: c.kind === 'apology' ? 2 : 1, NgayGiaHan: portalDate(c.at), LyDo: c.reason ?? '', NgayHenTraTruoc: portalDate(c.oldDueAt), NgayHenTraMoi: portalDate(c.newDueAt) });
    } else if (c.kind === 'payment-requested') {
      for (const fee of c.fees) requested.set(fee.id, fee.amount);
    } else if (c.kind === 'paid') paid = true;
  }
  const fees = d.fees.map((x) => ({ MaPhiLePhi: x.id, TenPhiLePhi: x.name, Gia: requested.get(x.id) ?? x.amount, DaThanhToan: paid }));
  const link = `${input.publicUrl.replace(/\/$/, '')}/tra-cuu/${encodeURIComponent(d.code)}`;
  const ticked = d.papers.filter((p) => !input.stored.some((s) => s.id === p.id))
    .map((p) => ({ TepDinhKemId: p.id, TenTepDinhKem: p.name, MaThanhPhanHoSo: p.id, DuongDanTaiTepTin: '', MaBam: '', DuocSoHoa: 0, DuocTaiSuDung: 0 }));
  const files = input.stored.map((s) => ({
    TepDinhKemId: s.id, TenTepDinhKem: s.name, MaThanhPhanHoSo: '', DuongDanTaiTepTin: s.link, MaBam: s.sha256,
    DuocSoHoa: s.digitised ? 1 : 0, DuocTaiSuDung: s.reused ? 1 : 0,
  }));
  const extras = input.extras ?? NO_EXTRAS;
  const results = d.returnedAt || (status === 9 && d.outcome === 'approved')
    ? [{ GiayToId: `${d.code}-KQ`, TenGiayTo: d.result, DuongDanTepTinKetQua: link }]
    : [];
  const sync: SyncRecord = {
    MaHoSo: d.code,
    MaHoSoQG: d.portalId ?? '',
    MaTTHC: d.publishedCode,
    TenTTHC: d.procedureName,
    // The field's national code; a definition without one (the designer's analysis notes it,
    // AN_FIELD_WITHOUT_CODE) sends the name as before, so a province that syncs today keeps syncing.
    MaLinhVuc: d.fieldCode ?? d.field,
    TenLinhVuc: d.field,
    KenhThucHien: channelCode(d.channel),
    ChuHoSo: d.applicant.name,
    LoaiDoiTuong: d.applicant.kind === 'organisation' ? 2 : 1,
    MaDoiTuong: d.applicant.id ?? '',
    DiaChi: d.applicant.address ?? '',
    SoDienThoai: d.applicant.phone ?? '',
    Email: d.applicant.email ?? '',
    TrichYeuHoSo: d.summary,
    NgayTiepNhan: portalDate(d.receivedAt),
    NgayHenTra: portalDate(d.dueAt),
    NgayKetThucXuLy: portalDate(d.finishedAt),
    NgayTra: portalDate(d.returnedAt),
    TrangThaiHoSo: status,
    HinhThuc: d.returnVia === 'post' ? 1 : 0,
    MaDonViTiepNhan: d.receiving,
    DonViTiepNhan: units.name(d.receiving),
    MaDonViXuLy: d.competent,
    DonViXuLy: units.name(d.competent),
    TaiLieuNop: [...ticked, ...files],
    DanhSachLePhi: fees,
    DanhSachHoSoBoSung: supplements,
    DanhSachGiaHan: extensions,
    DanhSachGiayToKetQua: results,
    // Facts stored before submittedAt was kept: the submission is taken as the reception.
    NgayNopHoSo: portalDate(d.submittedAt ?? d.receivedAt),
    HoSoCoThanhPhanSoHoa: input.stored.some((s) => s.digitised) ? 1 : 0,
    TaiKhoanDuocXacThucVoiVNeID: extras.verifiedAccount ? 1 : 0,
    DuocThanhToanTrucTuyen: extras.paidOnline ? 1 : 0,
    DSKetNoiCSDL: extras.sharedData.map((x) => ({ MaCSDL: x })),
    MaSuKien: input.eventId,
    ThoiDiemSuKien: portalDate(f.at),
  };
  const p = f.progress;
  const progress: ProgressEntry = {
    MaHoSo: d.code,
    NguoiXuLy: p.handler,
    ChucDanh: p.title ?? '',
    ThoiDiemXuLy: portalDate(f.at),
    MaPhongBanXuLy: p.unit,
    PhongBanXuLy: units.name(p.unit),
    ThaoTac: p.action,
    NoiDungXuLy: p.content,
    TrangThai: status,
    NgayBatDau: portalDate(p.stepStart),
    NgayKetThucTheoQuyDinh: portalDate(p.stepDue ?? d.dueAt),
    MaSuKien: input.eventId,
  };
  return { sync, progress };
}
