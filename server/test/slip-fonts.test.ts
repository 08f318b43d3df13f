import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { create, type Font } from 'fontkit';
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { pdfBytes } from '../src/pdfBytes';
import { registerSlipFonts } from '../src/slips';
import { FastTrueTypeSubset } from '../src/slips/fontSubset';

// Every DejaVu face the package ships, not only the eight slips use, so a face added later is covered.
const dir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const FACES = readdirSync(dir).filter((f) => f.endsWith('.ttf')).sort();

interface Internals { numGlyphs: number; createSubset(): { includeGlyph(g: number): number; encode(): Uint8Array } }

/** A fresh view of the font, as each document gets one (glyph cache of its own). */
const view = (font: Font): Font & Internals => Object.assign(Object.create(font) as Font & Internals, { _glyphs: {} });

/** Deterministic glyph picks: a linear congruential sequence seeded by the case number. */
function picks(seed: number, count: number, max: number): number[] {
  let x = seed * 2654435761 % 2 ** 32;
  return Array.from({ length: count }, () => { x = (x * 1664525 + 1013904223) % 2 ** 32; return x % max; });
}

describe('FastTrueTypeSubset', () => {
  it.each(FACES)('should write the same bytes as fontkit\'s subset for %s', (file) => {
    // given a face, and glyph lists: text laid out in Vietnamese, then glyphs from anywhere in the
    // font (composites among them, whose components are added at the end), in first-met order
    const font = create(readFileSync(join(dir, file)));
    const n = (font as unknown as Internals).numGlyphs;
    const laidOut = (view(font).layout('Cộng hòa xã hội chủ nghĩa Việt Nam – Ỷ Ữ ỡ ẵ Ặ ỗ 漢 ½ ﬁ') as { glyphs: { id: number }[] }).glyphs.map((g) => g.id);
    const cases = [[], laidOut, ...[1, 2, 3, 4, 5].map((s) => picks(s, 20 * s, n)), [...laidOut, ...picks(9, 40, n), ...laidOut]];

    for (const gids of cases) {
      // when both subsets are given the same glyphs in the same order
      const ours = new FastTrueTypeSubset(font);
      const theirs = view(font).createSubset();
      for (const g of gids) expect(ours.includeGlyph(g)).toBe(theirs.includeGlyph(g));

      // then the embedded font programs are identical
      expect(Buffer.from(ours.encode()).equals(Buffer.from(theirs.encode()))).toBe(true);
    }
  });
});

// The slip faces under their names, as `registerSlipFonts` registers them (./src/slips/fonts.ts).
const SLIP_FACES: [string, string][] = [
  ['serif', 'DejaVuSerif.ttf'], ['serif-bold', 'DejaVuSerif-Bold.ttf'], ['serif-italic', 'DejaVuSerif-Italic.ttf'],
  ['serif-bold-italic', 'DejaVuSerif-BoldItalic.ttf'], ['serif-condensed', 'DejaVuSerifCondensed.ttf'],
  ['serif-condensed-bold', 'DejaVuSerifCondensed-Bold.ttf'], ['sans', 'DejaVuSans.ttf'], ['sans-bold', 'DejaVuSans-Bold.ttf'],
];

/** One document of `texts`, with the slip fonts (shared tables, shared word layouts) or fonts pdfkit parses for it alone. */
async function draw(texts: string[], fonts: 'slip' | 'own'): Promise<Buffer> {
  const when = new Date('2026-03-02T01:25:00Z');
  const doc = new PDFDocument({ size: 'A4', info: { CreationDate: when, ModDate: when } });
  const done = pdfBytes(doc);
  if (fonts === 'slip') registerSlipFonts(doc);
  else for (const [name, file] of SLIP_FACES) doc.registerFont(name, readFileSync(join(dir, file)));
  texts.forEach((t, i) => doc.font(SLIP_FACES[i % 3]?.[0] ?? 'serif').fontSize(11).text(t, { width: 300 }));
  doc.end();
  return done;
}

describe('slip fonts', () => {
  it('should write the same bytes as fonts parsed for the document alone, whatever the process drew before', async () => {
    // given words whose glyphs fontkit creates with different characters depending on what a
    // document met first: a ligature typed as one character or two, a glyph two characters
    // share after substitution, a zero-width space shown as a space, a decomposed accent,
    // letters the font lacks
    const words = ['ﬁ file fi', 'file ﬁ office ffi', 'ffi ﬃ office', 'A\u0301 Á Á', 'x\u200by x y', 'Đ Ð Đà', '漢 Ỷ Ữ ỡ ẵ Ặ ỗ', 'Cộng hòa xã hội chủ nghĩa Việt Nam'];
    const orders = [words, [...words].reverse(), words.map((_, i) => words[(i * 3) % words.length] as string)];

    for (const order of [...orders, ...orders]) {
      // when each order is drawn with the process's shared fonts (warmer every round) and with fonts of its own
      const [shared, own] = [await draw(order, 'slip'), await draw(order, 'own')];

      // then the files are identical
      expect(shared.equals(own)).toBe(true);
    }
  });
});
