/**
 * The citizen's notifications: which outbox events are told, and the Vietnamese texts an
 * administrator may edit. A text may use only the placeholders below, and they carry no
 * more personal data than the dossier's code, its status and the appointment (and the
 * amount and the addresses of the public tracking page and the receipt): never a name, an
 * ID number, an address or the procedure (which may name a life event, see
 * docs/public-lookup.md). Pure.
 */
import type { LocalizedText } from '@motcua/engine';

export const EVENTS = ['received', 'supplement', 'payment', 'paid', 'refunded', 'result', 'apology', 'extended', 'stopped', 'returned', 'refused'] as const;
export type NotifyEvent = (typeof EVENTS)[number];

export const PLACEHOLDERS = {
  ma_ho_so: { vi: 'Mã hồ sơ', en: 'Dossier code' },
  trang_thai: { vi: 'Trạng thái hồ sơ', en: 'Dossier status' },
  ngay_hen: { vi: 'Ngày hẹn trả kết quả', en: 'Appointment for the result' },
  so_tien: { vi: 'Số tiền (phí, lệ phí)', en: 'Amount (fees)' },
  lien_ket: { vi: 'Địa chỉ tra cứu hồ sơ (chỉ có mã hồ sơ)', en: 'Tracking address (the code only)' },
  bien_lai: { vi: 'Địa chỉ biên lai điện tử', en: 'Address of the electronic receipt' },
} as const satisfies Record<string, LocalizedText>;
export type Placeholder = keyof typeof PLACEHOLDERS;

export const EVENT_NAMES: Record<NotifyEvent, LocalizedText> = {
  received: { vi: 'Đã tiếp nhận hồ sơ', en: 'Dossier received' },
  supplement: { vi: 'Yêu cầu bổ sung hồ sơ', en: 'Supplement requested' },
  payment: { vi: 'Yêu cầu nộp phí, lệ phí', en: 'Payment requested' },
  paid: { vi: 'Đã nhận thanh toán (biên lai)', en: 'Payment received (receipt)' },
  refunded: { vi: 'Hoàn trả khoản đã nộp', en: 'Payment refunded' },
  result: { vi: 'Có kết quả, chờ trả', en: 'Result ready' },
  apology: { vi: 'Trễ hạn, xin lỗi và hẹn lại', en: 'Late: apology and new appointment' },
  extended: { vi: 'Kéo dài thời hạn giải quyết theo quy định', en: 'Time lawfully extended: new appointment' },
  stopped: { vi: 'Dừng giải quyết hồ sơ', en: 'Handling stopped' },
  returned: { vi: 'Đã trả kết quả', en: 'Result returned' },
  refused: { vi: 'Từ chối tiếp nhận hồ sơ', en: 'Dossier refused' },
};

export interface Template { subject: string; body: string }

export const DEFAULT_TEMPLATES: Record<NotifyEvent, Template> = {
  received: {
    subject: 'Hồ sơ {{ma_ho_so}} đã được tiếp nhận',
    body: 'Hồ sơ {{ma_ho_so}} đã được tiếp nhận. Ngày hẹn trả kết quả: {{ngay_hen}}. Tra cứu: {{lien_ket}}',
  },
  supplement: {
    subject: 'Hồ sơ {{ma_ho_so}} cần bổ sung',
    body: 'Hồ sơ {{ma_ho_so}} cần bổ sung giấy tờ theo phiếu yêu cầu bổ sung, hoàn thiện hồ sơ. Tra cứu: {{lien_ket}}',
  },
  payment: {
    subject: 'Hồ sơ {{ma_ho_so}}: mời nộp phí, lệ phí',
    body: 'Hồ sơ {{ma_ho_so}} cần nộp phí, lệ phí {{so_tien}}. Có thể nộp trực tuyến tại trang tra cứu: {{lien_ket}}',
  },
  paid: {
    subject: 'Biên lai điện tử hồ sơ {{ma_ho_so}}',
    body: 'Đã nhận {{so_tien}} phí, lệ phí của hồ sơ {{ma_ho_so}}. Biên lai điện tử: {{bien_lai}}',
  },
  refunded: {
    subject: 'Hoàn trả phí, lệ phí hồ sơ {{ma_ho_so}}',
    body: 'Khoản {{so_tien}} đã nộp cho hồ sơ {{ma_ho_so}} được hoàn trả. Tra cứu: {{lien_ket}}',
  },
  result: {
    subject: 'Hồ sơ {{ma_ho_so}} đã có kết quả',
    body: 'Hồ sơ {{ma_ho_so}} đã có kết quả ({{trang_thai}}). Mời nhận kết quả theo lịch hẹn {{ngay_hen}}. Tra cứu: {{lien_ket}}',
  },
  apology: {
    subject: 'Xin lỗi: hồ sơ {{ma_ho_so}} được hẹn lại',
    body: 'Cơ quan giải quyết xin lỗi vì hồ sơ {{ma_ho_so}} chưa có kết quả đúng hẹn. Ngày hẹn mới: {{ngay_hen}}. Tra cứu: {{lien_ket}}',
  },
  extended: {
    subject: 'Hồ sơ {{ma_ho_so}}: thời hạn giải quyết được kéo dài',
    body: 'Thời hạn giải quyết hồ sơ {{ma_ho_so}} được kéo dài theo quy định. Ngày hẹn trả kết quả mới: {{ngay_hen}}. Tra cứu: {{lien_ket}}',
  },
  stopped: {
    subject: 'Hồ sơ {{ma_ho_so}} bị dừng giải quyết',
    body: 'Hồ sơ {{ma_ho_so}} bị dừng giải quyết; lý do ghi trong thông báo dừng giải quyết. Tra cứu: {{lien_ket}}',
  },
  returned: {
    subject: 'Hồ sơ {{ma_ho_so}} đã trả kết quả',
    body: 'Hồ sơ {{ma_ho_so}} đã trả kết quả ({{trang_thai}}). Mời đánh giá mức độ hài lòng tại {{lien_ket}}',
  },
  refused: {
    subject: 'Hồ sơ {{ma_ho_so}} không được tiếp nhận',
    body: 'Hồ sơ {{ma_ho_so}} không được tiếp nhận; lý do ghi trong phiếu từ chối. Tra cứu: {{lien_ket}}',
  },
};

export interface TemplateIssue { path: string; message: LocalizedText }

const TOKEN = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Problems of an edited template: unknown placeholders, stray braces, empty or too long text. */
export function checkTemplate(t: Template): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  for (const [field, max] of [['subject', 200], ['body', 1000]] as const) {
    const text = t[field];
    if (!text.trim()) issues.push({ path: `/${field}`, message: { vi: 'Không được để trống', en: 'Must not be empty' } });
    if (text.length > max) issues.push({ path: `/${field}`, message: { vi: `Tối đa ${max} ký tự`, en: `At most ${max} characters` } });
    for (const m of text.matchAll(TOKEN)) {
      const name = m[1] ?? '';
      // Own keys only: `constructor`, `__proto__`, `toString` are in every object.
      if (!Object.hasOwn(PLACEHOLDERS, name)) {
        issues.push({
          path: `/${field}`,
          message: {
            vi: `Không có trường "{{${name}}}"; chỉ dùng: ${Object.keys(PLACEHOLDERS).map((k) => `{{${k}}}`).join(', ')}`,
            en: `No placeholder "{{${name}}}"; use only: ${Object.keys(PLACEHOLDERS).map((k) => `{{${k}}}`).join(', ')}`,
          },
        });
      }
    }
    const rest = text.replace(TOKEN, '');
    if (rest.includes('{{') || rest.includes('}}')) {
      issues.push({ path: `/${field}`, message: { vi: 'Dấu ngoặc {{ }} không khớp', en: 'Unbalanced {{ }}' } });
    }
  }
  return issues;
}

export type Values = Partial<Record<Placeholder, string>>;

/** Fills a template's placeholders (a missing value leaves an empty string). */
export function render(t: Template, values: Values): Template {
  const fill = (s: string) => s.replace(TOKEN, (_m, name: string) => (Object.hasOwn(values, name) ? values[name as Placeholder] ?? '' : '')).replace(/[ \t]+/g, ' ').trim();
  return { subject: fill(t.subject), body: fill(t.body) };
}
