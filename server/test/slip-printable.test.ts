/**
 * Free text as a slip prints it (../src/slips/printable.ts): the bounds, and the short path
 * that returns ordinary text untouched without segmenting it, at the edges where the two
 * could disagree.
 */
import { describe, expect, it } from 'vitest';
import { MAX_FIELD, MAX_WORD, printable } from '../src/slips/printable';

const BREAK = '\u200B';

describe('printable', () => {
  it('returns ordinary Vietnamese text as it is, in NFC', () => {
    const text = 'Số 12 đường Lữ Gia, khu phố Đồng Tiến, Phường Bình Minh, tỉnh Demo';
    expect(printable(text)).toBe(text);
    expect(printable('Nguye\u0302\u0303n Thi\u0323 Hu\u031Bo\u031B\u0300ng')).toBe('Nguyễn Thị Hường');
  });

  it('breaks a run of letters only past MAX_WORD', () => {
    expect(printable('a'.repeat(MAX_WORD))).toBe('a'.repeat(MAX_WORD));
    expect(printable('a'.repeat(MAX_WORD + 1))).toBe(`${'a'.repeat(MAX_WORD)}${BREAK}a`);
    // the address a receipt's QR code prints: long, but under MAX_WORD letters
    const url = 'https://dichvucong.demo.gov.vn/tra-cuu?ma=000.31.30.H56-260302-0007';
    expect(printable(url)).toBe(url);
  });

  it('cuts a cluster of more than 32 code units, also one that starts with a space', () => {
    const marks = '\u0301'.repeat(40);
    expect(printable(`x${' '}${marks}`)).toBe(`x ${'\u0301'.repeat(31)}`);
    expect(printable(`q${marks}`)).toBe(`q${'\u0301'.repeat(31)}`);
    // 31 marks after a space: a cluster of 32, kept whole
    expect(printable(` ${'\u0301'.repeat(31)}`)).toBe(` ${'\u0301'.repeat(31)}`);
  });

  it('ends a field longer than MAX_FIELD with an ellipsis', () => {
    expect(printable('ab '.repeat(MAX_FIELD / 3))).toBe('ab '.repeat(MAX_FIELD / 3));
    const cut = printable('ab '.repeat(MAX_FIELD));
    expect(cut.length).toBeLessThanOrEqual(MAX_FIELD);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut.startsWith('ab ab ')).toBe(true);
  });
});
