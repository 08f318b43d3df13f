import { execFileSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { reportToCsv, reportToXlsx } from '../src/stats/export';
import { reportToPdf } from '../src/stats/pdf';
import type { ReportCounts, ReportRow, StatisticsReport } from '../src/stats/report-types';

interface Figures {
  carriedOver?: number; online: number; direct: number; postal?: number;
  early: number; onTime?: number; late: number;
  withinDeadline: number; overdue: number;
  refused?: number; withdrawn?: number; apologies?: number;
  ratings?: number; score?: number | null;
}

/** Counts with the totals and rates derived the way the form defines them. */
function counts(f: Figures): ReportCounts {
  const received = { carriedOver: f.carriedOver ?? 0, online: f.online, direct: f.direct, postal: f.postal ?? 0 };
  const receivedTotal = received.carriedOver + received.online + received.direct + received.postal;
  const resolved = { early: f.early, onTime: f.onTime ?? 0, late: f.late };
  const resolvedTotal = resolved.early + resolved.onTime + resolved.late;
  return {
    received: { total: receivedTotal, ...received },
    resolved: { total: resolvedTotal, ...resolved },
    inProgress: { total: f.withinDeadline + f.overdue, withinDeadline: f.withinDeadline, overdue: f.overdue },
    refused: f.refused ?? 0,
    withdrawn: f.withdrawn ?? 0,
    apologies: f.apologies ?? 0,
    onTimeRate: resolvedTotal === 0 ? null : (resolved.early + resolved.onTime) / resolvedTotal,
    lateRate: receivedTotal === 0 ? null : (f.overdue + f.late) / receivedTotal,
    satisfaction: { count: f.ratings ?? 0, average: f.score ?? null },
  };
}

const row = (key: string, label: string, f: Figures): ReportRow => ({ key, label, ...counts(f) });

const QUOTED_LABEL = 'Đất đai, "nhà ở"';

/** The seeds' quarter: 812 received (254 online, 558 direct, 0 postal), 797 resolved (790 early, 7 late), 14 in progress. */
function seedReport(over: Partial<StatisticsReport> = {}): StatisticsReport {
  return {
    unit: { code: '000.00.31.H38', name: 'UBND xã Tân Hòa', includesChildren: false },
    period: { from: '2026-07-01', to: '2026-09-30' },
    groupBy: 'field',
    rows: [
      row('HT', 'Hộ tịch', { online: 120, direct: 400, early: 508, late: 4, withinDeadline: 7, overdue: 1, ratings: 300, score: 4.8 }),
      row('CT', 'Chứng thực', { online: 34, direct: 158, early: 187, late: 2, withinDeadline: 2, overdue: 0, refused: 1, ratings: 100, score: 4.6 }),
      row('DD', QUOTED_LABEL, { online: 100, direct: 0, early: 95, late: 1, withinDeadline: 3, overdue: 1 }),
    ],
    total: counts({
      online: 254, direct: 558, early: 790, late: 7, withinDeadline: 12, overdue: 2, refused: 1, ratings: 400, score: 4.75,
    }),
    generatedAt: '2026-10-05T02:30:00.000Z',
    ...over,
  };
}

/** RFC 4180 reader, so the tests check what a spreadsheet would see rather than raw text. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { cells.push(cell); cell = ''; }
    else if (ch === '\r' && text[i + 1] === '\n') { cells.push(cell); rows.push(cells); cells = []; cell = ''; i++; }
    else cell += ch;
  }
  if (cell !== '' || cells.length > 0) { cells.push(cell); rows.push(cells); }
  return rows;
}

const csvRows = (report: StatisticsReport, lang: 'vi' | 'en' = 'vi'): string[][] =>
  parseCsv(reportToCsv(report, lang).replace(/^\uFEFF/, ''));

async function sheetOf(report: StatisticsReport, lang: 'vi' | 'en' = 'vi'): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  // exceljs's load() is typed for its own Buffer alias, which Node's Buffer no longer matches.
  await workbook.xlsx.load((await reportToXlsx(report, lang)) as unknown as ExcelJS.Buffer);
  const sheet = workbook.getWorksheet('II.06a');
  if (!sheet) throw new Error('sheet II.06a missing');
  return sheet;
}

const valuesOf = (sheet: ExcelJS.Worksheet, r: number, from: number, to: number): unknown[] =>
  Array.from({ length: to - from + 1 }, (_, i) => sheet.getCell(r, from + i).value);

// Columns of the sheet and the CSV: A STT, B field, C–F received, G–J resolved, K–M in progress,
// N refused, O withdrawn, P on-time rate, Q–R satisfaction, S postal, T apologies. Header rows 5–8, numbering 9.
const FIRST_DATA = 10;

describe('reportToCsv', () => {
  it('should start with a BOM and end every line with CRLF', () => {
    // given the seeds' report
    const report = seedReport();
    // when it is exported as CSV
    const csv = reportToCsv(report);
    // then Excel sees UTF-8 and RFC 4180 line breaks
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('should write the group headers then the column names, as the form does', () => {
    // given the seeds' report
    const report = seedReport();
    // when it is exported as CSV
    const [groups, names] = csvRows(report);
    // then the first row names each group at its first column and the second names every column
    expect(groups).toEqual([
      '', '', 'Số hồ sơ nhận giải quyết', '', '', '', 'Kết quả giải quyết', '', '', '', '', '', '',
      '', '', '', 'Hài lòng', '', '', '',
    ]);
    expect(names).toEqual([
      'STT', 'Lĩnh vực', 'Tổng số nhận giải quyết', 'Số kỳ trước chuyển qua', 'Mới tiếp nhận trực tuyến',
      'Mới tiếp nhận trực tiếp, dịch vụ bưu chính', 'Đã giải quyết: Tổng số', 'Đã giải quyết: Trả trước hạn',
      'Đã giải quyết: Trả đúng thời hạn', 'Đã giải quyết: Trả quá hạn', 'Đang giải quyết: Tổng số',
      'Đang giải quyết: Trong hạn', 'Đang giải quyết: Quá hạn', 'Từ chối', 'Rút hồ sơ', 'Tỷ lệ đúng hạn (%)',
      'Hài lòng: Số lượt đánh giá', 'Hài lòng: Điểm trung bình', 'Trong đó tiếp nhận qua dịch vụ bưu chính',
      'Số phiếu xin lỗi và hẹn lại (mẫu 04)',
    ]);
  });

  it('should write one numbered row per field with its Vietnamese name intact', () => {
    // given the seeds' report over three fields
    const report = seedReport();
    // when it is exported as CSV
    const rows = csvRows(report);
    // then each field has a row with its number, its name with diacritics and its figures
    expect(rows).toHaveLength(2 + 3 + 1);
    expect(rows[2]).toEqual(['1', 'Hộ tịch', '520', '0', '120', '400', '512', '508', '0', '4', '8', '7', '1',
      '0', '0', '99.2', '300', '4.80', '0', '0']);
    expect(rows[3]?.slice(0, 2)).toEqual(['2', 'Chứng thực']);
    expect(reportToCsv(report)).toContain('\r\n2,Chứng thực,192,');
  });

  it('should quote a label containing a comma and a quote', () => {
    // given a field whose name holds a comma and double quotes
    const report = seedReport();
    // when it is exported as CSV
    const csv = reportToCsv(report);
    // then the field is enclosed in quotes with the inner quotes doubled, and reads back whole
    expect(csv).toContain('\r\n3,"Đất đai, ""nhà ở""",100,');
    expect(csvRows(report)[4]?.[1]).toBe(QUOTED_LABEL);
    expect(csvRows(report)[4]).toHaveLength(20);
  });

  it('should end with the total row carrying the seeds\' figures', () => {
    // given the seeds' report
    const report = seedReport();
    // when it is exported as CSV
    const total = csvRows(report).at(-1);
    // then 812 received (254 online, 558 direct), 797 resolved (790 early, 7 late), 14 in progress
    expect(total).toEqual(['', 'Tổng cộng', '812', '0', '254', '558', '797', '790', '0', '7', '14', '12', '2',
      '1', '0', '99.1', '400', '4.75', '0', '0']);
  });

  it('should add postal to the form\'s in-person column and also show it alone', () => {
    // given a field with dossiers carried over and some received by post
    const report = seedReport({
      rows: [row('HT', 'Hộ tịch', { carriedOver: 5, online: 10, direct: 20, postal: 3, early: 30, late: 0, withinDeadline: 8, overdue: 0 })],
    });
    // when it is exported as CSV
    const data = csvRows(report)[2];
    // then the total counts all channels, "in person, by post" is 23, and postal alone is 3
    expect(data?.slice(2, 6)).toEqual(['38', '5', '10', '23']);
    expect(data?.at(-2)).toBe('3');
  });

  it('should leave rates and scores empty when there is nothing to divide', () => {
    // given a field where nothing was resolved and nobody rated
    const report = seedReport({
      rows: [row('HT', 'Hộ tịch', { online: 2, direct: 0, early: 0, late: 0, withinDeadline: 2, overdue: 0 })],
    });
    // when it is exported as CSV
    const data = csvRows(report)[2];
    // then the on-time rate and the average score are blank, not 0 or NaN
    expect(data?.[15]).toBe('');
    expect(data?.[17]).toBe('');
  });

  it('should keep a label starting with "=" from running as a formula', () => {
    // given a procedure name that a spreadsheet would read as a formula
    const report = seedReport({ rows: [row('X', '=HYPERLINK("http://x")', { online: 1, direct: 0, early: 1, late: 0, withinDeadline: 0, overdue: 0 })] });
    // when it is exported as CSV
    const data = csvRows(report)[2];
    // then it is written as text
    expect(data?.[1]).toBe('\'=HYPERLINK("http://x")');
  });

  it('should write English labels when asked', () => {
    // given the seeds' report grouped by procedure
    const report = seedReport({ groupBy: 'procedure' });
    // when it is exported as CSV in English
    const rows = csvRows(report, 'en');
    // then headers and the total row are in English
    expect(rows[0]?.[2]).toBe('Dossiers to handle');
    expect(rows[1]?.slice(0, 3)).toEqual(['No.', 'Procedure', 'Total to handle']);
    expect(rows.at(-1)?.[1]).toBe('Total');
  });
});

describe('reportToXlsx', () => {
  it('should print the heading in the form\'s three blocks: number, title and period, units', async () => {
    // given the seeds' report for a unit including its subordinate units, without a signing block
    const report = seedReport({ unit: { code: 'H38', name: 'UBND xã Tân Hòa', includesChildren: true } });
    // when it is exported as XLSX and read back
    const sheet = await sheetOf(report);
    // then the heading reads like form II.06a, and the generation time is in Vietnam time
    expect(sheet.getCell('A1').value).toBe('Biểu số II.06a');
    expect(sheet.getCell('G1').value).toBe('TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH');
    expect(sheet.getCell('N2').master.address).toBe('G1');
    expect(sheet.getCell('G3').value).toBe('Kỳ báo cáo: từ ngày 01/07/2026 đến ngày 30/09/2026');
    expect(sheet.getCell('O1').value).toBe('Đơn vị báo cáo: UBND xã Tân Hòa (bao gồm các đơn vị trực thuộc)');
    expect(sheet.getCell('O2').value).toBe('Đơn vị tính: Số hồ sơ thủ tục hành chính');
    expect(sheet.getCell('T1').master.address).toBe('O1');
    const stamp = sheet.getColumn(1).values.find((v) => typeof v === 'string' && v.startsWith('Số liệu tính lúc'));
    expect(stamp).toBe('Số liệu tính lúc: 05/10/2026 09:30');
  });

  it('should print "Người lập biểu" and the head\'s block with its formula under the table (Decree 30/2020 signing formulas)', async () => {
    // given the report signed by a deputy chair for the People's Committee
    const report = seedReport({
      form: {
        reportingUnit: 'UBND xã Tân Hòa', receivingUnit: 'UBND tỉnh Demo', unitOfMeasure: 'Số hồ sơ thủ tục hành chính',
        place: 'Tân Hòa', date: '2026-10-05', preparer: 'Lê Thị Lan',
        signature: { lines: ['TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'], signer: 'Trần Văn Tuấn' },
      },
    });
    // when it is exported as XLSX and read back
    const sheet = await sheetOf(report);
    // then the receiving unit is named, and below the total: place line, TM./KT. lines, both names
    expect(valuesOf(sheet, 1, 15, 15)).toEqual(['Đơn vị báo cáo: UBND xã Tân Hòa']);
    expect(sheet.getCell('O2').value).toBe('Đơn vị nhận báo cáo: UBND tỉnh Demo');
    expect(sheet.getCell('O3').value).toBe('Đơn vị tính: Số hồ sơ thủ tục hành chính');
    const total = FIRST_DATA + 3;
    expect(sheet.getCell(total + 2, 12).value).toBe('Tân Hòa, ngày 05 tháng 10 năm 2026');
    expect(sheet.getCell(total + 3, 1).value).toBe('NGƯỜI LẬP BIỂU');
    expect(sheet.getCell(total + 4, 1).value).toBe('(Ký, ghi rõ họ tên)');
    expect([3, 4, 5, 6].map((i) => sheet.getCell(total + i, 12).value))
      .toEqual(['TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH', '(Ký, ghi rõ họ tên, đóng dấu)']);
    expect(sheet.getCell(total + 11, 1).value).toBe('Lê Thị Lan');
    expect(sheet.getCell(total + 11, 12).value).toBe('Trần Văn Tuấn');
  });

  it('should merge the group headers exactly like the form', async () => {
    // given the seeds' report
    const report = seedReport();
    // when it is exported as XLSX and read back
    const sheet = await sheetOf(report);
    // then each header spans its columns, and leaves reach down to the last header row
    const master = (address: string): string => sheet.getCell(address).master.address;
    const text = (address: string): unknown => sheet.getCell(address).value;
    expect([master('A8'), text('A5')]).toEqual(['A5', 'STT']);
    expect([master('B8'), text('B5')]).toEqual(['B5', 'Lĩnh vực']);
    expect([master('F5'), text('C5')]).toEqual(['C5', 'Số hồ sơ nhận giải quyết']);
    expect([master('C8'), text('C6')]).toEqual(['C6', 'Tổng số']);
    expect([master('F6'), text('D6')]).toEqual(['D6', 'Trong đó']);
    expect([master('D8'), text('D7')]).toEqual(['D7', 'Số kỳ trước chuyển qua']);
    expect([master('F7'), text('E7')]).toEqual(['E7', 'Số mới tiếp nhận']);
    expect([text('E8'), text('F8')]).toEqual(['Trực tuyến', 'Trực tiếp, dịch vụ bưu chính']);
    expect(sheet.getCell('E8').isMerged).toBe(false);
    expect([master('M5'), text('G5')]).toEqual(['G5', 'Kết quả giải quyết']);
    expect([master('J6'), text('G6')]).toEqual(['G6', 'Số hồ sơ đã giải quyết']);
    expect(valuesOf(sheet, 7, 7, 10)).toEqual(['Tổng số', 'Trả trước hạn', 'Trả đúng thời hạn', 'Trả quá hạn']);
    expect(master('G8')).toBe('G7');
    expect([master('M6'), text('K6')]).toEqual(['K6', 'Số hồ sơ đang giải quyết']);
    expect(valuesOf(sheet, 7, 11, 13)).toEqual(['Tổng số', 'Trong hạn', 'Quá hạn']);
    expect(valuesOf(sheet, 5, 14, 16)).toEqual(['Từ chối', 'Rút hồ sơ', 'Tỷ lệ đúng hạn (%)']);
    expect(master('P8')).toBe('P5');
    expect([master('R5'), text('Q5')]).toEqual(['Q5', 'Hài lòng']);
    expect(sheet.getCell('C6').font.bold).toBe(true);
    expect(sheet.getCell('F8').alignment.wrapText).toBe(true);
    expect(sheet.getCell('F8').border.bottom?.style).toBe('thin');
    expect(valuesOf(sheet, 9, 1, 4)).toEqual(['(1)', '(2)', '(3)=(4)+(5)+(6)', '(4)']);
    expect(valuesOf(sheet, 9, 7, 7)).toEqual(['(7)=(8)+(9)+(10)']);
  });

  it('should write one row per field with its figures', async () => {
    // given the seeds' report over three fields
    const report = seedReport();
    // when it is exported as XLSX and read back
    const sheet = await sheetOf(report);
    // then the rows hold numbers, the names are intact, and the rate is a fraction
    expect(valuesOf(sheet, FIRST_DATA, 1, 15)).toEqual([1, 'Hộ tịch', 520, 0, 120, 400, 512, 508, 0, 4, 8, 7, 1, 0, 0]);
    expect(sheet.getCell(FIRST_DATA, 16).value).toBeCloseTo(508 / 512, 10);
    expect(valuesOf(sheet, FIRST_DATA + 1, 1, 3)).toEqual([2, 'Chứng thực', 192]);
    expect(valuesOf(sheet, FIRST_DATA + 2, 1, 3)).toEqual([3, QUOTED_LABEL, 100]);
    expect(sheet.getCell(FIRST_DATA + 2, 18).value).toBeNull();
  });

  it('should end with a bold total row carrying the seeds\' figures', async () => {
    // given the seeds' report
    const report = seedReport();
    // when it is exported as XLSX and read back
    const sheet = await sheetOf(report);
    // then the total row sits after the fields: 812 received, 797 resolved (790 early, 7 late), 14 in progress
    const r = FIRST_DATA + 3;
    expect(sheet.getCell(r, 1).value).toBe('Tổng cộng');
    expect(sheet.getCell(r, 2).master.address).toBe(`A${r}`);
    expect(valuesOf(sheet, r, 3, 15)).toEqual([812, 0, 254, 558, 797, 790, 0, 7, 14, 12, 2, 1, 0]);
    expect(sheet.getCell(r, 16).value).toBeCloseTo(790 / 797, 10);
    expect(valuesOf(sheet, r, 17, 19)).toEqual([400, 4.75, 0]);
    expect(sheet.getCell(r, 3).font.bold).toBe(true);
  });

  it('should format the on-time rate as a percent with one decimal', async () => {
    // given the seeds' report
    const report = seedReport();
    // when it is exported as XLSX and read back
    const sheet = await sheetOf(report);
    // then the rate column shows percents, counts show thousands, scores two decimals
    expect(sheet.getCell(FIRST_DATA, 16).numFmt).toBe('0.0%');
    expect(sheet.getCell(FIRST_DATA + 3, 16).numFmt).toBe('0.0%');
    expect(sheet.getCell(FIRST_DATA, 3).numFmt).toBe('#,##0');
    expect(sheet.getCell(FIRST_DATA, 18).numFmt).toBe('0.00');
  });

  it('should print on A4 landscape, one page wide, with the header frozen and repeated', async () => {
    // given the seeds' report
    const report = seedReport();
    // when it is exported as XLSX and read back
    const sheet = await sheetOf(report);
    // then the page setup and the view are those of a printable form
    expect(sheet.pageSetup.orientation).toBe('landscape');
    expect(sheet.pageSetup.paperSize).toBe(9);
    expect(sheet.pageSetup.fitToPage).toBe(true);
    expect(sheet.pageSetup.fitToWidth).toBe(1);
    expect(sheet.pageSetup.fitToHeight).toBe(0);
    expect(sheet.pageSetup.printTitlesRow).toBe('5:9');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', xSplit: 2, ySplit: 9 });
    expect(sheet.getColumn(2).width).toBeGreaterThan(sheet.getColumn(3).width ?? 0);
  });

  it('should label the sheet in English and by procedure when asked', async () => {
    // given the seeds' report grouped by procedure
    const report = seedReport({ groupBy: 'procedure' });
    // when it is exported as XLSX in English
    const sheet = await sheetOf(report, 'en');
    // then title, period, headers and total are in English
    expect(sheet.getCell('G1').value).toBe('HANDLING OF ADMINISTRATIVE PROCEDURES: SITUATION AND RESULTS');
    expect(sheet.getCell('G3').value).toBe('Reporting period: from 01/07/2026 to 30/09/2026');
    expect(valuesOf(sheet, 5, 1, 3)).toEqual(['No.', 'Procedure', 'Dossiers to handle']);
    expect(sheet.getCell(FIRST_DATA + 3, 1).value).toBe('Total');
  });
});

const hasPdftotext = ((): boolean => {
  try { execFileSync('pdftotext', ['-v'], { stdio: 'ignore' }); return true; } catch { return false; }
})();

const pdfText = (pdf: Buffer, layout = false): string =>
  execFileSync('pdftotext', ['-enc', 'UTF-8', ...(layout ? ['-layout'] : []), '-', '-'], { input: pdf }).toString('utf8');

describe('reportToPdf', () => {
  const signed = (): StatisticsReport => seedReport({
    form: {
      reportingUnit: 'UBND xã Tân Hòa', receivingUnit: 'UBND tỉnh Demo', unitOfMeasure: 'Số hồ sơ thủ tục hành chính',
      place: 'Tân Hòa', date: '2026-02-05', preparer: 'Lê Thị Lan',
      signature: { lines: ['TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'], signer: 'Trần Văn Tuấn' },
    },
  });

  it.runIf(hasPdftotext)('should print the form\'s heading, table and signature blocks (form II.06a; Decree 30/2020 signing formulas)', async () => {
    // given the seeds' quarter signed by a deputy chair for the People's Committee
    const report = signed();
    // when it is rendered as PDF and decoded
    const text = pdfText(await reportToPdf(report)).replace(/\s+/g, ' ');
    // then the heading, the units, the total row and both signature blocks read as on paper
    for (const part of [
      'Biểu số II.06a', 'TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH', 'Kỳ báo cáo: từ ngày 01/07/2026 đến ngày 30/09/2026',
      'Đơn vị báo cáo: UBND xã Tân Hòa', 'Đơn vị nhận báo cáo: UBND tỉnh Demo', 'Đơn vị tính: Số hồ sơ thủ tục hành chính',
      'Hộ tịch', 'Chứng thực', 'Tổng cộng', '812', '790',
      // a leading zero for February, as Decree 30/2020 writes months 1 and 2
      'Tân Hòa, ngày 05 tháng 02 năm 2026',
      'NGƯỜI LẬP BIỂU', '(Ký, ghi rõ họ tên)', 'TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH', '(Ký, ghi rõ họ tên, đóng dấu)',
      'Lê Thị Lan', 'Trần Văn Tuấn', 'Trang 1/1',
    ]) expect(text).toContain(part);
  });

  it.runIf(hasPdftotext)('should repeat the header on every page of a long report and keep the bytes of an identical report', async () => {
    // given a report by procedure with 60 rows
    const many = Array.from({ length: 60 }, (_, i) => row(`P${i}`, `Thủ tục số ${i + 1}`, { online: 1, direct: 0, early: 1, late: 0, withinDeadline: 0, overdue: 0 }));
    const report = { ...signed(), groupBy: 'procedure' as const, rows: many };
    // when it is rendered twice
    const pdf = await reportToPdf(report);
    // then it spans pages, each starting with the column headers, and the bytes do not change
    const pages = pdfText(pdf).split('\f').filter((p) => p.trim() !== '');
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages.slice(0, -1)) expect(page).toContain('Số hồ sơ nhận giải quyết');
    expect(pages.at(-1)).toContain('Trần Văn Tuấn');
    expect((await reportToPdf(report)).equals(pdf)).toBe(true);
  });
});
