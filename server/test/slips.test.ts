import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { formatInstant, renderSlip, SLIP_FORM_NUMBER, SLIP_KINDS, SlipDataError, slipTitle } from '../src/slips';
import type { SlipData, SlipKind } from '../src/slips';

// --- A small PDF text extractor -----------------------------------------------------------
// pdfkit writes text as glyph ids; the only way back to characters is each font's ToUnicode
// CMap. Decoding through it is exactly what a reader's copy/search does, so a dropped mark
// or a font lacking Vietnamese glyphs (code 0 = .notdef, shown here as U+FFFD) fails the test.

interface PdfObject { dict: string; stream?: Buffer }

function parseObjects(pdf: Buffer): Map<number, PdfObject> {
  const s = pdf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const re = /(\d+) 0 obj\b/g;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const start = re.lastIndex;
    const end = s.indexOf('endobj', start);
    const streamAt = s.indexOf('stream', start);
    if (streamAt === -1 || streamAt > end) {
      objects.set(Number(m[1]), { dict: s.slice(start, end) });
      continue;
    }
    const dict = s.slice(start, streamAt);
    const from = streamAt + (s[streamAt + 6] === '\r' ? 8 : 7);
    const raw = pdf.subarray(from, from + Number(/\/Length (\d+)/.exec(dict)?.[1]));
    objects.set(Number(m[1]), { dict, stream: dict.includes('/FlateDecode') ? inflateSync(raw) : raw });
    re.lastIndex = from + raw.length;
  }
  return objects;
}

const ref = (dict: string, key: string): number => Number(new RegExp(`/${key} (\\d+) 0 R`).exec(dict)?.[1]);

function toUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const [, start, , list] of cmap.matchAll(/<([0-9a-f]{4})> <([0-9a-f]{4})> \[([^\]]*)\]/gi)) {
    [...(list ?? '').matchAll(/<([0-9a-f ]*)>/gi)].forEach((u, i) => {
      const units = (u[1] ?? '').trim().split(' ').map((h) => parseInt(h, 16));
      map.set(parseInt(start ?? '0', 16) + i, String.fromCharCode(...units));
    });
  }
  return map;
}

/** Text of each page, one string per line, plus the base font names used. */
function extract(pdf: Buffer): { pages: string[]; fonts: Set<string> } {
  const objects = parseObjects(pdf);
  const get = (n: number): PdfObject => objects.get(n) ?? { dict: '' };
  const root = [...objects.values()].find((o) => /\/Type \/Pages\b/.test(o.dict));
  const kids = [...(/\/Kids \[([^\]]*)\]/.exec(root?.dict ?? '')?.[1] ?? '').matchAll(/(\d+) 0 R/g)].map((k) => Number(k[1]));
  const fonts = new Set<string>();
  const pages = kids.map((kid) => {
    const page = get(kid).dict;
    const resources = /\/Resources (\d+) 0 R/.test(page) ? get(ref(page, 'Resources')).dict : page;
    const cmaps = new Map<string, Map<number, string>>();
    for (const [, name, obj] of /\/Font <<([^>]*)>>/.exec(resources)?.[1]?.matchAll(/\/(\w+) (\d+) 0 R/g) ?? []) {
      const font = get(Number(obj)).dict;
      fonts.add(/\/BaseFont \/(\S+)/.exec(font)?.[1] ?? '?');
      if (!font.includes('/ToUnicode')) throw new Error(`font ${name} has no ToUnicode map: not an embedded DejaVu subset`);
      cmaps.set(name ?? '', toUnicode(get(ref(font, 'ToUnicode')).stream?.toString('latin1') ?? ''));
    }
    const lines: { y: string; text: string }[] = [];
    let cmap = new Map<number, string>();
    let y = '';
    const content = get(ref(page, 'Contents')).stream?.toString('latin1') ?? '';
    for (const [, font, ty, tj] of content.matchAll(/\/(\w+) [\d.]+ Tf|1 0 0 1 [\d.-]+ ([\d.-]+) Tm|\[(.*?)\] TJ/g)) {
      if (font) cmap = cmaps.get(font) ?? new Map();
      if (ty) y = ty;
      if (tj === undefined) continue;
      // A large negative TJ offset is the word gap of justified text: read it as a space.
      const text = [...tj.matchAll(/<([0-9a-f]*)>|(-?[\d.]+)/gi)].map(([, hex, num]) => (num !== undefined
        ? (Number(num) < -100 ? ' ' : '')
        : (hex?.match(/.{4}/g) ?? []).map((c) => (parseInt(c, 16) === 0 ? '\uFFFD' : (cmap.get(parseInt(c, 16)) ?? '\uFFFD'))).join(''))).join('');
      const last = lines.at(-1);
      if (last && last.y === y) last.text += (/\s$/.test(last.text) ? '' : ' ') + text;
      else lines.push({ y, text });
    }
    return lines.map((l) => l.text).join('\n');
  });
  return { pages, fonts };
}

/** Whole-document text with wrapped lines joined, so a phrase split at a line end still matches. */
const flat = (pages: string[]): string => pages.join('\n').replace(/\s+/g, ' ');

// --- Fixtures -----------------------------------------------------------------------------

const signing = { lines: ['TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'], signer: 'Võ Thị Mỹ Duyên' };

const base: SlipData = {
  dossierCode: '000.31.30.H56-260302-0007',
  procedure: { code: '1.001193', name: 'Đăng ký khai sinh', legalDeadline: '3 ngày làm việc' },
  unit: { name: 'UBND Phường Bình Minh' },
  applicant: {
    name: 'Nguyễn Thị Hường',
    address: 'Số 12 đường Lữ Gia, khu phố Đồng Tiến, Phường Bình Minh, tỉnh Demo',
    phone: '0912 345 678',
    email: 'huong.nguyen@example.vn',
  },
  receivedAt: '2026-03-02T01:20:00Z',
  dueAt: '2026-03-05T09:00:00Z',
  documents: [
    { name: 'Tờ khai đăng ký khai sinh theo mẫu', form: 'Bản chính', count: 1 },
    { name: 'Giấy chứng sinh do Bệnh viện Đa khoa tỉnh cấp', form: 'Bản chính', count: 1 },
    { name: 'Căn cước của người đi đăng ký khai sinh', form: 'Bản sao có chứng thực', count: 1 },
  ],
  returnAt: 'Bộ phận Một cửa UBND Phường Bình Minh, số 1 đường Trần Hưng Đạo',
  trackingUrl: 'https://dichvucong.demo.gov.vn/tra-cuu?ma=000.31.30.H56-260302-0007',
  officer: { name: 'Trần Văn Đức', title: 'Công chức Tư pháp - Hộ tịch' },
  contact: 'ông Trần Văn Đức, Bộ phận Một cửa, điện thoại 0270 3821 456',
  issuedAt: '2026-03-02T01:25:00Z',
  place: 'Bình Minh',
};

const handoff = (i: number): NonNullable<SlipData['handoffs']>[number] => ({
  from: i % 2 === 0 ? 'Bộ phận Một cửa – Trần Văn Đức' : 'Công chức Tư pháp – Lữ Minh Khang',
  to: i % 2 === 0 ? 'Công chức Tư pháp – Lữ Minh Khang' : 'Lãnh đạo UBND – Võ Thị Mỹ Duyên',
  at: new Date(Date.parse('2026-03-02T01:30:00Z') + i * 3_600_000).toISOString(),
  result: i === 3 ? 'late' : i % 2 === 0 ? 'early' : 'on-time',
  note: i === 3 ? 'Chờ xác minh giấy chứng sinh với Bệnh viện Đa khoa tỉnh' : '',
});

const DATA: Record<SlipKind, SlipData> = {
  receipt: base,
  'supplement-request': { ...base, documents: [{ name: 'Giấy chứng sinh do Bệnh viện Đa khoa tỉnh cấp', form: 'Bản chính', count: 1 }], reason: 'Giấy chứng sinh nộp kèm là bản chụp, không rõ những thông tin về ngày sinh.' },
  refusal: { ...base, reason: 'Việc khai sinh cho trẻ đã được đăng ký tại UBND xã Hòa Lợi ngày 15/01/2026; không đăng ký lại.', signing },
  apology: { ...base, originalDueAt: '2026-03-05T09:00:00Z', dueAt: '2026-03-09T09:00:00Z', reason: 'Cần xác minh những thông tin trên giấy chứng sinh với Bệnh viện Đa khoa tỉnh.', signing },
  control: { ...base, coordinatingUnits: ['Công an Phường Bình Minh'], handoffs: [0, 1, 2, 3].map(handoff) },
  'stop-notice': {
    ...base, reason: 'Quá thời hạn bổ sung, hoàn thiện hồ sơ mà ông/bà chưa nộp giấy tờ còn thiếu.', signing,
    document: { symbol: 'TB-UBND', basis: ['Nghị định số 118/2025/NĐ-CP của Chính phủ', 'Luật Hộ tịch số 60/2014/QH13'], recipients: ['Như trên', 'Bộ phận Một cửa – UBND Phường Bình Minh', 'Lưu: VT, hồ sơ'] },
  },
  'extra-time-notice': { ...base, originalDueAt: '2026-03-05T09:00:00Z', dueAt: '2026-03-09T09:00:00Z', reason: 'Cần xác minh những thông tin trên giấy chứng sinh với Bệnh viện Đa khoa tỉnh.', extraTime: { days: 2, basis: 'Luật Hộ tịch 2014, Điều 18 khoản 2' }, signing },
};

/** Phrases each slip must show, letter for letter. */
const EXPECTED: Record<SlipKind, string[]> = {
  receipt: ['NGƯỜI NỘP HỒ SƠ', 'NGƯỜI TIẾP NHẬN HỒ SƠ', 'Trần Văn Đức', '08 giờ 20 phút, ngày 02/03/2026', '16 giờ 00 phút, ngày 05/03/2026', 'Giấy chứng sinh do Bệnh viện Đa khoa tỉnh cấp', 'Bản sao có chứng thực', 'Liên 2: Giao người nộp hồ sơ'],
  'supplement-request': ['không rõ những thông tin về ngày sinh', 'NGƯỜI HƯỚNG DẪN', 'điện thoại 0270 3821 456'],
  refusal: ['UBND xã Hòa Lợi', 'không đăng ký lại'],
  apology: ['16 giờ 00 phút, ngày 05/03/2026', '16 giờ 00 phút, ngày 09/03/2026', 'Cần xác minh những thông tin', 'xin lỗi ông/bà'],
  control: ['Bên giao', 'Bên nhận', 'Lữ Minh Khang', 'Trước hạn', 'Đúng hạn', 'Quá hạn', 'Công an Phường Bình Minh'],
  'stop-notice': ['thông báo dừng giải quyết hồ sơ', 'chưa nộp giấy tờ còn thiếu'],
  'extra-time-notice': ['Căn cứ Luật Hộ tịch 2014, Điều 18 khoản 2', 'kéo dài thêm 02 ngày làm việc', '16 giờ 00 phút, ngày 05/03/2026', '16 giờ 00 phút, ngày 09/03/2026'],
};

const COMMON = ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc', 'ỦY BAN NHÂN DÂN', 'PHƯỜNG BÌNH MINH',
  'Bình Minh, ngày 02 tháng 3 năm 2026', 'Mã hồ sơ: 000.31.30.H56-260302-0007', 'Nguyễn Thị Hường', 'Đăng ký khai sinh'];
const SIGNED = ['TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH', 'Võ Thị Mỹ Duyên'];
const PAGES: Record<SlipKind, number> = { receipt: 2, 'supplement-request': 1, refusal: 1, apology: 1, control: 1, 'stop-notice': 1, 'extra-time-notice': 1 };

const has = (tool: string): boolean => spawnSync('which', [tool]).status === 0;

// --- Tests --------------------------------------------------------------------------------

describe('renderSlip', () => {
  it.each(SLIP_KINDS)('should render %s as a PDF whose text keeps every Vietnamese diacritic', async (kind) => {
    // given realistic data for the slip
    const data = DATA[kind];

    // when it is rendered
    const pdf = await renderSlip(kind, data);
    const { pages, fonts } = extract(pdf);
    const text = flat(pages);

    // then it is a PDF of the expected length, set only in embedded DejaVu, with every phrase intact
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pages).toHaveLength(PAGES[kind]);
    expect([...fonts].every((f) => /^[A-Z]{6}\+DejaVu(Sans|Serif)/.test(f))).toBe(true);
    expect(text).not.toContain('\uFFFD');
    expect(text).toContain(slipTitle(kind).vi);
    for (const phrase of [...COMMON, ...EXPECTED[kind], ...(data.signing ? SIGNED : [])]) expect(text).toContain(phrase);
    for (const letter of ['ữ', 'ệ', 'Đ', 'ờ', 'ễ', 'ị', 'ƯỜ', 'Ộ']) expect(text).toContain(letter);
  });

  it('should tell the citizen of lawful extra time with its basis and never apologise', async () => {
    // given the notice of lawful extra time (docs/records.md)
    const text = flat(extract(await renderSlip('extra-time-notice', DATA['extra-time-notice'])).pages);
    // then it gives the legal basis and the new appointment, and holds no apology nor lateness
    expect(text).toContain('Căn cứ Luật Hộ tịch 2014, Điều 18 khoản 2');
    expect(text).not.toMatch(/xin lỗi|chậm trễ|đúng thời hạn/iu);
  });

  it('should print each copy of the receipt on its own page', async () => {
    // given / when a receipt is rendered
    const { pages } = extract(await renderSlip('receipt', base));

    // then page 1 is the desk's copy and page 2 the applicant's, each complete
    expect(pages[0]).toContain('Liên 1: Lưu tại Bộ phận tiếp nhận và trả kết quả');
    expect(pages[1]).toContain('Liên 2: Giao người nộp hồ sơ');
    for (const page of pages) expect(flat([page])).toContain('NGƯỜI TIẾP NHẬN HỒ SƠ');
  });

  it('should paginate a long hand-off table and repeat its header on every page', async () => {
    // given a dossier that changed hands sixty times
    const data = { ...DATA.control, handoffs: Array.from({ length: 60 }, (_, i) => handoff(i)) };

    // when the control slip is rendered
    const { pages } = extract(await renderSlip('control', data));

    // then it runs over several pages, each with the table header and a page number
    expect(pages).toHaveLength(4);
    pages.forEach((page, i) => {
      expect(page).toContain('Bên giao');
      expect(page).toContain(`Trang ${i + 1}/${pages.length}`);
    });
    expect(flat(pages)).toContain('Võ Thị Mỹ Duyên');
  });

  it('should produce the same bytes for the same data', async () => {
    // given / when the same slip is rendered twice
    // (one after the other: two renders interleaved on a loaded machine were seen to differ once)
    const a = await renderSlip('receipt', base);
    const b = await renderSlip('receipt', base);

    // then the files are identical, creation date included
    expect(a.equals(b)).toBe(true);
    expect(a.toString('latin1')).toContain('(D:20260302012500Z)');
  });

  it('should render each slip byte for byte as a process that drew nothing before it would', async () => {
    // given a process that has drawn every kind of slip, a Han character and a long control slip
    // (the fonts are parsed once per process and shared by every document: docs/records.md)
    await Promise.all([
      ...SLIP_KINDS.map((k) => renderSlip(k, DATA[k])),
      renderSlip('refusal', { ...base, applicant: { ...base.applicant, name: 'Nguyễn 漢 Hường Ỷ Ữ ỡ ẵ Ặ ỗ' } }),
      renderSlip('control', { ...DATA.control, handoffs: Array.from({ length: 30 }, (_, i) => handoff(i)) }),
    ]);
    const warm = new Map<SlipKind, Buffer>();
    for (const kind of [...SLIP_KINDS].reverse()) warm.set(kind, await renderSlip(kind, DATA[kind]));

    // when each kind is rendered first by fresh copies of the renderer (fonts not yet parsed)
    for (const kind of SLIP_KINDS) {
      vi.resetModules();
      const fresh = await import('../src/slips/renderSlip');
      const cold = await fresh.renderSlip(kind, DATA[kind]);

      // then the bytes are the same: an issued slip's stored sha256 keeps matching its downloads
      expect(cold.equals(warm.get(kind)!), kind).toBe(true);
    }
  });

  it('should print decomposed input exactly like precomposed input', async () => {
    // given the applicant's name typed in NFD (e + combining marks), as macOS input often sends it
    const nfd = { ...base, applicant: { ...base.applicant, name: 'Nguyễn Thị Hường'.normalize('NFD') } };

    // when both are rendered
    const [a, b] = await Promise.all([renderSlip('refusal', nfd), renderSlip('refusal', base)]);

    // then the output is the same
    expect(a.equals(b)).toBe(true);
  });

  it('should print at most 2,000 characters of a field, ending with an ellipsis, however long the word typed', async () => {
    // given a refusal whose reason is one unbroken word of 20,000 letters, typed decomposed
    // (pdfkit breaks such a word in time and memory growing with its square: 20 KB took 38 s and 2 GB)
    const word = `Nguyễn${'ẵ'.repeat(20_000 - 6)}`;
    const data = { ...DATA.refusal, reason: word.normalize('NFD') };

    // when it is rendered and read back
    const pdf = await renderSlip('refusal', data);
    const text = flat(extract(pdf).pages);
    // the word is printed over many lines (broken at zero-width spaces and at line ends)
    const compact = text.replace(/[\s\u200B]/gu, '');

    // then the PDF holds the start of the word, precomposed, cut to 2,000 characters with "…"
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(text).not.toContain('\uFFFD');
    expect(compact).toContain('Nguyễnẵẵẵẵ');
    expect(compact).toContain('ẵẵẵ…');
    expect(compact.match(/ẵ/gu)).toHaveLength(2000 - 6 - 1);
  });

  it('should print a long word under the cap whole, wrapped across lines', async () => {
    // given a hand-off note on form 05 holding a 600-character token (an address pasted in)
    const token = `https://dichvucong.demo.gov.vn/tra-cuu?${'ma=000.31.30.H56-260302-0007&'.repeat(20)}`;
    const data = { ...DATA.control, handoffs: [{ ...handoff(3), note: token }] };

    // when the control slip is rendered
    const compact = flat(extract(await renderSlip('control', data)).pages).replace(/[\s\u200B]/gu, '');

    // then every character of it is printed, in order, and nothing is cut
    expect(compact).toContain(token);
    expect(compact).not.toContain('…');
  });

  it.runIf(has('pdftotext'))('should give pdftotext the start of a 20,000-character word and the ellipsis on form 05', async () => {
    // given the withdraw reason of an applicant, one unbroken word of 20,000 letters, as a hand-off note
    const word = 'x'.repeat(20_000);
    const data = { ...DATA.control, handoffs: [{ ...handoff(3), note: `Rút hồ sơ: ${word}` }] };

    // when form 05 is rendered and poppler reads it
    const pdf = await renderSlip('control', data);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8').replace(/[\s\u200B]/gu, '');

    // then the note starts as typed and is cut with an ellipsis (the cell holds at most a page)
    expect(text).toContain(`Rúthồsơ:${'x'.repeat(40)}`);
    expect(text).toContain('x…');
    expect((text.match(/x/g) ?? []).length).toBeLessThan(2000);
  });

  it('should show a replacement mark when a character has no glyph, so the diacritics check can fail', async () => {
    // given a name with a Han character DejaVu does not cover
    const data = { ...base, applicant: { ...base.applicant, name: 'Nguyễn 漢 Hường' } };

    // when it is rendered and read back
    const text = flat(extract(await renderSlip('refusal', data)).pages);

    // then the missing glyph is visible to the extractor
    expect(text).toContain('Nguyễn \uFFFD Hường');
  });

  it('should reject an instant that does not parse, naming the field', async () => {
    // given a receipt time that is not ISO
    const data = { ...base, receivedAt: '02/03/2026 08:20' };

    // when
    const rendering = renderSlip('receipt', data);

    // then it fails with a typed error naming the field
    await expect(rendering).rejects.toBeInstanceOf(SlipDataError);
    await expect(rendering).rejects.toMatchObject({ code: 'SLIP_DATA_INVALID', field: 'receivedAt' });
  });

  it.runIf(has('pdftotext'))('should read the same Vietnamese text with pdftotext', async () => {
    for (const kind of SLIP_KINDS) {
      // given a rendered slip
      const pdf = await renderSlip(kind, DATA[kind]);

      // when poppler extracts its text
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8').replace(/\s+/g, ' ');

      // then the diacritics are there too
      for (const phrase of [...COMMON, slipTitle(kind).vi]) expect(text).toContain(phrase);
    }
  });

  it.runIf(has('pdftoppm'))('should rasterise every slip to PNG (kept in SLIP_PNG_DIR for a human look)', async () => {
    // given a folder of its own: SLIP_PNG_DIR when a human wants to look, else a temporary one
    const keep = process.env['SLIP_PNG_DIR'];
    const dir = keep ?? mkdtempSync(join(tmpdir(), 'motcua-slips-'));
    mkdirSync(dir, { recursive: true });
    try {
      // when every kind is rasterised
      for (const kind of SLIP_KINDS) {
        const file = join(dir, `${SLIP_FORM_NUMBER[kind]}-${kind}.pdf`);
        writeFileSync(file, await renderSlip(kind, DATA[kind]));
        execFileSync('pdftoppm', ['-r', '80', '-png', file, file.replace(/\.pdf$/, '')]);
      }
      // then each slip has at least one page picture
      const pngs = readdirSync(dir).filter((f) => f.endsWith('.png'));
      for (const kind of SLIP_KINDS) expect(pngs.some((f) => f.startsWith(`${SLIP_FORM_NUMBER[kind]}-${kind}`))).toBe(true);
    } finally {
      if (!keep) rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('slip labels', () => {
  it('should number the forms as Circular 01/2018 does and mark the notices (stop, lawful extra time) TB', () => {
    // given / when / then
    expect(SLIP_KINDS.map((k) => SLIP_FORM_NUMBER[k])).toEqual(['01', '02', '03', '04', '05', 'TB', 'TB']);
    expect(slipTitle('stop-notice')).toEqual({ vi: 'THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ', en: 'Notice of stopping the handling of the dossier' });
  });

  it('should write months without a leading zero except January and February, and keep it on days under 10 (Decree 30/2020, Annex I)', async () => {
    // given slips issued on 7 September and 15 February, in Hà Nội
    const september = flat(extract(await renderSlip('refusal', { ...DATA.refusal, issuedAt: '2026-09-07T02:00:00Z', place: 'An Phú' })).pages);
    const february = flat(extract(await renderSlip('refusal', { ...DATA.refusal, issuedAt: '2026-02-15T02:00:00Z', place: 'An Phú' })).pages);
    // then the place line names the locality and writes the date as the decree does
    expect(september).toContain('An Phú, ngày 07 tháng 9 năm 2026');
    expect(february).toContain('An Phú, ngày 15 tháng 02 năm 2026');
  });

  it('should head a commune People\'s Committee\'s slip with no superior body, and a police station\'s with its province police (Decree 30/2020, Annex I)', async () => {
    // given a slip of UBND xã An Phú and one of Công an xã An Phú
    const committee = flat(extract(await renderSlip('refusal', { ...DATA.refusal, unit: { name: 'UBND xã An Phú' } })).pages);
    const police = flat(extract(await renderSlip('refusal', { ...DATA.refusal, unit: { name: 'Công an xã An Phú', parentName: 'Công an tỉnh Demo' } })).pages);
    // then the committee is written in full, without the province above it
    expect(committee).toContain('ỦY BAN NHÂN DÂN XÃ AN PHÚ');
    expect(committee).not.toContain('TỈNH DEMO');
    expect(police).toContain('CÔNG AN TỈNH DEMO CÔNG AN XÃ AN PHÚ');
  });

  it('should give the handling control slip (form 05, Circular 01/2018) no signature block of the agency, and the appointment of slip 01 beside the moved one', async () => {
    // given a control slip of a dossier whose appointment was moved from 5 to 9 March
    const text = flat(extract(await renderSlip('control', { ...DATA.control, originalDueAt: '2026-03-05T09:00:00Z', dueAt: '2026-03-09T09:00:00Z', signing })).pages);
    // then both appointments show, and nobody signs below the table (the rows are the signatures)
    expect(text).toContain('Thời gian hẹn trả kết quả: 16 giờ 00 phút, ngày 05/03/2026');
    expect(text).toContain('sau khi kéo dài, hẹn lại: 16 giờ 00 phút, ngày 09/03/2026');
    for (const phrase of ['TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'đóng dấu']) expect(text).not.toContain(phrase);
  });

  it('should give the stop notice (Circular 03/2025) a number and symbol, its legal basis and "Nơi nhận" (Decree 30/2020, Annex I)', async () => {
    // given a stop notice without a number yet, and one numbered by the clerk
    const blank = flat(extract(await renderSlip('stop-notice', DATA['stop-notice'])).pages);
    const numbered = flat(extract(await renderSlip('stop-notice', { ...DATA['stop-notice'], document: { ...DATA['stop-notice'].document!, number: '27' } })).pages);
    // then the number line, the basis and the recipients are printed
    expect(blank).toContain('Số: ……/TB-UBND');
    expect(numbered).toContain('Số: 27/TB-UBND');
    expect(blank).toContain('Căn cứ Nghị định số 118/2025/NĐ-CP của Chính phủ;');
    expect(blank).toContain('Căn cứ Luật Hộ tịch số 60/2014/QH13;');
    expect(blank).toMatch(/Nơi nhận:.*- Như trên;.*- Lưu: VT, hồ sơ\./);
  });

  it('should give an online dossier an electronic receipt: one copy, no applicant signature, no paper result promised online (Circular 01/2018 form 01)', async () => {
    // given the receipt of a dossier submitted online
    const { pages } = extract(await renderSlip('receipt', { ...base, electronic: true }));
    const text = flat(pages);
    // then it is one electronic copy, signed by the receiving officer only
    expect(pages).toHaveLength(1);
    expect(text).toContain('Giấy tiếp nhận điện tử, gửi vào tài khoản của người nộp hồ sơ trên Cổng Dịch vụ công');
    expect(text).not.toContain('Liên 2');
    expect(text).not.toContain('NGƯỜI NỘP HỒ SƠ');
    expect(text).toContain('NGƯỜI TIẾP NHẬN HỒ SƠ');
  });

  it('should print instants in Vietnam time, across midnight UTC', () => {
    // given an instant at 17:30 UTC, which is 00:30 the next day in Hà Nội
    // when / then
    expect(formatInstant('2026-03-01T17:30:00Z')).toBe('00 giờ 30 phút, ngày 02/03/2026');
    expect(formatInstant('2026-03-02T01:20:00Z')).toBe('08 giờ 20 phút, ngày 02/03/2026');
  });
});
