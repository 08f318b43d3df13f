/**
 * Vietnamese phone numbers (Decision 798/QĐ-BTTTT numbering: 10-digit mobile numbers since
 * 2018, 11-digit landlines with the 02x area codes since 2017). An applicant's phone is
 * printed on the receipt and its last 4 digits unlock the public lookup, so a number mistyped
 * at the desk locks the citizen out: numbers are checked and kept in one form, the national
 * one ("0912345678"). Pure; shared by the server and the web app.
 */

/** Spaces, dots, dashes and brackets people write between digit groups. */
const SEPARATORS = /[\s.()-]/g;
/** Mobile: 0 then 3, 5, 7, 8 or 9, ten digits in all; landline: 02 then nine digits. */
const NATIONAL = /^(0[35789]\d{8}|02\d{9})$/;

/**
 * The number in national form ("+84 912 345 678", "0912.345.678" → "0912345678"), or null
 * when it is not a Vietnamese phone number.
 */
export function normalizeVnPhone(input: string): string | null {
  const bare = input.replace(SEPARATORS, '');
  const national = bare.startsWith('+84') ? `0${bare.slice(3)}` : bare.startsWith('0084') ? `0${bare.slice(4)}` : bare;
  return NATIONAL.test(national) ? national : null;
}

/** What is wrong, in both languages, for a form field or an API issue. */
export const PHONE_MESSAGE = {
  vi: 'Số điện thoại không hợp lệ: nhập 10 chữ số bắt đầu bằng 0 (ví dụ 0912 345 678), số cố định 11 chữ số bắt đầu bằng 02, hoặc dạng +84',
  en: 'Invalid phone number: type 10 digits starting with 0 (e.g. 0912 345 678), an 11-digit landline starting with 02, or the +84 form',
} as const;
