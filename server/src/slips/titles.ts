import type { SlipKind } from './types';

const TITLES: Record<SlipKind, { vi: string; en: string }> = {
  receipt: { vi: 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ', en: 'Receipt and appointment for the result' },
  'supplement-request': { vi: 'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ', en: 'Request to supplement the dossier' },
  refusal: { vi: 'PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ', en: 'Refusal to receive or handle the dossier' },
  apology: { vi: 'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ', en: 'Apology and new appointment for the result' },
  control: { vi: 'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ', en: 'Handling control slip' },
  'stop-notice': { vi: 'THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ', en: 'Notice of stopping the handling of the dossier' },
  'extra-time-notice': {
    vi: 'THÔNG BÁO KÉO DÀI THỜI HẠN GIẢI QUYẾT HỒ SƠ THEO QUY ĐỊNH',
    en: 'Notice of the lawful extra time for handling the dossier',
  },
};

/** Form number of each slip in Circular 01/2018; the notices (stop, lawful extra time) have none, so "TB". */
export const SLIP_FORM_NUMBER: Readonly<Record<SlipKind, string>> = {
  receipt: '01',
  'supplement-request': '02',
  refusal: '03',
  apology: '04',
  control: '05',
  'stop-notice': 'TB',
  'extra-time-notice': 'TB',
};

/** The printed Vietnamese title of a slip and an English gloss for the UI; pure. */
export function slipTitle(kind: SlipKind): { vi: string; en: string } {
  return TITLES[kind];
}
